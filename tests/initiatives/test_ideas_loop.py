"""The loop closes by itself (issue 24.5): when an initiative that delivers ideas
ships, their authors and voters hear it; once its effect is measured, the daily
task tells them the result, once each however often it runs."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from django.core import mail

from feedback.models import FeedbackItem, Notification, ThemeAssignment
from initiatives.tasks import notify_measured_results
from tests.factories import IdeaFactory, ThemeFactory, UserFactory
from tests.feedback.factories_ideas import voted
from tests.initiatives.factories_funding import InitiativeFactory

pytestmark = pytest.mark.django_db
SHIP = date(2026, 9, 7)
BEFORE, AFTER = 16, 12
TODAY = SHIP + timedelta(weeks=AFTER)


def _ship(as_user, lead, initiative, day=SHIP):
    return as_user(lead).patch(
        f"/api/v1/initiatives/{initiative.pk}/",
        {"status": "shipped", "shipped_on": day.isoformat()},
        format="json",
    )


@pytest.fixture
def delivered(advisor, other_advisor, executive, cx_lead):
    """An approved initiative delivering two ideas: one by the advisor (voted
    by other_advisor and the CX lead), one by the executive (voted by the
    advisor too, who must hear once)."""
    initiative = InitiativeFactory(title="Login fix", status="approved")
    first = voted(IdeaFactory(author=advisor), other_advisor, cx_lead)
    second = voted(IdeaFactory(author=executive), advisor)
    initiative.ideas.set([first, second])
    return initiative


def test_shipping_tells_the_authors_and_voters_of_its_ideas_once_each(
    delivered,
    advisor,
    other_advisor,
    executive,
    cx_lead,
    as_user,
    django_capture_on_commit_callbacks,
):
    bystander = UserFactory(username="ben", role="advisor")
    with django_capture_on_commit_callbacks(execute=True):
        answer = _ship(as_user, cx_lead, delivered)
    assert answer.status_code == 200, answer.content
    told = sorted(Notification.objects.values_list("user__username", flat=True))
    # The CX lead shipped it, so is not told; the advisor (author and voter) once.
    assert told == sorted(
        [advisor.username, other_advisor.username, executive.username]
    )
    assert bystander.notifications.count() == 0
    message = Notification.objects.get(user=advisor).message
    assert (
        message
        == "\u201cLogin fix\u201d shipped on 7 Sep 2026; we will measure its effect."
    )
    assert Notification.objects.get(user=advisor).url == f"/initiatives/{delivered.pk}/"
    assert len(mail.outbox) == 3


def test_an_initiative_without_ideas_ships_without_notifications(cx_lead, as_user):
    initiative = InitiativeFactory(status="approved")
    assert _ship(as_user, cx_lead, initiative).status_code == 200
    assert Notification.objects.count() == 0


def test_a_failed_ship_tells_nobody(delivered, cx_lead, as_user):
    answer = as_user(cx_lead).patch(
        f"/api/v1/initiatives/{delivered.pk}/", {"status": "shipped"}, format="json"
    )
    assert answer.status_code == 400  # no ship date
    assert Notification.objects.count() == 0


def _feedback(theme, *, seed=3, drop=0.4, per_week=120):
    """Weekly feedback around SHIP: the theme is 20% of items before, 20% x
    (1 - drop) after."""
    rng = np.random.default_rng(seed)
    items, hits = [], []
    for week in range(-BEFORE, AFTER):
        share = 0.2 * (1 - drop) if week >= 0 else 0.2
        for i in range(int(rng.poisson(per_week))):
            day = SHIP + timedelta(weeks=week, days=int(rng.integers(0, 7)))
            items.append(
                FeedbackItem(
                    source="gen",
                    external_id=f"{week}-{i}",
                    text="generated",
                    created=datetime.combine(day, datetime.min.time(), tzinfo=UTC),
                    channel="survey",
                    polarity="negative",
                    language="en",
                )
            )
            hits.append(rng.random() < share)
    FeedbackItem.objects.bulk_create(items, batch_size=2000)
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(item=item, theme=theme, method="rule")
            for item, hit in zip(items, hits, strict=True)
            if hit
        ]
    )


def _on(monkeypatch, day):
    from initiatives.selectors import realisation

    monkeypatch.setattr(realisation.timezone, "localdate", lambda: day)


def test_the_measured_result_is_told_once_by_the_daily_task(
    delivered, advisor, other_advisor, executive, cx_lead, as_user, monkeypatch
):
    theme = ThemeFactory(name="Login complaints")
    _feedback(theme)
    delivered.themes.set([theme])
    assert _ship(as_user, cx_lead, delivered).status_code == 200
    shipped = set(Notification.objects.values_list("pk", flat=True))

    # Two weeks after shipping it is too early: nobody hears a result.
    _on(monkeypatch, SHIP + timedelta(weeks=2))
    assert notify_measured_results.delay().get() == {"initiatives": 1, "told": 0}
    assert Notification.objects.exclude(pk__in=shipped).count() == 0

    _on(monkeypatch, TODAY)
    assert notify_measured_results.delay().get() == {"initiatives": 1, "told": 4}
    results = Notification.objects.exclude(pk__in=shipped)
    # The result goes to everyone behind the ideas, the CX lead who voted too.
    assert sorted(results.values_list("user__username", flat=True)) == sorted(
        [advisor.username, other_advisor.username, executive.username, cx_lead.username]
    )
    said = results.get(user=advisor).message
    assert said.startswith("\u201cLogin fix\u201d, measured: Login complaints: -")
    effect = as_user(advisor).get(f"/api/v1/initiatives/{delivered.pk}/realisation/")
    low, high = effect.json()["themes"][0]["ci"]
    assert f"(95% {low * 100:+.0f}% to {high * 100:+.0f}%)" in said
    assert -0.6 < effect.json()["themes"][0]["effect"] < -0.2

    # The next day's run tells nobody again.
    assert notify_measured_results.delay().get() == {"initiatives": 1, "told": 0}
    assert Notification.objects.exclude(pk__in=shipped).count() == 4


def test_a_late_voter_still_hears_the_result_once(
    delivered, advisor, cx_lead, as_user, monkeypatch
):
    theme = ThemeFactory(name="Login complaints")
    _feedback(theme)
    delivered.themes.set([theme])
    _ship(as_user, cx_lead, delivered)
    _on(monkeypatch, TODAY)
    notify_measured_results()
    late = UserFactory(username="lou", role="advisor")
    voted(delivered.ideas.first(), late)
    assert notify_measured_results() == {"initiatives": 1, "told": 1}
    assert late.notifications.get().message.startswith(
        "\u201cLogin fix\u201d, measured"
    )
    assert notify_measured_results() == {"initiatives": 1, "told": 0}
