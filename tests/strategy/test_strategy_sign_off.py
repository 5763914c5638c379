"""CEO buy-in: only an executive signs it off, only on that step, once, and the
approved picture is frozen with the signature."""

import pytest
from django.urls import reverse

from feedback.models import RankingSnapshot
from strategy import services
from strategy.models import StrategyStep
from tests.strategy.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def theme(rank, name, revenue):
    return {
        "rank": rank,
        "theme_id": rank,
        "theme": name,
        "score": 1 - rank / 10,
        "customers": 100 - rank,
        "mentions": 200,
        "negative_share": 0.5,
        "revenue_at_risk": revenue,
        "trend": 0.1,
        "votes": 2,
        "p_top3": 0.9,
        "quotes": ["a quote"],
    }


@pytest.fixture
def ceo_step(db):
    strategy = services.strategy_ensure()
    return strategy.steps.get(key="ceo_buy_in")


@pytest.fixture
def ranking(db):
    return RankingSnapshot.objects.create(
        themes=[
            theme(1, "Slow refunds", 50000),
            theme(2, "Long waits", 40000),
            theme(3, "Billing errors", 30000),
            theme(4, "App log-in", 1000),
        ]
    )


def sign_off(client, step, body=None):
    return client.post(
        f"/api/v1/strategy/steps/{step.pk}/sign-off/", body or {}, format="json"
    )


def test_an_executive_sign_off_records_who_when_and_what_was_approved(
    as_user, executive, ceo_step, ranking
):
    InitiativeFactory(title="Refund tracker", status="approved", npv=120000, roi=1.5)
    InitiativeFactory(title="Call-back", status="proposed", npv=80000)
    InitiativeFactory(title="Forum", status="rejected", npv=5000)
    answer = sign_off(as_user(executive), ceo_step, {"comment": "Go."})
    assert answer.status_code == 200, answer.content
    step = StrategyStep.objects.get(pk=ceo_step.pk)
    assert step.signed_off_by == executive
    assert step.signed_off_at is not None
    assert step.status == "done"
    snapshot = step.signoff_snapshot
    assert [t["theme"] for t in snapshot["ranking"]["top"]] == [
        "Slow refunds",
        "Long waits",
        "Billing errors",
    ]
    assert snapshot["ranking"]["snapshot_id"] == ranking.pk
    titles = {i["title"]: i for i in snapshot["initiatives"]}
    assert set(titles) == {"Refund tracker", "Call-back"}
    assert titles["Refund tracker"]["npv"] == 120000.0
    assert titles["Refund tracker"]["roi"] == 1.5
    assert snapshot["comment"] == "Go."
    assert answer.json()["signed_off_by"] == executive.username


def test_a_second_sign_off_is_refused_with_409_and_keeps_the_first(
    as_user, executive, ceo_step, ranking
):
    assert sign_off(as_user(executive), ceo_step).status_code == 200
    first = StrategyStep.objects.get(pk=ceo_step.pk)
    again = sign_off(as_user(executive), ceo_step)
    assert again.status_code == 409
    step = StrategyStep.objects.get(pk=ceo_step.pk)
    assert step.signed_off_at == first.signed_off_at
    assert step.signoff_snapshot == first.signoff_snapshot


def test_only_the_ceo_buy_in_step_takes_a_sign_off(as_user, executive, ceo_step):
    other = ceo_step.strategy.steps.get(key="redefine_mission")
    answer = sign_off(as_user(executive), other)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "step"
    other.refresh_from_db()
    assert other.signed_off_at is None and other.signoff_snapshot == {}


def test_a_cx_lead_cannot_mark_ceo_buy_in_done_by_editing_it(
    as_user, cx_lead, ceo_step
):
    answer = as_user(cx_lead).patch(
        f"/api/v1/strategy/steps/{ceo_step.pk}/", {"status": "done"}, format="json"
    )
    assert answer.status_code == 400
    ceo_step.refresh_from_db()
    assert ceo_step.status == "not_started"


def test_after_sign_off_the_buy_in_status_is_frozen(
    as_user, cx_lead, executive, ceo_step
):
    sign_off(as_user(executive), ceo_step)
    answer = as_user(cx_lead).patch(
        f"/api/v1/strategy/steps/{ceo_step.pk}/",
        {"status": "in_progress"},
        format="json",
    )
    assert answer.status_code == 400
    ceo_step.refresh_from_db()
    assert ceo_step.status == "done"


def test_advisors_see_the_approved_top_three_without_revenue(
    as_user, executive, advisor, ceo_step, ranking
):
    sign_off(as_user(executive), ceo_step)
    answer = as_user(advisor).get(f"/api/v1/strategy/steps/{ceo_step.pk}/")
    top = answer.json()["signoff_snapshot"]["ranking"]["top"]
    assert [t["theme"] for t in top][0] == "Slow refunds"
    assert all("revenue_at_risk" not in t for t in top)
    lead_view = as_user(executive).get(f"/api/v1/strategy/steps/{ceo_step.pk}/")
    assert lead_view.json()["signoff_snapshot"]["ranking"]["top"][0][
        "revenue_at_risk"
    ] == (50000)


def test_the_board_shows_making_it_real_only_after_buy_in(client, executive, ceo_step):
    InitiativeFactory(title="Refund tracker", status="in_progress", npv=1)
    client.force_login(executive)
    page = client.get(reverse("strategy")).content.decode()
    assert "Making it real" not in page
    assert "Review and sign off" in page
    sign_off_url = reverse("strategy-step-sign-off", args=[ceo_step.pk])
    assert client.post(sign_off_url, {"comment": ""}).status_code == 302
    page = client.get(reverse("strategy")).content.decode()
    assert "Making it real" in page
    assert "Refund tracker" in page
    assert 'data-testid="signed-off"' in page


def test_the_sign_off_page_refuses_everyone_but_executives(
    client, cx_lead, advisor, ceo_step
):
    url = reverse("strategy-step-sign-off", args=[ceo_step.pk])
    for user in (cx_lead, advisor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"comment": "x"}).status_code == 403
    ceo_step.refresh_from_db()
    assert ceo_step.signed_off_at is None
