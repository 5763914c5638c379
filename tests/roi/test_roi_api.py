"""`POST /api/v1/roi/evaluate/` and `/api/v1/roi/assumptions/` (DESIGN.md, "ROI")."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxplan.core.models import AuditEvent
from roi.models import AssumptionSet
from tests.factories import UserFactory

URL = "/api/v1/roi/evaluate/"
ASSUMPTIONS = "/api/v1/roi/assumptions/"
pytestmark = pytest.mark.django_db


def evaluate(client, body):
    return client.post(URL, body, format="json")


def test_it_reproduces_the_first_public_check(as_user, advisor):
    response = evaluate(
        as_user(advisor),
        {
            "rate": 0.08,
            "costs": [40000, 0, 0, 0, 0],
            "benefits": [0, 5000, 8000, 12000, 30000],
        },
    )
    assert response.status_code == 200
    raw = response.json()["raw"]
    assert raw["npv"] == 3065.22
    assert raw["irr"] == pytest.approx(0.10582, abs=5e-6)


def test_it_reproduces_the_second_public_check_to_the_cent(as_user, cx_lead):
    body = {
        "rate": 0.1,
        "costs": [10000, 5000, 5000, 5000],
        "benefits": [0, 15000, 15000, 15000],
        "benefit_risk": 0.15,
        "cost_risk": 0.1,
    }
    data = evaluate(as_user(cx_lead), body).json()
    raw = data["raw"]
    assert raw["npv"] == 14868.52
    assert raw["roi"] == pytest.approx(0.6628, abs=5e-5)
    assert raw["payback_months"] == 12.0
    assert raw["irr"] == pytest.approx(0.8393, abs=5e-5)
    assert raw["pv_costs"] == 22434.26
    # Risk-adjusted by hand: benefits x 0.85 = 12750/yr, costs x 1.1 = 11000 + 5500/yr.
    # npv = -11000 + 7250 x 2.486852 = 7029.68
    adjusted = data["risk_adjusted"]
    assert adjusted["npv"] == 7029.68
    assert data["cashflows"]["risk_adjusted_net"] == [-11000.0, 7250.0, 7250.0, 7250.0]
    assert "montecarlo" not in raw
    assert data["warnings"] == []


def test_a_range_element_adds_montecarlo_to_both_blocks(as_user, cx_lead):
    body = {
        "rate": 0.1,
        "costs": [[8000, 10000, 14000], 5000, 5000, 5000],
        "benefits": [0, [10000, 15000, 18000], 15000, 15000],
        "seed": 7,
        "simulations": 5000,
        "distribution": "pert",
    }
    data = evaluate(as_user(cx_lead), body).json()
    for block in ("raw", "risk_adjusted"):
        mc = data[block]["montecarlo"]
        assert set(mc) == {"p10", "p50", "p90", "mean", "p_positive"}
        assert mc["p10"] <= mc["p50"] <= mc["p90"]
        assert 0 <= mc["p_positive"] <= 1
    # The deterministic figures use the likely values.
    assert data["raw"]["npv"] == 14868.52
    again = evaluate(as_user(cx_lead), body).json()
    assert again["raw"]["montecarlo"] == data["raw"]["montecarlo"]


def test_a_degenerate_range_collapses_to_the_deterministic_npv(as_user, cx_lead):
    body = {
        "rate": 0.1,
        "costs": [[10000, 10000, 10000], 5000, 5000, 5000],
        "benefits": [0, 15000, 15000, 15000],
        "simulations": 100,
    }
    data = evaluate(as_user(cx_lead), body).json()
    mc = data["raw"]["montecarlo"]
    assert mc["p10"] == mc["p50"] == mc["p90"] == 14868.52


def test_the_drivers_form_uses_the_assumptions(as_user, cx_lead):
    # contacts: 10000 x 0.2 x (6 - 0.5) = 11000 per year, ramp 25/75/100%.
    body = {
        "cost_lines": [{"kind": "one_time", "label": "bot", "amount": 10000}],
        "drivers": [
            {
                "kind": "contacts_avoided",
                "inputs": {"contacts_per_year": 10000, "share_avoided": 0.2},
            }
        ],
        "assumptions": {"rate": 0.1, "benefit_risk": 0, "cost_risk": 0},
    }
    data = evaluate(as_user(cx_lead), body).json()
    assert data["cashflows"]["benefits"] == [0.0, 2750.0, 8250.0, 11000.0]
    # npv = -10000 + 2500 + 6818.18 + 8264.46 = 7582.64
    assert data["raw"]["npv"] == 7582.64
    assert "montecarlo" not in data["raw"]
    assert data["lines"][0]["label"] == "bot"


def test_a_ranged_driver_input_is_simulated(as_user, cx_lead):
    body = {
        "cost_lines": [{"kind": "one_time", "amount": [8000, 10000, 15000]}],
        "drivers": [
            {
                "kind": "custom",
                "inputs": {
                    "amount_per_year": {"low": 2000, "likely": 6000, "high": 9000}
                },
            }
        ],
    }
    data = evaluate(as_user(cx_lead), body).json()
    mc = data["risk_adjusted"]["montecarlo"]
    assert mc["p10"] < mc["p50"] < mc["p90"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate": "ten", "costs": [1], "benefits": [1]}, "rate"),
        ({"rate": 0.1, "costs": [1, "x"], "benefits": [1, 2]}, "costs.1"),
        ({"rate": 0.1, "costs": [1, -5], "benefits": [1, 2]}, "costs.1"),
        ({"rate": 0.1, "costs": [1, 2], "benefits": [1, [3, 2, 1]]}, "benefits.1"),
        ({"rate": 0.1, "costs": [1, 2], "benefits": [1]}, "benefits"),
        ({"rate": 0.1, "costs": [], "benefits": []}, "costs"),
        ({"rate": 2, "costs": [1], "benefits": [1]}, "rate"),
        ({"costs": [1], "benefits": [1], "benefit_risk": 1.5}, "benefit_risk"),
        ({"costs": [1], "benefits": [1], "distribution": "normal"}, "distribution"),
        ({"costs": [1], "benefits": [1], "simulations": 0}, "simulations"),
        ({"costs": [1], "benefits": [1], "seed": "a"}, "seed"),
        ({}, "costs"),
        ({"drivers": [{"kind": "magic", "inputs": {}}]}, "drivers.0.kind"),
        (
            {
                "drivers": [
                    {"kind": "contacts_avoided", "inputs": {"contacts_per_year": 5}}
                ]
            },
            "drivers.0.inputs.share_avoided",
        ),
        (
            {
                "drivers": [
                    {
                        "kind": "contacts_avoided",
                        "inputs": {"contacts_per_year": 5, "share_avoided": 3},
                    }
                ]
            },
            "drivers.0.inputs.share_avoided",
        ),
        ({"cost_lines": [{"kind": "one_time"}]}, "cost_lines.0.amount"),
        ({"cost_lines": [], "assumptions": {"horizon": 0}}, "assumptions.horizon"),
        ({"cost_lines": [], "assumptions": {"rates": 0.1}}, "assumptions.rates"),
        ({"cost_lines": [], "assumptions": {"rate": 1.5}}, "assumptions.rate"),
    ],
)
def test_bad_input_is_refused_naming_the_field(as_user, cx_lead, body, field):
    response = evaluate(as_user(cx_lead), body)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_vanishing_cost_gives_a_null_roi_not_a_500(as_user, cx_lead):
    body = {"rate": 0.1, "costs": [5e-324, 0], "benefits": [0, 50000]}
    response = evaluate(as_user(cx_lead), body)
    assert response.status_code == 200
    assert response.json()["raw"]["roi"] is None


def test_a_body_that_is_not_an_object_is_refused(as_user, cx_lead):
    response = as_user(cx_lead).post(URL, [1, 2], format="json")
    assert response.status_code == 400


def test_anonymous_and_outsiders_are_refused(api, outsider, as_user):
    body = {"rate": 0.1, "costs": [1], "benefits": [2]}
    assert evaluate(api, body).status_code in (401, 403)
    assert evaluate(as_user(outsider), body).status_code == 403


# Properties through the API -------------------------------------------------

money = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    costs=st.lists(money, min_size=2, max_size=5),
    extra=st.floats(min_value=1, max_value=1e5),
    rate=st.floats(min_value=0, max_value=0.5),
)
def test_npv_falls_as_a_cost_rises(as_user, cx_lead, costs, extra, rate):
    benefits = [0.0] + [50000.0] * (len(costs) - 1)
    client = as_user(cx_lead)
    base = evaluate(client, {"rate": rate, "costs": costs, "benefits": benefits}).json()
    higher = list(costs)
    higher[-1] += extra
    more = evaluate(
        client, {"rate": rate, "costs": higher, "benefits": benefits}
    ).json()
    assert more["raw"]["npv"] < base["raw"]["npv"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(benefits=st.lists(money, min_size=1, max_size=5))
def test_roi_of_zero_costs_is_null(as_user, cx_lead, benefits):
    body = {"rate": 0.1, "costs": [0] * len(benefits), "benefits": benefits}
    data = evaluate(as_user(cx_lead), body).json()
    assert data["raw"]["roi"] is None


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    low=st.floats(min_value=0, max_value=1e5),
    spread=st.floats(min_value=0, max_value=1e5),
    seed=st.integers(min_value=0, max_value=2**31),
)
def test_percentiles_are_ordered(as_user, cx_lead, low, spread, seed):
    body = {
        "rate": 0.1,
        "costs": [[low, low + spread / 2, low + spread], 1000],
        "benefits": [0, [0, spread, 2 * spread]],
        "simulations": 500,
        "seed": seed,
    }
    mc = evaluate(as_user(cx_lead), body).json()["risk_adjusted"]["montecarlo"]
    assert mc["p10"] <= mc["p50"] <= mc["p90"]


# Assumptions -------------------------------------------------------------------


def test_members_read_the_assumptions(as_user, advisor):
    response = as_user(advisor).get(ASSUMPTIONS)
    assert response.status_code == 200
    assert response.json()["rate"] == 0.1
    assert response.json()["ramp"] == [0.25, 0.75, 1.0]


def test_a_cx_lead_saves_a_new_current_set(as_user, cx_lead):
    client = as_user(cx_lead)
    first = client.put(ASSUMPTIONS, {"rate": 0.08, "note": "finance"}, format="json")
    assert first.status_code == 200
    second = client.put(ASSUMPTIONS, {"horizon": 5}, format="json")
    data = second.json()
    assert data["rate"] == 0.08 and data["horizon"] == 5
    assert AssumptionSet.objects.count() == 2
    assert AssumptionSet.objects.filter(is_current=True).get().pk == data["id"]
    assert AuditEvent.objects.filter(action="assumptions.set").count() == 2


def test_a_stale_if_match_is_refused(as_user, cx_lead):
    client = as_user(cx_lead)
    etag = client.get(ASSUMPTIONS)["ETag"]
    client.put(ASSUMPTIONS, {"rate": 0.09}, format="json")
    stale = client.put(ASSUMPTIONS, {"rate": 0.07}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate": 3}, "rate"),
        ({"horizon": 0}, "horizon"),
        ({"ramp": []}, "ramp"),
        ({"assisted_cost": 1, "self_service_cost": 2}, "self_service_cost"),
    ],
)
def test_bad_assumptions_are_refused_naming_the_field(as_user, cx_lead, body, field):
    response = as_user(cx_lead).put(ASSUMPTIONS, body, format="json")
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not AssumptionSet.objects.exists()


def test_only_cx_leads_change_assumptions(api, as_user, executive, advisor):
    assert api.put(ASSUMPTIONS, {"rate": 0.2}, format="json").status_code in (401, 403)
    for user in (executive, advisor):
        assert (
            as_user(user).put(ASSUMPTIONS, {"rate": 0.2}, format="json").status_code
            == 403
        )
    assert as_user(UserFactory(role=None)).get(ASSUMPTIONS).status_code == 403
