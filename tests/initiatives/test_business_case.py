"""The business case is read from the stored JSON by one reader, BusinessCase."""

from initiatives.business_case import BusinessCase, MonteCarlo
from roi.engine import evaluate

MONTECARLO = {"p10": -100.0, "p50": 900.0, "p90": 2000.0, "mean": 950.0}


def _stored() -> dict:
    result = evaluate(
        [10000, 5000, 5000, 5000],
        [0, 15000, 15000, 15000],
        rate=0.1,
        benefit_risk=0.1,
        cost_risk=0.1,
    )
    result["risk_adjusted"]["montecarlo"] = {**MONTECARLO, "p_positive": 0.8}
    result["npv_quantiles"] = [-500.0, 900.0, 3000.0]
    result["montecarlo_settings"] = {"simulations": 400, "seed": 1}
    return result


def test_the_headline_figures_are_the_risk_adjusted_ones():
    stored = _stored()
    case = BusinessCase.from_json(stored)
    assert case.computed
    assert case.npv == stored["risk_adjusted"]["npv"]
    assert case.roi == stored["risk_adjusted"]["roi"]
    assert case.irr == stored["risk_adjusted"]["irr"]
    assert case.payback_months == stored["risk_adjusted"]["payback_months"]
    assert case.raw.npv == stored["raw"]["npv"]
    assert (case.p10, case.p50, case.p90) == (-100.0, 900.0, 2000.0)
    assert case.simulations == 400


def test_the_cash_flows_keep_every_stored_year():
    stored = _stored()
    flows = BusinessCase.from_json(stored).cashflows
    assert list(flows.t) == [0, 1, 2, 3]
    assert list(flows.risk_adjusted_net) == stored["cashflows"]["risk_adjusted_net"]
    assert list(flows.cumulative) == stored["cashflows"]["cumulative"]


def test_the_montecarlo_block_answers_as_stored():
    """The API's `montecarlo` is the stored block, key for key."""
    stored = _stored()
    block = BusinessCase.from_json(stored).montecarlo
    assert block.as_dict() == stored["risk_adjusted"]["montecarlo"]


def test_a_missing_or_malformed_case_reads_as_not_computed():
    for stored in (None, {}, [], "x", {"raw": "x", "risk_adjusted": [1]}):
        case = BusinessCase.from_json(stored)
        assert not case.computed
        assert case.npv is None and case.montecarlo is None
        assert case.cashflows is None and case.lines == ()


def test_a_spread_without_both_ends_is_no_spread():
    assert MonteCarlo.from_json({"p10": 1.0}) is None
    assert MonteCarlo.from_json({"p10": 1.0, "p90": 2.0}).p50 is None


def test_figures_are_looked_up_by_name_for_the_tables():
    case = BusinessCase.from_json(_stored())
    assert case.risk_adjusted["npv"] == case.npv
    assert case.risk_adjusted.get("nonsense") is None
