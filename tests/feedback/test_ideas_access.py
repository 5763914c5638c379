"""Who may do what with ideas: refusals answer 403 (or 404) and change nothing."""

import pytest
from django.urls import reverse

from feedback.models import Idea, Notification
from tests.factories import IdeaFactory, ThemeFactory
from tests.feedback.factories_ideas import InitiativeFactory

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"


def snapshot(idea) -> tuple:
    idea = Idea.objects.get(pk=idea.pk)
    return (
        idea.title,
        idea.status,
        idea.decline_reason,
        idea.version,
        idea.merged_into_id,
        sorted(idea.themes.values_list("pk", flat=True)),
        sorted(idea.initiatives.values_list("pk", flat=True)),
    )


def test_an_advisor_cannot_edit_another_advisors_idea(advisor, other_advisor, as_user):
    idea = IdeaFactory(author=other_advisor)
    before = snapshot(idea)
    api = as_user(advisor)
    assert api.patch(f"{IDEAS}{idea.pk}/", {"title": "Mine now"}).status_code == 403
    put = api.put(f"{IDEAS}{idea.pk}/", {"title": "Mine now", "body": "x"})
    assert put.status_code == 403
    assert snapshot(idea) == before


def test_an_advisor_is_refused_before_validation_on_someone_elses_idea(
    advisor, other_advisor, as_user
):
    idea = IdeaFactory(author=other_advisor)
    response = as_user(advisor).patch(f"{IDEAS}{idea.pk}/", {"title": ""})
    assert response.status_code == 403


def test_an_advisor_cannot_edit_their_own_idea_once_triaged(advisor, as_user):
    idea = IdeaFactory(author=advisor, status="under_review")
    before = snapshot(idea)
    response = as_user(advisor).patch(f"{IDEAS}{idea.pk}/", {"title": "Changed"})
    assert response.status_code == 403
    assert snapshot(idea) == before


def test_an_advisor_edits_their_own_new_idea(advisor, as_user):
    idea = IdeaFactory(author=advisor)
    response = as_user(advisor).patch(f"{IDEAS}{idea.pk}/", {"title": "Sharper"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert Idea.objects.get(pk=idea.pk).title == "Sharper"


def test_a_stale_edit_is_refused(advisor, as_user):
    idea = IdeaFactory(author=advisor)
    api = as_user(advisor)
    api.patch(f"{IDEAS}{idea.pk}/", {"title": "First"}, format="json")
    stale = api.patch(
        f"{IDEAS}{idea.pk}/", {"title": "Second", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert Idea.objects.get(pk=idea.pk).title == "First"


def test_the_edit_page_refuses_others_and_triaged_ideas(client, advisor, other_advisor):
    theirs = IdeaFactory(author=other_advisor)
    triaged = IdeaFactory(author=advisor, status="planned")
    client.force_login(advisor)
    for idea in (theirs, triaged):
        url = reverse("idea-edit", args=[idea.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x", "body": "y"}).status_code == 403
        assert Idea.objects.get(pk=idea.pk).title == idea.title


TRIAGE_CALLS = [
    ("post", "status", {"status": "under_review"}),
    ("post", "status", {"status": "declined", "decline_reason": "No"}),
    ("put", "links", {"themes": []}),
    ("post", "merge", {}),
]


@pytest.mark.parametrize("role", ["advisor", "executive", "outsider"])
@pytest.mark.parametrize(("method", "path", "payload"), TRIAGE_CALLS)
def test_only_cx_leads_triage_through_the_api(
    role, method, path, payload, advisor, executive, outsider, as_user
):
    user = {"advisor": advisor, "executive": executive, "outsider": outsider}[role]
    idea = IdeaFactory(author=advisor)
    other = IdeaFactory()
    theme = ThemeFactory(name="Refunds")
    if path == "merge":
        payload = {"into": other.pk}
    if path == "links":
        payload = {"themes": [theme.pk], "initiatives": [InitiativeFactory().pk]}
    before, other_before = snapshot(idea), snapshot(other)
    response = getattr(as_user(user), method)(
        f"{IDEAS}{idea.pk}/{path}/", payload, format="json"
    )
    assert response.status_code == 403
    assert (snapshot(idea), snapshot(other)) == (before, other_before)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", ["advisor", "executive"])
@pytest.mark.parametrize("name", ["idea-status", "idea-links", "idea-merge"])
def test_only_cx_leads_triage_through_the_pages(role, name, client, advisor, executive):
    user = advisor if role == "advisor" else executive
    idea = IdeaFactory(author=advisor)
    other = IdeaFactory()
    before = snapshot(idea)
    client.force_login(user)
    response = client.post(
        reverse(name, args=[idea.pk]),
        {"status": "declined", "decline_reason": "no", "into": other.pk},
    )
    assert response.status_code == 403
    assert snapshot(idea) == before


def test_advisors_and_executives_see_no_triage_controls(client, advisor, executive):
    idea = IdeaFactory()
    for user in (advisor, executive):
        client.force_login(user)
        html = client.get(reverse("idea-detail", args=[idea.pk])).content.decode()
        assert 'data-testid="triage"' not in html


def test_a_cx_lead_sees_the_triage_controls(client, cx_lead):
    idea = IdeaFactory()
    client.force_login(cx_lead)
    html = client.get(reverse("idea-detail", args=[idea.pk])).content.decode()
    assert 'data-testid="triage"' in html
    assert 'name="decline_reason"' in html


def test_someone_without_a_role_sees_no_ideas(client, outsider, as_user):
    idea = IdeaFactory()
    assert as_user(outsider).get(IDEAS).status_code == 403
    assert as_user(outsider).get(f"{IDEAS}{idea.pk}/").status_code == 403
    assert as_user(outsider).post(IDEAS, {"title": "t", "body": "b"}).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("idea-list")).status_code == 403
    assert client.get(reverse("idea-detail", args=[idea.pk])).status_code == 403
    assert (
        client.post(reverse("idea-new"), {"title": "t", "body": "b"}).status_code == 403
    )
    assert Idea.objects.count() == 1


def test_anonymous_visitors_are_refused(client, as_user):
    idea = IdeaFactory()
    assert as_user(None).get(IDEAS).status_code in (401, 403)
    response = client.get(reverse("idea-detail", args=[idea.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_idea_that_does_not_exist_answers_404(advisor, as_user, client):
    assert as_user(advisor).get(f"{IDEAS}999999/").status_code == 404
    client.force_login(advisor)
    assert client.get(reverse("idea-detail", args=[999999])).status_code == 404


def test_ideas_cannot_be_deleted(advisor, as_user):
    idea = IdeaFactory(author=advisor)
    assert as_user(advisor).delete(f"{IDEAS}{idea.pk}/").status_code == 405
    assert Idea.objects.filter(pk=idea.pk).exists()
