"""`POST /api/v1/portfolio/optimize/`: exact against brute force, stored and
stateless forms, reasons, and refusals."""

import itertools
import random

import pytest

from initiatives.models import Allocation
from tests.initiatives.factories_funding import (
    add_custom_benefit,
    initiative_costing,
    source_with,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/portfolio/optimize/"


def brute_force(candidates, budget):
    """The best total value over every subset that fits each year."""
    best = 0.0
    years = len(budget)
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            spend = [sum(c["costs"][t] for c in subset) for t in range(years)]
            if all(s <= b + 1e-6 for s, b in zip(spend, budget, strict=True)):
                best = max(best, sum(c["value"] for c in subset))
    return best


def test_the_api_matches_brute_force_on_small_random_cases(as_user, cx_lead):
    rng = random.Random(20261124)
    client = as_user(cx_lead)
    for _ in range(25):
        count, years = rng.randint(1, 9), rng.randint(1, 4)
        candidates = [
            {
                "id": index,
                "costs": [rng.choice([0, rng.randint(1, 100)]) for _ in range(years)],
                "value": rng.randint(-20, 100),
            }
            for index in range(count)
        ]
        budget = [rng.randint(0, 200) for _ in range(years)]
        response = client.post(
            URL, {"candidates": candidates, "budget": budget}, format="json"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["value"] == pytest.approx(brute_force(candidates, budget))
        chosen = [c for c in candidates if c["id"] in body["selected"]]
        for t in range(years):
            assert sum(c["costs"][t] for c in chosen) <= budget[t]
        left = {item["id"] for item in body["left_out"]}
        assert left | set(body["selected"]) == {c["id"] for c in candidates}


def test_the_answer_says_why_and_which_year_binds(as_user, executive):
    candidates = [
        {"id": "a", "costs": [60, 0], "value": 10},
        {"id": "b", "costs": [50, 0], "value": 8},
        {"id": "c", "costs": [0, 10], "value": -1},
        {"id": "d", "costs": [10, 5], "value": 3},
    ]
    body = (
        as_user(executive)
        .post(
            URL,
            {"candidates": candidates, "budget": [100, 100], "exclude": ["d"]},
            format="json",
        )
        .json()
    )
    assert body["selected"] == ["a"]
    reasons = {item["id"]: item["reason"] for item in body["left_out"]}
    assert reasons == {
        "b": "does not fit the budget in year 0",
        "c": "negative value",
        "d": "excluded",
    }
    assert body["binding_years"] == [0]


def test_must_include_forces_a_candidate_in(as_user, cx_lead):
    candidates = [
        {"id": 1, "costs": [60], "value": 10},
        {"id": 2, "costs": [50], "value": 8},
    ]
    body = (
        as_user(cx_lead)
        .post(
            URL,
            {"candidates": candidates, "budget": [100], "must_include": [2]},
            format="json",
        )
        .json()
    )
    assert body["selected"] == [2]


def test_the_stored_form_uses_proposed_initiatives_and_the_sources(as_user, cx_lead):
    good = initiative_costing(one_time=60_000, title="Good")
    add_custom_benefit(good, 60_000)
    better = initiative_costing(one_time=50_000, title="Better")
    add_custom_benefit(better, 80_000)
    cheap = initiative_costing(one_time=40_000, title="Cheap")
    add_custom_benefit(cheap, 40_000)
    approved = initiative_costing(one_time=10_000, status="approved")
    add_custom_benefit(approved, 100_000)
    source = source_with({0: 100_000})
    # Approved work keeps its money; a proposal's allocation is up for grabs.
    Allocation.objects.create(source=source, initiative=approved, year=0, amount=10_000)
    Allocation.objects.create(source=source, initiative=good, year=0, amount=5_000)
    body = as_user(cx_lead).post(URL, {}, format="json").json()
    assert body["budget"][0] == 90_000
    assert sorted(body["selected"]) == sorted([better.pk, cheap.pk])
    assert approved.pk not in {i["id"] for i in body["initiatives"]}
    (left,) = body["left_out"]
    assert left["id"] == good.pk and left["title"] == "Good"
    assert "year 0" in left["reason"]
    # An explicit budget overrides the sources.
    wide = as_user(cx_lead).post(URL, {"budget": [200_000]}, format="json").json()
    assert sorted(wide["selected"]) == sorted([good.pk, better.pk, cheap.pk])
    forced = (
        as_user(cx_lead)
        .post(URL, {"must_include": [good.pk], "exclude": [cheap.pk]}, format="json")
        .json()
    )
    assert sorted(forced["selected"]) == [good.pk]


def test_an_infeasible_must_include_is_explained(as_user, cx_lead):
    candidates = [{"id": 1, "costs": [200], "value": 10}]
    body = (
        as_user(cx_lead)
        .post(
            URL,
            {"candidates": candidates, "budget": [100], "must_include": [1]},
            format="json",
        )
        .json()
    )
    assert body["status"] == "infeasible"
    assert body["selected"] == []
    assert "year 0" in body["message"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"candidates": [{"id": 1, "costs": [1], "value": 1}]}, "budget"),
        ({"candidates": [{"id": 1, "costs": [-1], "value": 1}], "budget": [1]}, ""),
        ({"candidates": [{"id": 1, "costs": [1], "value": "x"}], "budget": [1]}, ""),
        ({"candidates": [{"id": True, "costs": [1], "value": 1}], "budget": [1]}, ""),
        (
            {
                "candidates": [
                    {"id": 1, "costs": [1], "value": 1},
                    {"id": 1, "costs": [1], "value": 2},
                ],
                "budget": [1],
            },
            "candidates",
        ),
        (
            {
                "candidates": [{"id": 1, "costs": [1], "value": 1}],
                "budget": [1],
                "must_include": [2],
            },
            "candidates",
        ),
        ({"budget": [-5]}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"must_include": [424242]}, "must_include"),
    ],
)
def test_bad_input_is_a_400_never_a_500(as_user, cx_lead, payload, field):
    response = as_user(cx_lead).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors and errors[0]["message"]
    if field:
        assert errors[0]["field"].startswith(field)


def test_only_cx_leads_and_executives_optimise(api, as_user, advisor, outsider):
    body = {"candidates": [], "budget": [1]}
    assert api.post(URL, body, format="json").status_code in (401, 403)
    for user in (advisor, outsider):
        assert as_user(user).post(URL, body, format="json").status_code == 403
