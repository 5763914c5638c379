"""CX leads triage ideas: status with a reason, links, and the author hears back."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Idea, Notification
from tests.factories import IdeaFactory, ThemeFactory, UserFactory
from tests.feedback.factories_ideas import InitiativeFactory, voted

pytestmark = pytest.mark.django_db


def status_url(idea) -> str:
    return f"/api/v1/ideas/{idea.pk}/status/"


def test_a_status_change_notifies_the_author_and_the_voters_in_app_and_by_email(
    cx_lead,
    advisor,
    other_advisor,
    executive,
    as_user,
    django_capture_on_commit_callbacks,
):
    idea = voted(IdeaFactory(author=advisor, title="Refunds"), other_advisor, executive)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(cx_lead).post(
            status_url(idea), {"status": "under_review"}, format="json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "under_review"
    notified = {n.user: n for n in Notification.objects.all()}
    assert set(notified) == {advisor, other_advisor, executive}
    assert notified[advisor].message == 'Your idea "Refunds" is now under review.'
    assert "you voted for" in notified[executive].message
    assert notified[advisor].url == reverse("idea-detail", args=[idea.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [advisor.email, other_advisor.email, executive.email]
    )
    assert all("Refunds" in m.subject for m in mail.outbox)


def test_people_without_an_email_address_are_notified_in_the_app_only(
    cx_lead, as_user, django_capture_on_commit_callbacks
):
    author = UserFactory(username="noemail", email="", role="advisor")
    idea = IdeaFactory(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cx_lead).post(status_url(idea), {"status": "planned"}, format="json")
    assert Notification.objects.filter(user=author).count() == 1
    assert mail.outbox == []


def test_the_cx_lead_making_the_change_is_not_notified(
    cx_lead, advisor, as_user, django_capture_on_commit_callbacks
):
    idea = voted(IdeaFactory(author=advisor), cx_lead)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cx_lead).post(status_url(idea), {"status": "planned"}, format="json")
    assert list(Notification.objects.values_list("user", flat=True)) == [advisor.pk]


def test_declining_needs_a_reason(cx_lead, advisor, as_user):
    idea = IdeaFactory(author=advisor)
    response = as_user(cx_lead).post(
        status_url(idea), {"status": "declined", "decline_reason": "  "}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["decline_reason"]
    assert Idea.objects.get(pk=idea.pk).status == "new"
    assert not Notification.objects.exists()


def test_the_author_reads_the_decline_reason(cx_lead, advisor, as_user, client):
    idea = IdeaFactory(author=advisor)
    as_user(cx_lead).post(
        status_url(idea),
        {"status": "declined", "decline_reason": "Already fixed in v2.3"},
        format="json",
    )
    note = Notification.objects.get(user=advisor)
    assert note.message.endswith("was declined. Reason: Already fixed in v2.3")
    client.force_login(advisor)
    html = client.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert "Already fixed in v2.3" in html


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "shipped"),
        ("under_review", "new"),
        ("planned", "new"),
        ("shipped", "declined"),
        ("shipped", "planned"),
        ("new", "new"),
        ("declined", "planned"),
    ],
)
def test_an_invalid_transition_answers_400_on_status(start, target, cx_lead, as_user):
    reason = "Not now" if start == "declined" else ""
    idea = IdeaFactory(status=start, decline_reason=reason)
    response = as_user(cx_lead).post(
        status_url(idea), {"status": target, "decline_reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
    assert Idea.objects.get(pk=idea.pk).status == start


def test_an_unknown_status_answers_400_on_status(cx_lead, as_user):
    idea = IdeaFactory()
    response = as_user(cx_lead).post(status_url(idea), {"status": "done"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_an_idea_walks_the_workflow_and_may_step_back_to_review(cx_lead, as_user):
    idea = IdeaFactory()
    api = as_user(cx_lead)
    for step in ("under_review", "planned", "under_review", "planned"):
        response = api.post(status_url(idea), {"status": step}, format="json")
        assert response.status_code == 200, (step, response.content)
    declined = api.post(
        status_url(idea), {"status": "declined", "decline_reason": "Budget"}
    )
    assert declined.json()["decline_reason"] == "Budget"
    reopened = api.post(status_url(idea), {"status": "under_review"})
    assert reopened.json()["decline_reason"] == ""


def test_shipping_needs_the_initiative_that_delivered_it(cx_lead, as_user):
    idea = IdeaFactory(status="planned")
    response = as_user(cx_lead).post(status_url(idea), {"status": "shipped"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "initiatives"
    assert Idea.objects.get(pk=idea.pk).status == "planned"


def test_a_shipped_idea_shows_which_initiative_delivered_it(
    cx_lead, advisor, as_user, client
):
    idea = IdeaFactory(author=advisor, status="planned")
    initiative = InitiativeFactory(title="Refund tracker")
    response = as_user(cx_lead).post(
        status_url(idea),
        {"status": "shipped", "initiatives": [initiative.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["initiatives"][0]["title"] == "Refund tracker"
    assert "delivered by Refund tracker" in Notification.objects.get().message
    client.force_login(advisor)
    html = client.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert 'data-testid="shipped-by"' in html
    assert "Refund tracker" in html


def test_a_cx_lead_links_themes_and_initiatives(cx_lead, as_user):
    idea = IdeaFactory()
    theme = ThemeFactory(name="Refunds")
    initiative = InitiativeFactory()
    response = as_user(cx_lead).put(
        f"/api/v1/ideas/{idea.pk}/links/",
        {"themes": [theme.pk], "initiatives": [initiative.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [t["id"] for t in response.json()["themes"]] == [theme.pk]
    assert list(initiative.ideas.all()) == [idea]


def test_linking_an_unknown_theme_answers_400_and_links_nothing(cx_lead, as_user):
    idea = IdeaFactory()
    theme = ThemeFactory(name="Refunds")
    response = as_user(cx_lead).put(
        f"/api/v1/ideas/{idea.pk}/links/",
        {"themes": [theme.pk, 999999]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "themes"
    assert not idea.themes.exists()


def test_the_triage_page_changes_status_and_links(cx_lead, advisor, client):
    idea = IdeaFactory(author=advisor)
    theme = ThemeFactory(name="Refunds")
    client.force_login(cx_lead)
    client.post(reverse("idea-links", args=[idea.pk]), {"themes": [theme.pk]})
    client.post(
        reverse("idea-status", args=[idea.pk]),
        {"status": "declined", "decline_reason": "Duplicate of a shipped fix"},
    )
    idea.refresh_from_db()
    assert list(idea.themes.all()) == [theme]
    assert (idea.status, idea.decline_reason) == (
        "declined",
        "Duplicate of a shipped fix",
    )
    assert Notification.objects.filter(user=advisor).count() == 1


def test_the_triage_page_explains_a_refused_decline(cx_lead, client):
    idea = IdeaFactory()
    client.force_login(cx_lead)
    response = client.post(
        reverse("idea-status", args=[idea.pk]),
        {"status": "declined", "decline_reason": ""},
        follow=True,
    )
    assert "Say why it is declined" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == "new"
