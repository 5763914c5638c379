"""Executive decisions: who may decide, the funding gate, the log, notifications."""

import pytest

from cxplan.core.models import AuditEvent
from feedback.models import Notification
from initiatives.models import Allocation, Decision, Initiative
from tests.factories import IdeaFactory, ThemeFactory, UserFactory
from tests.initiatives.factories_funding import (
    add_custom_benefit,
    initiative_costing,
    source_with,
)

pytestmark = pytest.mark.django_db

DECISIONS = "/api/v1/decisions/"


def decide_url(initiative):
    return f"/api/v1/initiatives/{initiative.pk}/decide/"


def funded(initiative, amount=10_000):
    source = source_with({0: amount})
    Allocation.objects.create(
        source=source, initiative=initiative, year=0, amount=amount
    )
    return source


@pytest.fixture
def case():
    """A proposed initiative costing 10 000 at t = 0, fully funded."""
    initiative = initiative_costing(10_000, title="Self-service returns")
    add_custom_benefit(initiative, 20_000)
    funded(initiative)
    return initiative


# --- refusals --------------------------------------------------------------


def test_only_executives_decide(api, as_user, case, cx_lead, advisor, outsider):
    body = {"verdict": "approve"}
    assert api.post(decide_url(case), body).status_code in (401, 403)
    for user in (cx_lead, advisor, outsider):
        assert as_user(user).post(decide_url(case), body).status_code == 403
    assert not Decision.objects.exists()
    case.refresh_from_db()
    assert case.status == "proposed"


def test_deciding_an_unknown_initiative_is_404(as_user, executive):
    response = as_user(executive).post(
        "/api/v1/initiatives/999999/decide/", {"verdict": "approve"}
    )
    assert response.status_code == 404


def test_approval_is_refused_with_the_gap_while_costs_are_not_funded(
    as_user, executive
):
    initiative = initiative_costing(one_time=10_000, recurring=1000)
    funded(initiative, 4000)
    response = as_user(executive).post(decide_url(initiative), {"verdict": "approve"})
    assert response.status_code == 400
    body = response.json()
    assert "missing $6,000.00 in year 0" in body["errors"][0]["message"]
    assert body["errors"][0]["field"] == "verdict"
    assert body["gap"][0] == {"year": 0, "needed": 10_000, "funded": 4000, "gap": 6000}
    assert [row["year"] for row in body["gap"]] == [0, 1, 2, 3]
    initiative.refresh_from_db()
    assert initiative.status == "proposed"
    assert not Decision.objects.exists()


def test_rejecting_or_deferring_needs_a_reason(as_user, executive, case):
    for verdict in ("reject", "defer"):
        response = as_user(executive).post(decide_url(case), {"verdict": verdict})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "comment"


def test_an_unknown_verdict_is_a_field_error(as_user, executive, case):
    response = as_user(executive).post(decide_url(case), {"verdict": "maybe"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "verdict"


def test_a_decision_on_stale_figures_is_refused(as_user, executive, case):
    response = as_user(executive).post(
        decide_url(case), {"verdict": "approve", "version": case.version + 1}
    )
    assert response.status_code == 409
    assert not Decision.objects.exists()


def test_work_in_progress_cannot_be_decided_again(as_user, executive, case):
    Initiative.objects.filter(pk=case.pk).update(status="in_progress")
    response = as_user(executive).post(
        decide_url(case), {"verdict": "reject", "comment": "too late"}
    )
    assert response.status_code == 400
    assert "cannot be rejected" in response.json()["errors"][0]["message"]


# --- the decision ----------------------------------------------------------


def test_approval_logs_who_when_why_and_the_figures_seen(as_user, executive, case):
    Initiative.objects.filter(pk=case.pk).update(npv=12345, roi=0.5)
    case.refresh_from_db()
    response = as_user(executive).post(
        decide_url(case),
        {"verdict": "approve", "comment": "Clear payback", "version": case.version},
    )
    assert response.status_code == 201, response.json()
    decision = Decision.objects.get()
    assert decision.decided_by == executive
    assert decision.comment == "Clear payback"
    assert decision.decided_at is not None
    assert decision.figures["npv"] == 12345.0
    assert decision.figures["roi"] == 0.5
    assert decision.figures["version"] == case.version
    assert decision.figures["funding"]["gap"] == 0.0
    assert decision.figures["computed"]["costs"][0] == 10_000.0
    case.refresh_from_db()
    assert case.status == "approved"
    assert case.version == 2
    assert AuditEvent.objects.filter(action="initiative.approve").exists()


def test_a_rejection_then_cannot_be_approved(as_user, executive, case):
    client = as_user(executive)
    rejected = client.post(decide_url(case), {"verdict": "reject", "comment": "No"})
    assert rejected.status_code == 201
    assert client.post(decide_url(case), {"verdict": "approve"}).status_code == 400


def test_a_deferred_initiative_can_be_approved_later(as_user, executive, case):
    client = as_user(executive)
    client.post(decide_url(case), {"verdict": "defer", "comment": "Next quarter"})
    assert client.post(decide_url(case), {"verdict": "approve"}).status_code == 201
    assert list(Decision.objects.values_list("verdict", flat=True)) == [
        "approve",
        "defer",
    ]


def test_the_owner_and_authors_of_linked_ideas_are_notified(
    as_user, executive, case, advisor, other_advisor
):
    owner = UserFactory(username="olga", role="cx_lead")
    theme = ThemeFactory(name="Returns")
    case.owner = owner
    case.save()
    case.themes.add(theme)
    direct = IdeaFactory(author=advisor)
    case.ideas.add(direct)
    by_theme = IdeaFactory(author=other_advisor)
    by_theme.themes.add(theme)
    unrelated = IdeaFactory(author=UserFactory(username="uma", role="advisor"))
    response = as_user(executive).post(
        decide_url(case), {"verdict": "defer", "comment": "After peak season"}
    )
    assert response.status_code == 201
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"olga", advisor.username, other_advisor.username}
    message = Notification.objects.filter(user=owner).get().message
    assert "deferred" in message and "After peak season" in message
    assert unrelated.author.username not in notified


# --- the log ---------------------------------------------------------------


def test_advisors_see_decisions_only_on_initiatives_linked_to_their_ideas(
    as_user, executive, case, advisor, other_advisor, cx_lead
):
    other = initiative_costing(1000, title="Other")
    funded(other, 1000)
    case.ideas.add(IdeaFactory(author=advisor))
    client = as_user(executive)
    client.post(decide_url(case), {"verdict": "approve"})
    client.post(decide_url(other), {"verdict": "approve"})
    seen = as_user(advisor).get(DECISIONS).json()
    assert [d["initiative"] for d in seen["results"]] == [case.pk]
    assert as_user(other_advisor).get(DECISIONS).json()["count"] == 0
    assert as_user(cx_lead).get(DECISIONS).json()["count"] == 2
    only = as_user(cx_lead).get(f"{DECISIONS}?initiative={other.pk}").json()
    assert [d["initiative"] for d in only["results"]] == [other.pk]


def test_advisors_also_see_decisions_linked_through_a_theme(
    as_user, executive, case, advisor
):
    theme = ThemeFactory(name="Delivery")
    case.themes.add(theme)
    IdeaFactory(author=advisor).themes.add(theme)
    as_user(executive).post(decide_url(case), {"verdict": "approve"})
    assert as_user(advisor).get(DECISIONS).json()["count"] == 1


def test_the_decision_log_refuses_outsiders_and_bad_filters(
    api, as_user, outsider, cx_lead
):
    assert api.get(DECISIONS).status_code in (401, 403)
    assert as_user(outsider).get(DECISIONS).status_code == 403
    assert as_user(cx_lead).get(f"{DECISIONS}?initiative=x").status_code == 400


def test_the_log_does_not_grow_queries(
    as_user, executive, cx_lead, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            initiative = initiative_costing(100)
            funded(initiative, 100)
            as_user(executive).post(decide_url(initiative), {"verdict": "approve"})

    grow(2)
    client = as_user(cx_lead)
    with django_assert_max_num_queries(6):
        client.get(DECISIONS)
    grow(8)
    with django_assert_max_num_queries(6):
        assert client.get(DECISIONS).json()["count"] == 10
