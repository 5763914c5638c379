"""The strategy pages: every role reads the board; only CX leads edit it, only
executives sign off, and a refused request changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy import services
from strategy.models import Action, Strategy, StrategyStep, SuccessMetric
from strategy.selectors import strategy_summary
from tests.factories import UserFactory
from tests.strategy.factories import (
    ActionFactory,
    InitiativeFactory,
    RatingFactory,
    SuccessMetricFactory,
    competency,
    db_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    strategy = services.strategy_ensure()
    return {
        "strategy": strategy,
        "step": strategy.steps.get(key="who_we_are"),
        "ceo": strategy.steps.get(key="ceo_buy_in"),
        "action": ActionFactory(title="Listen to calls"),
        "metric": SuccessMetricFactory(name="Churn", kind="churn"),
    }


def _pages(w):
    """(name, method, url, form data, roles allowed)."""
    a, m, s = w["action"], w["metric"], w["step"]
    c = competency("one_company").pk
    lead = {"cx_lead"}
    return [
        ("edit form", "get", reverse("strategy-edit"), None, lead),
        (
            "edit save",
            "post",
            reverse("strategy-edit"),
            {"name": "Changed", "version": 1},
            lead,
        ),
        ("mission", "post", reverse("strategy-mission"), {"text": "Be easy."}, lead),
        ("step form", "get", reverse("strategy-step-edit", args=[s.pk]), None, lead),
        (
            "step save",
            "post",
            reverse("strategy-step-edit", args=[s.pk]),
            {"status": "done", "notes": "x", "version": 1},
            lead,
        ),
        (
            "sign-off",
            "post",
            reverse("strategy-step-sign-off", args=[w["ceo"].pk]),
            {"comment": ""},
            {"executive"},
        ),
        (
            "rate",
            "post",
            reverse("strategy-rate"),
            {f"score_{c}": "3"},
            {"cx_lead", "executive", "advisor"},
        ),
        ("action form", "get", reverse("strategy-action-new"), None, lead),
        (
            "action add",
            "post",
            reverse("strategy-action-new"),
            {"competency": c, "kind": "proving_it", "title": "New", "status": "done"},
            lead,
        ),
        (
            "action save",
            "post",
            reverse("strategy-action-edit", args=[a.pk]),
            {
                "competency": c,
                "kind": "proving_it",
                "title": "Renamed",
                "status": "done",
                "version": 1,
            },
            lead,
        ),
        (
            "action delete",
            "post",
            reverse("strategy-action-delete", args=[a.pk]),
            {},
            lead,
        ),
        ("metric form", "get", reverse("strategy-metric-new"), None, lead),
        (
            "metric add",
            "post",
            reverse("strategy-metric-new"),
            {"name": "NPS", "kind": "nps", "direction": "up", "target": "40"},
            lead,
        ),
        (
            "metric save",
            "post",
            reverse("strategy-metric-edit", args=[m.pk]),
            {"name": "Churn", "kind": "churn", "direction": "down", "version": 1},
            lead,
        ),
        (
            "metric delete",
            "post",
            reverse("strategy-metric-delete", args=[m.pk]),
            {},
            lead,
        ),
        (
            "metric reading",
            "post",
            reverse("strategy-metric-reading", args=[m.pk]),
            {"period": "2026-10-01", "value": "9.5"},
            lead,
        ),
    ]


LEAD = {"cx_lead"}
ALLOWED = {
    "edit form": LEAD,
    "edit save": LEAD,
    "mission": LEAD,
    "step form": LEAD,
    "step save": LEAD,
    "sign-off": {"executive"},
    "rate": {"cx_lead", "executive", "advisor"},
    "action form": LEAD,
    "action add": LEAD,
    "action save": LEAD,
    "action delete": LEAD,
    "metric form": LEAD,
    "metric add": LEAD,
    "metric save": LEAD,
    "metric delete": LEAD,
    "metric reading": LEAD,
}
PERSONAS = ("cx_lead", "executive", "advisor", "outsider", "anonymous")
REFUSED = [(n, p) for n, roles in ALLOWED.items() for p in PERSONAS if p not in roles]
GRANTED = [(n, p) for n, roles in ALLOWED.items() for p in sorted(roles)]


def _client(client, persona):
    if persona != "anonymous":
        role = None if persona == "outsider" else persona
        client.force_login(UserFactory(username=f"p-{persona}", role=role))
    return client


def _request(client, world, name):
    _n, method, url, data, allowed = next(p for p in _pages(world) if p[0] == name)
    assert allowed == ALLOWED[name]
    return getattr(client, method)(url, data) if data is not None else client.get(url)


@pytest.mark.parametrize("name,persona", REFUSED)
def test_each_page_refuses_the_wrong_roles_and_changes_nothing(
    client, world, name, persona
):
    before = db_state()
    answer = _request(_client(client, persona), world, name)
    if persona == "anonymous":
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    else:
        assert answer.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize("name,persona", GRANTED)
def test_each_page_works_for_the_allowed_roles(client, world, name, persona):
    before = db_state()
    answer = _request(_client(client, persona), world, name)
    assert answer.status_code in (200, 302), answer.content.decode()[:2000]
    if answer.status_code == 200:
        assert 'class="error"' not in answer.content.decode()
    if name.endswith(("form",)):
        assert answer.status_code == 200
    else:
        assert answer.status_code == 302
        assert db_state() != before


@pytest.mark.parametrize("persona", ["cx_lead", "executive", "advisor"])
def test_every_role_sees_the_strategy_board(client, world, persona):
    html = _client(client, persona).get(reverse("strategy")).content.decode()
    for step in StrategyStep.objects.all():
        assert f'data-testid="step-{step.key}"' in html
    assert html.count('data-testid="competency-') == 5
    assert "Listen to calls" in html
    assert ('href="/strategy/edit/"' in html) == (persona == "cx_lead")


def test_users_without_a_role_are_refused_the_board(client, world):
    assert _client(client, "outsider").get(reverse("strategy")).status_code == 403
    client.logout()
    anonymous = client.get(reverse("strategy"))
    assert anonymous.status_code == 302


def test_a_stale_edit_form_is_refused_and_says_so(client, world):
    _client(client, "cx_lead")
    Strategy.objects.filter(pk=world["strategy"].pk).update(version=5)
    answer = client.post(reverse("strategy-edit"), {"name": "Late", "version": 1})
    assert answer.status_code == 200
    assert "changed this since you opened it" in answer.content.decode()
    assert Strategy.objects.get().name != "Late"


def test_the_board_shows_the_countdown(client, world):
    Strategy.objects.update(presentation_date=timezone.localdate() + timedelta(9))
    html = _client(client, "advisor").get(reverse("strategy")).content.decode()
    assert "9 days</strong> to the leadership presentation" in html


def test_the_board_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    _client(client, "cx_lead").get(reverse("strategy"))
    for i in range(10):
        owner = UserFactory(username=f"o{i}", role="cx_lead")
        ActionFactory(owner=owner, team=f"T{i}")
        SuccessMetricFactory(owner=owner, target=3)
        RatingFactory(rated_by=owner, role="cx_lead", score=1 + i % 5)
        InitiativeFactory(owner=owner, status="approved")
    with django_assert_max_num_queries(40):
        assert client.get(reverse("strategy")).status_code == 200


def test_the_dashboard_summary_counts_days_steps_and_warnings(world):
    today = timezone.localdate()
    Strategy.objects.update(presentation_date=today + timedelta(days=30))
    StrategyStep.objects.filter(order__lte=2).update(status="done")
    summary = strategy_summary(today=today)
    assert summary["days_left"] == 30
    assert (summary["steps_done"], summary["steps_total"]) == (2, 5)
    assert summary["signed_off"] is False
    # Churn without a target: no definition of success; no advisor input.
    assert summary["health_warnings"] >= 2
    assert Action.objects.exists() and SuccessMetric.objects.exists()


def test_the_step_form_explains_that_buy_in_needs_an_executive(client, world):
    _client(client, "cx_lead")
    url = reverse("strategy-step-edit", args=[world["ceo"].pk])
    answer = client.post(url, {"status": "done", "version": 1})
    assert answer.status_code == 200
    assert "only when an executive signs it off" in answer.content.decode()
    world["ceo"].refresh_from_db()
    assert world["ceo"].status == "not_started"
