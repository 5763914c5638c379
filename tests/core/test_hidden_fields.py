"""Each hidden field of the README's "Hidden fields" table, for each role, over
HTTP: the role that may not see it gets it withheld (null, left out, or not on
the page) and finds no figure of it in the body; the roles that may see it do.

EXPECTED is written out by hand: if cxplan.core.visibility's table is changed
without the README and this file, a test fails.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client

from cxplan.core.visibility import HIDDEN_FIELDS
from feedback.models import FeedbackItem, RankingSnapshot
from feedback.ranking import formula as pure
from initiatives.services.initiatives import initiative_create
from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    IdeaFactory,
    ThemeFactory,
    UserFactory,
)
from tests.initiatives.factories_initiatives import CASE_COSTS

ROLES = ("advisor", "author", "cx_lead", "executive")  # author: an advisor's own idea

EXPECTED = {
    "revenue_at_risk": {"advisor": 0, "author": 0, "cx_lead": 1, "executive": 1},
    "components.revenue_at_risk": {
        "advisor": 0,
        "author": 0,
        "cx_lead": 1,
        "executive": 1,
    },
    "score": {"advisor": 0, "author": 0, "cx_lead": 1, "executive": 1},
    "inputs.revenue_per_customer": {
        "advisor": 0,
        "author": 0,
        "cx_lead": 1,
        "executive": 1,
    },
    "inputs.customers_affected": {
        "advisor": 0,
        "author": 0,
        "cx_lead": 1,
        "executive": 1,
    },
    "inputs.churn_reduction_pp": {
        "advisor": 0,
        "author": 0,
        "cx_lead": 1,
        "executive": 1,
    },
    "evidence_customer_ref": {"advisor": 0, "author": 1, "cx_lead": 1, "executive": 1},
    "customer": {"advisor": 0, "author": 0, "cx_lead": 1, "executive": 1},
    "customer_revenue": {"advisor": 0, "author": 0, "cx_lead": 1, "executive": 1},
    "measured_revenue_at_risk": {
        "advisor": 0,
        "author": 0,
        "cx_lead": 1,
        "executive": 1,
    },
}

# Figures that appear nowhere else, so finding one in a body is a leak.
REVENUES = (41237, 52919, 67003)  # the three unhappy customers' annual revenue
AT_RISK = float(sum(REVENUES))  # 161,159: "Slow refunds"' revenue at risk
SECOND_AT_RISK = 48347.7  # "Late parcels", a share of 0.3 of the first
SCORES = (0.917, 0.433)
PER_CUSTOMER = 5371.97  # the churn driver's revenue per customer
CUSTOMERS_AFFECTED = 443
CHURN_PP = (2.75, 3.25, 4.75)
CUSTOMER_REF = "ACME-TICKET-77123"
CUSTOMER_NAME = "Zephyr Holdings"


def _theme_entry(rank, theme, score, customers, at_risk, share):
    return {
        "rank": rank,
        "theme_id": theme.pk,
        "theme": theme.name,
        "score": score,
        "customers": customers,
        "mentions": customers + 2,
        "negative_share": 0.6,
        "negative_share_low": 0.4,
        "negative_share_high": 0.8,
        "revenue_at_risk": at_risk,
        "trend": 0.1,
        "votes": 0,
        "p_top3": 0.9,
        "components": {
            "customers": 1.0 if rank == 1 else 0.5,
            "revenue_at_risk": share,
            "negative_share": 1.0,
            "trend": 1.0 if rank == 1 else 0.5,
            "votes": 0.0,
        },
        "weekly": [1, 2, 3],
        "quotes": [],
    }


@pytest.fixture
def world(db):
    people = {
        "advisor": UserFactory(username="ada", role="advisor"),
        "author": UserFactory(username="otto", role="advisor"),
        "cx_lead": UserFactory(username="clara", role="cx_lead"),
        "executive": UserFactory(username="evan", role="executive"),
    }
    refunds = ThemeFactory(name="Slow refunds")
    parcels = ThemeFactory(name="Late parcels")
    for revenue in REVENUES:
        FeedbackItemFactory(
            customer=CustomerFactory(name=CUSTOMER_NAME, annual_revenue=revenue),
            created=datetime(2026, 11, 2, tzinfo=UTC),
        )
    RankingSnapshot.objects.create(
        window_start=datetime(2026, 9, 1, tzinfo=UTC),
        window_end=datetime(2026, 12, 1, tzinfo=UTC),
        window_days=91,
        weights=pure.Weights().as_dict(),
        themes=[
            _theme_entry(1, refunds, SCORES[0], 3, AT_RISK, 1.0),
            _theme_entry(2, parcels, SCORES[1], 2, SECOND_AT_RISK, 0.3),
        ],
    )
    churn = {
        "kind": "churn_avoided",
        "label": "Churn avoided: refunds",
        "inputs": {
            "customers_affected": [CUSTOMERS_AFFECTED] * 3,
            "churn_reduction_pp": list(CHURN_PP),
            "revenue_per_customer": [PER_CUSTOMER] * 3,
        },
    }
    lead = people["cx_lead"]
    cases = [
        initiative_create(
            actor=lead,
            title=t,
            themes=[refunds],
            cost_lines=CASE_COSTS,
            drivers=[churn],
        )
        for t in ("Refund in a day", "Refund tracker")
    ]
    idea = IdeaFactory(author=people["author"], evidence_customer_ref=CUSTOMER_REF)
    idea.items.set(FeedbackItem.objects.all())  # the three unhappy customers
    return {"people": people, "cases": cases, "idea": idea}


def _get(user, url: str, *, api: bool):
    client = Client()
    client.force_login(user)
    answer = client.get(url, HTTP_ACCEPT="application/json" if api else "text/html")
    assert answer.status_code == 200, (url, answer.status_code)
    return answer


def _agree(seen: list[tuple[str, bool]]) -> bool:
    """All places show the field, or none does (else the leak is named)."""
    values = {value for _, value in seen}
    assert len(values) == 1, f"shown in some places only: {seen}"
    return values.pop()


def _money_in(body: str, value: float) -> bool:
    whole = round(value)
    return any(s in body for s in (f"{value:g}", f"{whole:,}", f"${whole:,}"))


def _revenue_at_risk(world, user) -> bool:
    ranking = _get(user, "/api/v1/ranking/", api=True)
    themes = ranking.json()["themes"]
    steps = _get(user, "/api/v1/strategy/steps/", api=True).json()["results"]
    step = next(s for s in steps if s["key"] == "what_customers_want")
    top = step["ranking"]["top"][0]
    page = _get(user, "/ranking/", api=False).content.decode()
    home = _get(user, "/", api=False).content.decode()
    seen = [
        ("ranking API", themes[0]["revenue_at_risk"] == pytest.approx(AT_RISK)),
        ("ranking API, no figure", _money_in(ranking.content.decode(), AT_RISK)),
        ("strategy API", top.get("revenue_at_risk") == pytest.approx(AT_RISK)),
        ("ranking page", _money_in(page, AT_RISK)),
        ("ranking page, 2nd", _money_in(page, SECOND_AT_RISK)),
        ("dashboard", _money_in(home, AT_RISK)),
    ]
    if not _agree(seen):
        assert themes[0]["revenue_at_risk"] is None
        assert "revenue_at_risk" not in top
    return seen[0][1]


def _component(world, user) -> bool:
    themes = _get(user, "/api/v1/ranking/", api=True).json()["themes"]
    page = _get(user, "/ranking/", api=False).content.decode()
    shares = [t["components"]["revenue_at_risk"] for t in themes]
    seen = [
        ("ranking API", shares == [1.0, 0.3]),
        ("card bar", 'aria-label="revenue at risk"' in page),
        ("chart trace", "Revenue at risk: %{x" in page),
    ]
    if not _agree(seen):
        assert shares == [None, None]
        assert all("revenue_at_risk" in t["components"] for t in themes)
    return seen[0][1]


def _score(world, user) -> bool:
    ranking = _get(user, "/api/v1/ranking/", api=True)
    themes = ranking.json()["themes"]
    steps = _get(user, "/api/v1/strategy/steps/", api=True).json()["results"]
    top = next(s for s in steps if s["key"] == "what_customers_want")["ranking"]
    page = _get(user, "/ranking/", api=False).content.decode()
    seen = [
        ("ranking API", [t["score"] for t in themes] == list(SCORES)),
        ("ranking API, no figure", str(SCORES[1]) in ranking.content.decode()),
        ("strategy API", top["top"][0].get("score") == SCORES[0]),
        ("ranking page", all(str(s) in page for s in SCORES)),
    ]
    if not _agree(seen):
        assert [t["score"] for t in themes] == [None, None]
    return seen[0][1]


def _driver_input(name: str, value: list, figure: str = ""):
    """`value` as the API and the page print it; `figure`, when given, must be
    in no body at all of a role that may not see it."""
    value = [float(v) for v in value]  # stored (and so printed) as floats
    api_text = json.dumps(value, separators=(",", ":"))
    page_text = f"{value[0]} / <strong>{value[1]}</strong> / {value[2]}"

    def check(world, user) -> bool:
        first, second = (c.pk for c in world["cases"])
        bodies = [
            _get(user, f"/api/v1/initiatives/{first}/", api=True),
            _get(user, "/api/v1/initiatives/", api=True),
            _get(user, f"/api/v1/initiatives/compare/?ids={first},{second}", api=True),
        ]
        detail = bodies[0].json()
        roi = _get(user, f"/api/v1/initiatives/{first}/roi/", api=True)
        page = _get(user, f"/initiatives/{first}/", api=False).content.decode()
        inputs = detail["drivers"][0]["inputs"]
        seen = [
            ("detail API", inputs[name] == value),
            *(
                (f"API {i}", api_text in b.content.decode())
                for i, b in enumerate(bodies)
            ),
            ("initiative page", page_text in page),
        ]
        shown = _agree(seen)
        # The business case itself never carries the inputs, for anyone.
        assert api_text not in roi.content.decode()
        if not shown:
            assert inputs[name] is None
            for body in [
                *(b.content.decode() for b in bodies),
                page,
                roi.content.decode(),
            ]:
                assert not figure or figure not in body
        return shown

    return check


def _customer_ref(world, user) -> bool:
    idea = world["idea"]
    one = _get(user, f"/api/v1/ideas/{idea.pk}/", api=True)
    many = _get(user, "/api/v1/ideas/", api=True)
    page = _get(user, f"/ideas/{idea.pk}/", api=False).content.decode()
    seen = [
        ("idea API", one.json()["evidence_customer_ref"] == CUSTOMER_REF),
        ("ideas API", CUSTOMER_REF in many.content.decode()),
        ("idea page", CUSTOMER_REF in page),
    ]
    if not _agree(seen):
        assert one.json()["evidence_customer_ref"] is None
    return seen[0][1]


def _customer(world, user) -> bool:
    page = _get(user, "/feedback/", api=False).content.decode()
    api = _get(user, "/api/v1/feedback/", api=True).content.decode()
    # The feedback API never names a customer, for any role.
    assert CUSTOMER_NAME not in api
    assert not any(str(r) in api for r in REVENUES)
    seen = [("feedback page, name", CUSTOMER_NAME in page)]
    seen += [(f"feedback page, {r}", str(r) in page) for r in REVENUES]
    return _agree(seen)


def _idea_revenue(world, user) -> bool:
    idea = world["idea"]
    one = _get(user, f"/api/v1/ideas/{idea.pk}/", api=True).json()
    many = _get(user, "/api/v1/ideas/", api=True).content.decode()
    client = Client()
    client.force_login(user)
    ordered = client.get("/api/v1/ideas/?ordering=-customer_revenue")
    assert ordered.status_code in (200, 400)
    assert one["customers"] == len(REVENUES)  # the count is for everyone
    seen = [
        ("idea API", one["customer_revenue"] == AT_RISK),
        ("ideas API", f"{AT_RISK:.1f}" in many),
        ("ordering", ordered.status_code == 200),
    ]
    if not _agree(seen):
        assert one["customer_revenue"] is None
    return seen[0][1]


def _measured_revenue(world, user) -> bool:
    """A churn driver's measured revenue at risk, in the drivers API."""
    from feedback.models import Theme
    from tests.feedback.drivers_generator import planted, store

    if not Theme.objects.filter(name="Planted A").exists():
        store(planted(21, 400))
    rows = _get(user, "/api/v1/drivers/?metric=churn", api=True).json()["drivers"]
    seen = [
        ("drivers API", rows[0]["measured_revenue_at_risk"] is not None),
        ("drivers API, basis figure", rows[0]["revenue_at_risk"] is not None),
    ]
    return _agree(seen)


CHECKS = {
    "revenue_at_risk": _revenue_at_risk,
    "components.revenue_at_risk": _component,
    "score": _score,
    "inputs.revenue_per_customer": _driver_input(
        "revenue_per_customer", [PER_CUSTOMER] * 3, str(PER_CUSTOMER)
    ),
    "inputs.customers_affected": _driver_input(
        "customers_affected", [CUSTOMERS_AFFECTED] * 3
    ),
    "inputs.churn_reduction_pp": _driver_input("churn_reduction_pp", list(CHURN_PP)),
    "evidence_customer_ref": _customer_ref,
    "customer": _customer,
    "customer_revenue": _idea_revenue,
    "measured_revenue_at_risk": _measured_revenue,
}


def test_the_code_table_is_the_readme_table():
    """visibility.HIDDEN_FIELDS says the same as EXPECTED (and so the README)."""
    assert set(HIDDEN_FIELDS) == set(EXPECTED) == set(CHECKS)
    for field, roles in HIDDEN_FIELDS.items():
        expected = {r for r, ok in EXPECTED[field].items() if ok and r != "author"}
        assert set(roles) == expected, field


def test_the_readme_lists_every_hidden_field():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("### Hidden fields", 1)[1].split("\n## ", 1)[0]
    for field in EXPECTED:
        assert f"`{field}`" in table, field


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", list(EXPECTED))
def test_each_role_sees_only_its_hidden_fields(world, field, role):
    user = world["people"][role]
    assert CHECKS[field](world, user) == bool(EXPECTED[field][role])


def test_a_superuser_sees_every_hidden_field(world):
    """Superusers hold every role (cxplan.core.roles), so nothing is withheld."""
    root = UserFactory(username="root", role=None, is_superuser=True)
    for field, check in CHECKS.items():
        assert check(world, root), field


def test_a_null_evidence_ref_is_taken_as_none_given(as_user, advisor):
    answer = as_user(advisor).post(
        "/api/v1/ideas/",
        {"title": "Null ref", "body": "A body", "evidence_customer_ref": None},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    from feedback.models import Idea

    assert Idea.objects.get(title="Null ref").evidence_customer_ref == ""
