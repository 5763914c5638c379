"""The ROI engine against the public checks and small cases worked out by hand
(DESIGN.md, "ROI")."""

import json

import numpy as np
import pytest

from roi.engine import (
    Assumptions,
    BenefitDriver,
    CostLine,
    Uncertain,
    cashflow_lines,
    cashflows,
    evaluate,
    evaluate_case,
    metrics,
    ramp_factors,
    risk_adjust,
)


def figures(costs, benefits, rate):
    result, _ = metrics(costs, benefits, rate)
    return result


# Public checks -------------------------------------------------------------


def test_public_check_at_eight_percent():
    result = figures([40000, 0, 0, 0, 0], [0, 5000, 8000, 12000, 30000], 0.08)
    assert result.npv == pytest.approx(3065.22, abs=0.005)
    assert result.irr == pytest.approx(0.10582, abs=5e-6)


def test_public_check_at_ten_percent():
    result = figures([10000, 5000, 5000, 5000], [0, 15000, 15000, 15000], 0.10)
    assert result.npv == pytest.approx(14868.52, abs=0.005)
    assert result.roi == pytest.approx(0.6628, abs=5e-5)
    assert result.payback_months == pytest.approx(12.0)
    assert result.irr == pytest.approx(0.8393, abs=5e-5)


# Cases by hand ---------------------------------------------------------------


def test_present_values_leave_the_initial_column_undiscounted():
    # pv_costs = 10000 + 5000 (1/1.1 + 1/1.21 + 1/1.331) = 10000 + 12434.26
    # pv_benefits = 15000 x 2.486852 = 37302.78
    result = figures([10000, 5000, 5000, 5000], [0, 15000, 15000, 15000], 0.10)
    assert result.pv_costs == pytest.approx(22434.26, abs=0.005)
    assert result.pv_benefits == pytest.approx(37302.78, abs=0.005)


def test_no_positive_flow_has_no_irr_and_no_payback():
    # net = [-1000, -100, -100]; npv = -1000 - 90.91 - 82.64 = -1173.55
    # roi = npv / pv_costs = -1; the cumulative net bottoms out at -1200.
    result = figures([1000, 100, 100], [0, 0, 0], 0.10)
    assert result.npv == pytest.approx(-1173.55, abs=0.005)
    assert result.roi == pytest.approx(-1.0)
    assert result.irr is None
    assert result.mirr is None
    assert result.payback_months is None
    assert result.discounted_payback_months is None
    assert result.peak_funding == pytest.approx(1200.0)


def test_payback_never_reached_within_the_horizon_is_none():
    # cumulative net = [-1000, -800, -500, -100]: still short after year 3.
    result = figures([1000, 0, 0, 0], [0, 200, 300, 400], 0.10)
    assert result.payback_months is None
    assert result.peak_funding == pytest.approx(1000.0)


def test_irr_of_a_losing_case_is_the_rate_where_npv_is_zero():
    # Returns 900 on 1000: the IRR is negative and discounts the net to zero.
    result = figures([1000, 0, 0, 0], [0, 200, 300, 400], 0.10)
    net = np.array([-1000, 200, 300, 400])
    assert result.irr < 0
    assert np.sum(net / (1 + result.irr) ** np.arange(4)) == pytest.approx(0, abs=1e-6)


def test_zero_rate_adds_flows_as_they_are():
    # net = [-100, 70, 70]; npv = 240 - 200 = 40; roi = 40 / 200 = 0.2.
    # cumulative = [-100, -30, 40]: k = 2, 12 x (1 + 30 / 70) = 17.142857 months,
    # and with nothing discounted the discounted payback is the same.
    result = figures([100, 50, 50], [0, 120, 120], 0.0)
    assert result.npv == pytest.approx(40.0)
    assert result.pv_costs == pytest.approx(200.0)
    assert result.roi == pytest.approx(0.2)
    assert result.payback_months == pytest.approx(17.142857, abs=1e-6)
    assert result.discounted_payback_months == pytest.approx(result.payback_months)


def test_payback_exactly_on_a_year_boundary():
    # net = [-100, 50, 50, 50]: cumulative [-100, -50, 0, 50]; k = 2, remaining
    # 50 / 50 -> 12 x (1 + 1) = 24 months.
    result = figures([100, 0, 0, 0], [0, 50, 50, 50], 0.10)
    assert result.payback_months == pytest.approx(24.0)


def test_discounted_payback_uses_discounted_flows():
    # Discounted net = [-100, 45.45, 41.32, 37.57]; after year 2 still 13.22
    # short; 13.22 / 37.57 = (133.1 - 60.5 - 55) / 50 = 0.352 -> 12 x 2.352.
    result = figures([100, 0, 0, 0], [0, 50, 50, 50], 0.10)
    assert result.discounted_payback_months == pytest.approx(28.224)


def test_immediate_payback_when_the_first_net_flow_is_not_negative():
    # net = [200, 50, 50]: nothing to recover, no sign change, no IRR.
    result = figures([100, 50, 50], [300, 100, 100], 0.10)
    assert result.payback_months == 0.0
    assert result.discounted_payback_months == 0.0
    assert result.peak_funding == 0.0
    assert result.irr is None


def test_more_than_one_sign_change_gives_mirr_and_a_warning():
    # net = [-100, 230, -132]: -100 x^2 + 230 x - 132 = 0 with x = 1 + r has the
    # roots x = (230 -+ 10) / 200 = 1.1 and 1.2, so IRR is 10% or 20%; numpy-
    # financial answers the one nearest zero. MIRR at 10%: 230 grows to 253 at
    # t = 2, the outflows are worth 100 + 132 / 1.21 = 209.09 at t = 0, and
    # (253 / 209.09)^(1/2) - 1 = 1.21^(1/2) - 1 = 0.10.
    result, warnings = metrics([100, 0, 132], [0, 230, 0], 0.10)
    assert result.irr == pytest.approx(0.10)
    assert result.mirr == pytest.approx(0.10)
    assert len(warnings) == 1
    assert "sign" in warnings[0]


def test_one_sign_change_gives_no_mirr_and_no_warning():
    result, warnings = metrics([10000, 5000, 5000, 5000], [0, 15000, 15000, 15000], 0.1)
    assert result.mirr is None
    assert warnings == []


def test_payback_is_the_first_recovery_even_if_a_later_year_dips():
    # net = [-100, 230, -132]: cumulative [-100, 130, -2]; recovered during
    # year 1 after 100 / 230 of it: 12 x 0.4348 = 5.217 months.
    result = figures([100, 0, 132], [0, 230, 0], 0.10)
    assert result.payback_months == pytest.approx(12 * 100 / 230)
    assert result.peak_funding == pytest.approx(100.0)


def test_roi_of_zero_costs_is_none():
    result = figures([0, 0, 0], [0, 100, 100], 0.10)
    assert result.pv_costs == 0.0
    assert result.roi is None


def test_costs_and_benefits_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same years"):
        metrics([100, 0], [0, 50, 50], 0.1)


def test_a_rate_of_minus_one_or_less_is_refused():
    with pytest.raises(ValueError, match="rate"):
        metrics([100, 0], [0, 150], -1.0)


# Output shape ----------------------------------------------------------------


def test_metrics_as_dict_rounds_money_and_ratios_and_is_json_ready():
    result = figures([10000, 5000, 5000, 5000], [0, 15000, 15000, 15000], 0.10)
    data = result.as_dict()
    assert data["npv"] == 14868.52
    assert data["roi"] == round(data["roi"], 6)
    assert all(type(value) is float or value is None for value in data.values())
    assert json.loads(json.dumps(data)) == data


def test_evaluate_answers_raw_and_risk_adjusted_blocks_and_cash_flows():
    result = evaluate(
        [10000, 5000, 5000, 5000],
        [0, 15000, 15000, 15000],
        rate=0.10,
        benefit_risk=0.15,
        cost_risk=0.10,
    )
    flows = result["cashflows"]
    assert result["raw"]["npv"] == 14868.52
    # Risk-adjusted: costs x 1.1, benefits x 0.85.
    assert flows["risk_adjusted_costs"] == [11000.0, 5500.0, 5500.0, 5500.0]
    assert flows["risk_adjusted_benefits"] == [0.0, 12750.0, 12750.0, 12750.0]
    assert flows["risk_adjusted_net"] == [-11000.0, 7250.0, 7250.0, 7250.0]
    assert flows["cumulative"] == [-10000.0, 0.0, 10000.0, 20000.0]
    assert flows["t"] == [0, 1, 2, 3]
    # -11000 + 7250 x 2.486852 = 7029.68
    assert result["risk_adjusted"]["npv"] == pytest.approx(7029.68, abs=0.01)
    assert result["warnings"] == []


def test_a_warning_raised_by_both_blocks_is_given_once():
    result = evaluate([100, 0, 132], [0, 230, 0], rate=0.1, benefit_risk=0.0)
    assert len(result["warnings"]) == 1


# A case: three cost lines and two drivers -----------------------------------

CASE_COSTS = [
    CostLine("one_time", Uncertain(40000, 50000, 80000), "platform"),
    CostLine("internal_effort", Uncertain.fixed(10000), "team time"),
    CostLine("recurring", Uncertain(5000, 6000, 9000), "licences"),
]
CASE_DRIVERS = [
    BenefitDriver(
        "churn_avoided",
        {
            "customers_affected": Uncertain(800, 1000, 1200),
            "churn_reduction_pp": Uncertain(1, 2, 4),
            "revenue_per_customer": Uncertain.fixed(2000),
        },
    ),
    BenefitDriver(
        "contacts_avoided",
        {
            "contacts_per_year": Uncertain.fixed(30000),
            "share_avoided": Uncertain(0.1, 0.2, 0.3),
        },
    ),
]


# Risk adjustment -------------------------------------------------------------


def test_risk_adjust_scales_costs_up_and_benefits_down():
    costs, benefits = risk_adjust(
        [100, 50], [0, 200], benefit_risk=0.15, cost_risk=0.10
    )
    assert costs.tolist() == pytest.approx([110.0, 55.0])
    assert benefits.tolist() == pytest.approx([0.0, 170.0])


def test_risk_adjusted_lines_add_up_to_the_adjusted_totals():
    assumptions = Assumptions(benefit_risk=0.2, cost_risk=0.3)
    rows = cashflow_lines(CASE_COSTS, CASE_DRIVERS, assumptions)
    costs, benefits = risk_adjust(
        *cashflows(CASE_COSTS, CASE_DRIVERS, assumptions),
        benefit_risk=0.2,
        cost_risk=0.3,
    )
    cost_rows = [row["risk_adjusted"] for row in rows if row["side"] == "cost"]
    benefit_rows = [row["risk_adjusted"] for row in rows if row["side"] == "benefit"]
    assert np.sum(cost_rows, axis=0) == pytest.approx(costs)
    assert np.sum(benefit_rows, axis=0) == pytest.approx(benefits)


# Ramp, drivers and cost lines ------------------------------------------------


def test_a_short_ramp_repeats_its_last_share():
    assert ramp_factors((0.25, 0.75, 1.0), 5).tolist() == [0.25, 0.75, 1, 1, 1]


def test_a_long_ramp_is_cut_at_the_horizon():
    assert ramp_factors((0.5, 0.8, 1.0, 1.0), 2).tolist() == [0.5, 0.8]


def test_cost_lines_fall_in_their_columns():
    # t = 0: 50000 + 10000 one-off; t = 1..3: 6000 recurring.
    costs, _ = cashflows(CASE_COSTS, [], Assumptions())
    assert costs.tolist() == [60000, 6000, 6000, 6000]


def test_churn_avoided_is_customers_times_points_times_revenue_times_margin():
    # 1000 x 2 / 100 x 2000 x 0.6 = 24000 a year, ramped 25% / 75% / 100%.
    _, benefits = cashflows([], CASE_DRIVERS[:1], Assumptions())
    assert benefits.tolist() == pytest.approx([0, 6000, 18000, 24000])


def test_contacts_avoided_is_contacts_times_share_times_cost_difference():
    # 30000 x 0.2 x (6.00 - 0.50) = 33000 a year, ramped.
    _, benefits = cashflows([], CASE_DRIVERS[1:], Assumptions())
    assert benefits.tolist() == pytest.approx([0, 8250, 24750, 33000])


def test_revenue_uplift_is_customers_times_uplift_times_margin():
    # 500 x 40 x 0.5 = 10000 a year, full from year 1 with a ramp of (1.0,).
    driver = BenefitDriver(
        "revenue_uplift", {"customers": 500, "uplift_per_customer": 40}
    )
    assumptions = Assumptions(gross_margin=0.5, ramp=(1.0,), horizon=2)
    _, benefits = cashflows([], [driver], assumptions)
    assert benefits.tolist() == pytest.approx([0, 10000, 10000])


def test_custom_driver_is_its_amount_per_year():
    driver = BenefitDriver("custom", {"amount_per_year": 4000})
    _, benefits = cashflows([], [driver], Assumptions())
    assert benefits.tolist() == pytest.approx([0, 1000, 3000, 4000])


def test_pick_chooses_the_low_or_high_point_of_every_range():
    # Low: 800 x 1% x 2000 x 0.6 = 9600; high: 1200 x 4% x 2000 x 0.6 = 57600.
    _, low = cashflows([], CASE_DRIVERS[:1], Assumptions(ramp=(1.0,)), pick="low")
    _, high = cashflows([], CASE_DRIVERS[:1], Assumptions(ramp=(1.0,)), pick="high")
    assert low[1] == pytest.approx(9600)
    assert high[1] == pytest.approx(57600)


def test_evaluate_case_uses_the_likely_flows_and_lists_every_line():
    assumptions = Assumptions()
    result = evaluate_case(CASE_COSTS, CASE_DRIVERS, assumptions)
    costs, benefits = cashflows(CASE_COSTS, CASE_DRIVERS, assumptions)
    direct = evaluate(costs, benefits, rate=0.10, benefit_risk=0.15, cost_risk=0.10)
    assert result["raw"] == direct["raw"]
    assert result["risk_adjusted"] == direct["risk_adjusted"]
    assert [row["label"] for row in result["lines"]] == [
        "platform",
        "team time",
        "licences",
        "churn avoided",
        "contacts avoided",
    ]


# Validation ------------------------------------------------------------------


def test_an_estimate_out_of_order_is_refused():
    with pytest.raises(ValueError, match="low <= likely <= high"):
        Uncertain(3, 2, 1)


def test_an_estimate_can_be_given_as_a_number_list_or_mapping():
    assert Uncertain.coerce(5) == Uncertain(5, 5, 5)
    assert Uncertain.coerce([1, 2, 3]) == Uncertain(1, 2, 3)
    assert Uncertain.coerce({"low": 1, "likely": 2, "high": 3}) == Uncertain(1, 2, 3)


def test_a_driver_with_a_misspelt_input_is_refused():
    with pytest.raises(ValueError, match="needs inputs"):
        BenefitDriver("custom", {"amount_per_yaer": 1000})


def test_a_share_avoided_above_one_is_refused():
    with pytest.raises(ValueError, match="share_avoided"):
        BenefitDriver(
            "contacts_avoided", {"contacts_per_year": 100, "share_avoided": 1.5}
        )


def test_a_negative_cost_is_refused():
    with pytest.raises(ValueError, match="negative"):
        CostLine("one_time", Uncertain(-10, 0, 10))


def test_an_unknown_cost_kind_is_refused():
    with pytest.raises(ValueError, match="cost kind"):
        CostLine("monthly", Uncertain.fixed(10))


def test_decimal_amounts_and_assumptions_are_accepted():
    # Money is Decimal at rest; the engine takes it and works in floats.
    from decimal import Decimal

    assumptions = Assumptions(rate=Decimal("0.10"), gross_margin=Decimal("0.6"))
    line = CostLine("one_time", [Decimal("100.00")] * 3)
    result = evaluate(
        [Decimal("10000"), Decimal("5000"), Decimal("5000"), Decimal("5000")],
        [Decimal("0"), Decimal("15000"), Decimal("15000"), Decimal("15000")],
        rate=Decimal("0.1"),
        cost_risk=Decimal("0.1"),
    )
    assert result["raw"]["npv"] == 14868.52
    assert cashflows([line], [], assumptions)[0].tolist() == [100, 0, 0, 0]
