"""Votes: one per person, toggled from the API and the page, counted atomically."""

import pytest
from django.urls import reverse

from feedback.models import Idea, RankingState, Vote
from tests.factories import IdeaFactory, ThemeFactory
from tests.feedback.factories_ideas import voted

pytestmark = pytest.mark.django_db


def vote_url(idea) -> str:
    return f"/api/v1/ideas/{idea.pk}/vote/"


def test_two_people_voting_make_two_votes(advisor, other_advisor, as_user):
    idea = IdeaFactory()
    first = as_user(advisor).post(vote_url(idea))
    second = as_user(other_advisor).post(vote_url(idea))
    assert first.json() == {"votes": 1, "voted": True}
    assert second.json() == {"votes": 2, "voted": True}
    idea.refresh_from_db()
    assert idea.vote_count == 2
    assert Vote.objects.filter(idea=idea).count() == 2


def test_voting_twice_counts_once(advisor, as_user):
    idea = IdeaFactory()
    api = as_user(advisor)
    api.post(vote_url(idea))
    again = api.post(vote_url(idea))
    assert again.status_code == 200
    assert again.json() == {"votes": 1, "voted": True}
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.filter(idea=idea, user=advisor).count() == 1


def test_delete_takes_my_vote_back_and_is_idempotent(advisor, other_advisor, as_user):
    idea = voted(IdeaFactory(), advisor, other_advisor)
    api = as_user(advisor)
    assert api.delete(vote_url(idea)).json() == {"votes": 1, "voted": False}
    assert api.delete(vote_url(idea)).json() == {"votes": 1, "voted": False}
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert not Vote.objects.filter(idea=idea, user=advisor).exists()


def test_the_idea_shows_whether_i_voted(advisor, other_advisor, as_user):
    idea = voted(IdeaFactory(), advisor)
    mine = as_user(advisor).get(f"/api/v1/ideas/{idea.pk}/").json()
    theirs = as_user(other_advisor).get(f"/api/v1/ideas/{idea.pk}/").json()
    assert (mine["votes"], mine["voted"]) == (1, True)
    assert (theirs["votes"], theirs["voted"]) == (1, False)


@pytest.mark.parametrize("role", ["advisor", "executive", "cx_lead"])
def test_every_role_may_vote(role, advisor, executive, cx_lead, as_user):
    user = {"advisor": advisor, "executive": executive, "cx_lead": cx_lead}[role]
    idea = IdeaFactory()
    assert as_user(user).post(vote_url(idea)).status_code == 200
    assert Vote.objects.filter(idea=idea, user=user).exists()


def test_someone_without_a_role_cannot_vote(outsider, as_user):
    idea = IdeaFactory()
    assert as_user(outsider).post(vote_url(idea)).status_code == 403
    assert as_user(None).post(vote_url(idea)).status_code in (401, 403)
    assert not Vote.objects.exists()


def test_the_page_toggles_my_vote_with_htmx(client, advisor):
    idea = IdeaFactory()
    client.force_login(advisor)
    url = reverse("idea-vote", args=[idea.pk])
    on = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="true"' in on
    assert '<span data-testid="vote-count">1</span>' in on
    off = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="false"' in off
    assert '<span data-testid="vote-count">0</span>' in off
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


def test_the_page_vote_works_without_javascript(client, advisor):
    idea = IdeaFactory()
    client.force_login(advisor)
    response = client.post(reverse("idea-vote", args=[idea.pk]))
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_a_vote_on_a_themed_idea_marks_the_ranking_dirty(advisor, as_user):
    idea = IdeaFactory()
    idea.themes.add(ThemeFactory(name="Refunds"))
    before = RankingState.objects.first()
    before = before.inputs_version if before else 0
    as_user(advisor).post(vote_url(idea))
    assert RankingState.objects.get().inputs_version > before


def test_a_merged_idea_takes_no_new_votes(advisor, as_user):
    target = IdeaFactory()
    source = IdeaFactory(
        merged_into=target,
        status="declined",
        decline_reason=f"merged into #{target.pk}",
    )
    response = as_user(advisor).post(vote_url(source))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "idea"
    assert not Vote.objects.exists()
