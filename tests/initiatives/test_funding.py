"""Funding sources, allocations and the funding plan, through the API and pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cxplan.core.models import AuditEvent
from initiatives.models import Allocation, FundingAmount, FundingSource
from tests.initiatives.factories_funding import (
    InitiativeFactory,
    add_contacts_avoided,
    initiative_costing,
    source_with,
)

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/funding-sources/"
ALLOCATIONS = "/api/v1/allocations/"
PLAN = "/api/v1/funding/plan/"
# Three requests with 2 and then 10 rows; N+1 would add at least 8 queries.
QUERY_LIMIT = 16


def allocate(client, source, initiative, year, amount):
    return client.post(
        ALLOCATIONS,
        {
            "source": source.pk,
            "initiative": initiative.pk,
            "year": year,
            "amount": str(amount),
        },
        format="json",
    )


# --- who may do what -------------------------------------------------------


def test_anonymous_is_refused_everywhere(api):
    for url in (SOURCES, ALLOCATIONS, PLAN):
        assert api.get(url).status_code in (401, 403)
    assert api.post(SOURCES, {"name": "x", "kind": "budget"}).status_code in (401, 403)


def test_advisors_and_outsiders_cannot_see_funding(as_user, advisor, outsider):
    for user in (advisor, outsider):
        for url in (SOURCES, ALLOCATIONS, PLAN):
            assert as_user(user).get(url).status_code == 403


def test_executives_read_but_do_not_fund(as_user, executive):
    source = source_with({0: 1000})
    initiative = initiative_costing(1000)
    client = as_user(executive)
    assert client.get(SOURCES).status_code == 200
    assert client.get(PLAN).status_code == 200
    new = client.post(SOURCES, {"name": "x", "kind": "budget"}, format="json")
    assert new.status_code == 403
    assert allocate(client, source, initiative, 0, 10).status_code == 403
    assert client.delete(f"{SOURCES}{source.pk}/").status_code == 403


# --- sources ---------------------------------------------------------------


def test_cx_lead_creates_a_source_with_amounts_per_year(as_user, cx_lead):
    response = as_user(cx_lead).post(
        SOURCES,
        {
            "name": "CX budget 2027",
            "kind": "budget",
            "amounts": [{"year": 0, "amount": "50000"}, {"year": 1, "amount": "20000"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(a["year"], a["amount"], a["available"]) for a in body["amounts"]] == [
        (0, "50000.00", "50000.00"),
        (1, "20000.00", "20000.00"),
    ]
    assert AuditEvent.objects.filter(action="funding_source.create").exists()


def test_bad_sources_are_refused_with_field_errors(as_user, cx_lead):
    client = as_user(cx_lead)
    cases = [
        {"name": "", "kind": "budget"},
        {"name": "x", "kind": "lottery"},
        {"name": "x", "kind": "savings"},
        {"name": "x", "kind": "budget", "amounts": [{"year": 11, "amount": 1}]},
        {"name": "x", "kind": "budget", "amounts": [{"year": 0, "amount": -1}]},
        {
            "name": "x",
            "kind": "budget",
            "amounts": [{"year": 0, "amount": 1}, {"year": 0, "amount": 2}],
        },
    ]
    for payload in cases:
        response = client.post(SOURCES, payload, format="json")
        assert response.status_code == 400, payload
        assert response.json()["errors"][0]["field"]
    assert not FundingSource.objects.exists()


def test_a_savings_source_defaults_to_the_initiatives_contacts_avoided_savings(
    as_user, cx_lead
):
    saver = InitiativeFactory(title="Self-service")
    add_contacts_avoided(saver, contacts=10_000, share=0.5)
    response = as_user(cx_lead).post(
        SOURCES,
        {"name": "Savings of self-service", "kind": "savings", "savings_of": saver.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    # 10 000 x 0.5 x (6 - 0.5) = 27 500 a year, ramped 25/75/100%, x (1 - 0.15).
    amounts = {a["year"]: a["amount"] for a in response.json()["amounts"]}
    assert amounts == {1: "5843.75", 2: "17531.25", 3: "23375.00"}


def test_a_savings_source_cannot_fund_its_own_initiative(as_user, cx_lead):
    saver = initiative_costing(1000)
    source = source_with({0: 5000}, kind="savings", savings_of=saver)
    response = allocate(as_user(cx_lead), source, saver, 0, 100)
    assert response.status_code == 400
    assert "itself" in response.json()["errors"][0]["message"]


def test_an_edit_with_a_stale_version_is_refused(as_user, cx_lead):
    source = source_with({0: 1000})
    client = as_user(cx_lead)
    ok = client.patch(
        f"{SOURCES}{source.pk}/", {"name": "A", "version": 1}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(
        f"{SOURCES}{source.pk}/", {"name": "B", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    source.refresh_from_db()
    assert source.name == "A"


# --- allocations -----------------------------------------------------------


def test_allocations_up_to_the_years_amount_are_accepted(as_user, cx_lead):
    source = source_with({0: 10_000})
    first, second = initiative_costing(6000), initiative_costing(6000)
    client = as_user(cx_lead)
    assert allocate(client, source, first, 0, 6000).status_code == 201
    assert allocate(client, source, second, 0, 4000).status_code == 201
    amounts = as_user(cx_lead).get(f"{SOURCES}{source.pk}/").json()["amounts"]
    assert amounts[0]["allocated"] == "10000.00"
    assert amounts[0]["available"] == "0.00"


def test_over_allocation_is_refused_with_what_is_left(as_user, cx_lead):
    source = source_with({0: 10_000, 1: 500})
    first, second = initiative_costing(6000), initiative_costing(6000)
    client = as_user(cx_lead)
    assert allocate(client, source, first, 0, 6000).status_code == 201
    refused = allocate(client, source, second, 0, 4000.01)
    assert refused.status_code == 400
    assert "$4,000.00 left in year 0" in refused.json()["errors"][0]["message"]
    assert allocate(client, source, second, 1, 501).status_code == 400
    assert Allocation.objects.count() == 1


def test_a_year_without_money_cannot_be_allocated(as_user, cx_lead):
    source = source_with({0: 10_000})
    response = allocate(as_user(cx_lead), source, initiative_costing(), 2, 1)
    assert response.status_code == 400
    assert "no money in year 2" in response.json()["errors"][0]["message"]


def test_posting_again_replaces_the_amount_and_zero_removes_it(as_user, cx_lead):
    source = source_with({0: 10_000})
    initiative = initiative_costing()
    client = as_user(cx_lead)
    assert allocate(client, source, initiative, 0, 9000).status_code == 201
    # Replacing counts the old amount as given back, so 10 000 fits.
    assert allocate(client, source, initiative, 0, 10_000).status_code == 201
    assert Allocation.objects.get().amount == Decimal("10000.00")
    assert allocate(client, source, initiative, 0, 0).status_code == 204
    assert not Allocation.objects.exists()


def test_patch_and_delete_of_an_allocation(as_user, cx_lead):
    source = source_with({0: 1000})
    initiative = initiative_costing()
    client = as_user(cx_lead)
    pk = allocate(client, source, initiative, 0, 500).json()["id"]
    assert client.patch(f"{ALLOCATIONS}{pk}/", {"amount": "1001"}).status_code == 400
    assert client.patch(f"{ALLOCATIONS}{pk}/", {"amount": "800"}).status_code == 200
    assert client.delete(f"{ALLOCATIONS}{pk}/").status_code == 204
    assert not Allocation.objects.exists()


def test_rejected_initiatives_cannot_be_funded(as_user, cx_lead):
    source = source_with({0: 1000})
    initiative = initiative_costing(status="rejected")
    assert allocate(as_user(cx_lead), source, initiative, 0, 10).status_code == 400


def test_a_source_cannot_drop_below_what_it_already_gives(as_user, cx_lead):
    source = source_with({0: 10_000, 1: 1000})
    allocate(as_user(cx_lead), source, initiative_costing(), 0, 6000)
    url = f"{SOURCES}{source.pk}/"
    lower = as_user(cx_lead).patch(
        url, {"amounts": [{"year": 0, "amount": "5999"}]}, format="json"
    )
    assert lower.status_code == 400
    assert "already allocated" in lower.json()["errors"][0]["message"]
    ok = as_user(cx_lead).patch(
        url, {"amounts": [{"year": 0, "amount": "6000"}]}, format="json"
    )
    assert ok.status_code == 200
    assert list(FundingAmount.objects.values_list("year", "amount")) == [
        (0, Decimal("6000.00"))
    ]


def test_a_source_that_funds_something_cannot_be_deleted(as_user, cx_lead):
    source = source_with({0: 1000})
    allocate(as_user(cx_lead), source, initiative_costing(), 0, 10)
    assert as_user(cx_lead).delete(f"{SOURCES}{source.pk}/").status_code == 400
    Allocation.objects.all().delete()
    assert as_user(cx_lead).delete(f"{SOURCES}{source.pk}/").status_code == 204


def test_allocation_filters_refuse_non_numbers(as_user, cx_lead):
    assert as_user(cx_lead).get(ALLOCATIONS + "?year=x").status_code == 400


def test_source_and_allocation_lists_do_not_grow_queries(
    as_user, cx_lead, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            source = source_with({0: 1000, 1: 1000})
            allocate(as_user(cx_lead), source, initiative_costing(), 0, 10)

    grow(2)
    client = as_user(cx_lead)
    with django_assert_max_num_queries(QUERY_LIMIT):
        client.get(SOURCES)
        client.get(ALLOCATIONS)
        client.get(PLAN)
    grow(8)
    with django_assert_max_num_queries(QUERY_LIMIT):
        assert client.get(SOURCES).json()["count"] == 10
        assert client.get(ALLOCATIONS).json()["count"] == 10
        assert len(client.get(PLAN).json()["initiatives"]) == 10


# --- the plan --------------------------------------------------------------


def test_the_plan_shows_needed_funded_from_where_and_the_gap(as_user, cx_lead):
    initiative = initiative_costing(one_time=10_000, recurring=2000, title="Chatbot")
    budget = source_with({0: 6000, 1: 5000}, name="Budget")
    shift = source_with({0: 3000}, name="Reallocation", kind="reallocation")
    client = as_user(cx_lead)
    allocate(client, budget, initiative, 0, 6000)
    allocate(client, shift, initiative, 0, 3000)
    allocate(client, budget, initiative, 1, 2000)
    plan = client.get(PLAN).json()
    year0, year1, year2 = plan["years"][:3]
    assert (year0["needed"], year0["funded"], year0["gap"]) == (10_000, 9000, 1000)
    assert {s["source"]: s["amount"] for s in year0["sources"]} == {
        "Budget": 6000,
        "Reallocation": 3000,
    }
    assert (year1["needed"], year1["gap"], year1["available"]) == (2000, 0, 3000)
    assert (year2["needed"], year2["gap"]) == (2000, 2000)
    (row,) = plan["initiatives"]
    assert row["fully_funded"] is False
    assert row["gap"] == 5000  # 1000 in year 0, 2000 in years 2 and 3


def test_the_self_funding_ratio_covers_the_approved_set_only(as_user, cx_lead):
    approved = initiative_costing(one_time=10_000, status="approved")
    add_contacts_avoided(approved, contacts=10_000, share=0.5)
    proposed = initiative_costing(one_time=99_000)
    add_contacts_avoided(proposed, contacts=1_000_000, share=1.0)
    ratio = as_user(cx_lead).get(PLAN).json()["self_funding_ratio"]
    savings = 27_500 * 0.85 * (0.25 / 1.1 + 0.75 / 1.1**2 + 1.0 / 1.1**3)
    assert ratio == pytest.approx(savings / 11_000)


def test_without_an_approved_set_the_ratio_is_null(as_user, cx_lead):
    initiative_costing()
    assert as_user(cx_lead).get(PLAN).json()["self_funding_ratio"] is None


# --- pages -----------------------------------------------------------------


def test_funding_pages_refuse_the_wrong_people(client, advisor, executive):
    plan, new = reverse("funding-plan"), reverse("funding-source-new")
    assert client.get(plan).status_code == 302
    client.force_login(advisor)
    assert client.get(plan).status_code == 403
    assert client.get(new).status_code == 403
    client.force_login(executive)
    assert client.get(new).status_code == 403
    assert client.post(reverse("funding-allocate")).status_code == 403


def test_the_plan_page_draws_the_waterfall_and_the_ratio(client, executive):
    initiative = initiative_costing(one_time=5000, title="Help centre")
    source = source_with({0: 8000}, name="Budget line")
    Allocation.objects.create(source=source, initiative=initiative, year=0, amount=5000)
    client.force_login(executive)
    page = client.get(reverse("funding-plan")).content.decode()
    assert "data-plotly" in page
    assert "Help centre" in page and "Budget line" in page
    assert 'data-testid="self-funding"' in page
    assert "Allocate money" not in page  # executives do not fund
    assert client.get(reverse("funding-plan") + "?year=0").status_code == 200


def test_a_cx_lead_adds_a_source_and_allocates_from_the_pages(client, cx_lead):
    initiative = initiative_costing(one_time=5000)
    client.force_login(cx_lead)
    assert "Allocate money" in client.get(reverse("funding-plan")).content.decode()
    response = client.post(
        reverse("funding-source-new"),
        {"name": "Ops budget", "kind": "budget", "amount_0": "4000", "amount_1": ""},
    )
    assert response.status_code == 302
    source = FundingSource.objects.get(name="Ops budget")
    assert source.amounts.get().amount == Decimal("4000.00")
    over = {"source": source.pk, "initiative": initiative.pk, "year": 0, "amount": 4001}
    page = client.post(reverse("funding-allocate"), over, follow=True).content.decode()
    assert "Allocation refused" in page
    ok = dict(over, amount=4000)
    client.post(reverse("funding-allocate"), ok)
    assert Allocation.objects.get().amount == Decimal("4000.00")


def test_a_savings_source_form_without_an_initiative_is_refused(client, cx_lead):
    client.force_login(cx_lead)
    response = client.post(
        reverse("funding-source-new"), {"name": "Savings", "kind": "savings"}
    )
    assert response.status_code == 400
    assert "names the initiative" in response.content.decode()
