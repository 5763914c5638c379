"""`/api/v1/initiatives/`: CRUD with nested cost lines and drivers, results
recomputed on every change, `roi`, `compare`, and who may do what."""

import pytest

from cxplan.core.models import AuditEvent
from initiatives.models import Initiative
from tests.initiatives.factories_initiatives import (
    CASE_COSTS,
    CASE_DRIVERS,
    make_initiative,
    theme_with_feedback,
)

URL = "/api/v1/initiatives/"
pytestmark = pytest.mark.django_db


def create(client, **overrides):
    body = {
        "title": "Self-service reset",
        "cost_lines": CASE_COSTS,
        "drivers": CASE_DRIVERS,
    }
    body.update(overrides)
    return client.post(URL, body, format="json")


def test_it_creates_an_initiative_with_its_case_computed_to_the_cent(as_user, cx_lead):
    response = create(as_user(cx_lead))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["npv"] == "5303.91"
    assert data["roi"] == pytest.approx(0.482173, abs=1e-6)
    assert data["payback_months"] == 24.94
    assert data["pv_costs"] == "11000.00"
    assert (
        data["montecarlo"]["p10"]
        <= data["montecarlo"]["p50"]
        <= data["montecarlo"]["p90"]
    )
    assert [line["label"] for line in data["cost_lines"]] == ["Build"]
    assert data["drivers"][0]["inputs"] == {
        "amount_per_year": [9000.0, 12000.0, 13000.0]
    }
    assert AuditEvent.objects.filter(action="initiative.create").count() == 1


def test_the_roi_endpoint_explains_the_figures(as_user, cx_lead, advisor):
    pk = create(as_user(cx_lead)).json()["id"]
    data = as_user(advisor).get(f"{URL}{pk}/roi/").json()
    assert data["raw"]["npv"] == 9181.07
    assert data["risk_adjusted"]["npv"] == 5303.91
    assert data["cashflows"]["benefits"] == [0.0, 3000.0, 9000.0, 12000.0]
    assert data["assumptions"]["rate"] == 0.1
    assert data["assumptions"]["id"] == Initiative.objects.get().assumptions_id
    assert data["lines"][1]["label"] == "Savings"


def test_an_update_recomputes_and_bumps_the_version(as_user, cx_lead):
    client = as_user(cx_lead)
    created = create(client).json()
    cheaper = [{**CASE_COSTS[0], "low": 4000, "likely": 5000, "high": 6000}]
    response = client.patch(
        f"{URL}{created['id']}/", {"cost_lines": cheaper, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["version"] == 2
    # 5000 more cost avoided at t = 0, x 1.1 for risk: NPV rises by 5500.
    assert data["npv"] == "10803.91"
    assert response["ETag"] == '"2"'


def test_a_stale_edit_is_refused(as_user, cx_lead):
    client = as_user(cx_lead)
    pk = create(client).json()["id"]
    client.patch(f"{URL}{pk}/", {"title": "First"}, format="json")
    stale = client.patch(
        f"{URL}{pk}/", {"title": "Second", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    header = client.patch(
        f"{URL}{pk}/", {"title": "Third"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert header.status_code == 412
    assert Initiative.objects.get().title == "First"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        (
            {"cost_lines": [{**CASE_COSTS[0], "low": 20000}]},
            "cost_lines.0.likely",
        ),
        ({"cost_lines": [{**CASE_COSTS[0], "kind": "weekly"}]}, "cost_lines.0.kind"),
        (
            {"drivers": [{"kind": "custom", "inputs": {}}]},
            "drivers.0.inputs.amount_per_year",
        ),
        (
            {
                "drivers": [
                    {
                        "kind": "contacts_avoided",
                        "inputs": {"contacts_per_year": 10, "share_avoided": 2},
                    }
                ]
            },
            "drivers.0.inputs.share_avoided",
        ),
        (
            {"drivers": [{"kind": "custom", "inputs": {"amount_per_year": [3, 2, 1]}}]},
            "drivers.0.inputs.amount_per_year",
        ),
        ({"themes": [999]}, "themes"),
        (
            {"drivers": [{"kind": "custom", "inputs": {"amount_per_year": 1e300}}]},
            "drivers.0.inputs.amount_per_year",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(as_user, cx_lead, overrides, field):
    response = create(as_user(cx_lead), **overrides)
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert any(f == field or f.startswith(field) for f in fields), fields
    assert not Initiative.objects.exists()


def test_approval_is_not_a_plain_status_edit(as_user, cx_lead):
    client = as_user(cx_lead)
    pk = create(client).json()["id"]
    response = client.patch(f"{URL}{pk}/", {"status": "approved"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_members_read_and_only_cx_leads_write(
    api, as_user, cx_lead, executive, advisor, outsider
):
    pk = create(as_user(cx_lead)).json()["id"]
    assert api.get(URL).status_code in (401, 403)
    assert as_user(outsider).get(URL).status_code == 403
    for user in (executive, advisor):
        client = as_user(user)
        assert client.get(URL).status_code == 200
        assert client.get(f"{URL}{pk}/").status_code == 200
        assert create(client).status_code == 403
        assert (
            client.patch(f"{URL}{pk}/", {"title": "x"}, format="json").status_code
            == 403
        )
        assert client.delete(f"{URL}{pk}/").status_code == 403
        assert client.post(f"{URL}{pk}/roi/").status_code == 403
        assert client.get(f"{URL}prefill/?theme=1").status_code == 403


def test_a_cx_lead_deletes_an_undecided_initiative(as_user, cx_lead):
    client = as_user(cx_lead)
    pk = create(client).json()["id"]
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not Initiative.objects.exists()


def test_advisors_do_not_see_revenue_per_customer(as_user, cx_lead, advisor):
    driver = {
        "kind": "churn_avoided",
        "inputs": {
            "customers_affected": 10,
            "churn_reduction_pp": [1, 2, 3],
            "revenue_per_customer": 5000,
        },
    }
    pk = create(as_user(cx_lead), drivers=[driver]).json()["id"]
    seen = as_user(advisor).get(f"{URL}{pk}/").json()["drivers"][0]["inputs"]
    assert seen["revenue_per_customer"] is None
    lead = as_user(cx_lead).get(f"{URL}{pk}/").json()["drivers"][0]["inputs"]
    assert lead["revenue_per_customer"] == [5000.0, 5000.0, 5000.0]


def test_the_list_is_ranked_by_risk_adjusted_npv_or_payback(as_user, cx_lead):
    small = make_initiative(cx_lead, title="Small", npv_scale=1.0)
    big = make_initiative(cx_lead, title="Big", npv_scale=2.0)
    client = as_user(cx_lead)
    ids = [row["id"] for row in client.get(URL).json()["results"]]
    assert ids == [big.pk, small.pk]
    by_payback = [
        row["id"] for row in client.get(URL + "?sort=payback").json()["results"]
    ]
    assert by_payback == [big.pk, small.pk]
    bad = client.get(URL + "?sort=colour")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "sort"


def test_the_list_sorts_by_theme_rank(as_user, cx_lead):
    from tests.initiatives.factories_initiatives import snapshot_for

    first, second = theme_with_feedback("First"), theme_with_feedback("Second")
    snapshot_for(
        [
            {"rank": 1, "theme_id": first.pk, "customers": 6, "revenue_at_risk": 100.0},
            {"rank": 2, "theme_id": second.pk, "customers": 6, "revenue_at_risk": 50.0},
        ]
    )
    a = make_initiative(cx_lead, title="A", themes=[second.pk], npv_scale=3.0)
    b = make_initiative(cx_lead, title="B", themes=[first.pk])
    rows = as_user(cx_lead).get(URL + "?sort=theme_rank").json()["results"]
    assert [(r["id"], r["theme_rank"]) for r in rows] == [(b.pk, 1), (a.pk, 2)]


def test_the_list_query_count_does_not_grow_with_rows(
    as_user, cx_lead, django_assert_max_num_queries
):
    theme = theme_with_feedback("Queue", customers=2)
    client = as_user(cx_lead)
    for i in range(2):
        make_initiative(cx_lead, title=f"I{i}", themes=[theme.pk])
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    for i in range(2, 12):
        make_initiative(cx_lead, title=f"I{i}", themes=[theme.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 12


def test_compare_takes_two_to_four(as_user, cx_lead, advisor):
    a = make_initiative(cx_lead, title="A")
    b = make_initiative(cx_lead, title="B", npv_scale=2)
    client = as_user(advisor)
    rows = client.get(f"{URL}compare/?ids={b.pk},{a.pk}").json()
    assert [r["id"] for r in rows] == [b.pk, a.pk]
    one = client.get(f"{URL}compare/?ids={a.pk}")
    assert one.status_code == 400 and one.json()["errors"][0]["field"] == "ids"


def test_fixed_figures_give_one_point_ranges_equal_to_the_npv(as_user, cx_lead):
    fixed_costs = [{"kind": "one_time", "label": "Build", "likely": 10000}]
    fixed_drivers = [{"kind": "custom", "inputs": {"amount_per_year": 12000}}]
    initiative = make_initiative(cx_lead, cost_lines=fixed_costs, drivers=fixed_drivers)
    mc = initiative.result["risk_adjusted"]["montecarlo"]
    assert mc["p10"] == mc["p50"] == mc["p90"] == 5303.91 == float(initiative.npv)
    assert mc["p_positive"] == 1.0
