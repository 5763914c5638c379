"""Merging duplicate ideas: votes count once, comments and themes move, people hear."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Idea, IdeaComment, Notification, Vote
from tests.factories import IdeaFactory, ThemeFactory, UserFactory
from tests.feedback.factories_ideas import IdeaCommentFactory, voted

pytestmark = pytest.mark.django_db


def merge(api, source, target):
    return api.post(
        f"/api/v1/ideas/{source.pk}/merge/", {"into": target.pk}, format="json"
    )


def test_merging_carries_votes_without_counting_anyone_twice(
    cx_lead, advisor, other_advisor, executive, as_user
):
    both = UserFactory(username="bea", role="advisor")
    source = voted(IdeaFactory(), advisor, both)
    target = voted(IdeaFactory(), other_advisor, both, executive)
    response = merge(as_user(cx_lead), source, target)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk
    assert response.json()["votes"] == 4
    target.refresh_from_db()
    source.refresh_from_db()
    assert target.vote_count == 4
    assert set(Vote.objects.filter(idea=target).values_list("user", flat=True)) == {
        advisor.pk,
        both.pk,
        other_advisor.pk,
        executive.pk,
    }
    assert source.vote_count == 0
    assert not Vote.objects.filter(idea=source).exists()


def test_merging_moves_comments_and_themes(cx_lead, as_user):
    source, target = IdeaFactory(), IdeaFactory()
    IdeaCommentFactory.create_batch(2, idea=source)
    IdeaCommentFactory(idea=target)
    refunds = ThemeFactory(name="Refunds")
    source.themes.add(refunds)
    merge(as_user(cx_lead), source, target)
    assert IdeaComment.objects.filter(idea=target).count() == 3
    assert not IdeaComment.objects.filter(idea=source).exists()
    assert list(target.themes.all()) == [refunds]


def test_the_merged_idea_is_declined_as_merged_into_the_target(cx_lead, as_user):
    source, target = IdeaFactory(), IdeaFactory()
    merge(as_user(cx_lead), source, target)
    source.refresh_from_db()
    assert source.status == "declined"
    assert source.decline_reason == f"merged into #{target.pk}"
    assert source.merged_into == target


def test_merging_notifies_both_authors_and_the_voters_of_the_duplicate(
    cx_lead,
    advisor,
    other_advisor,
    executive,
    as_user,
    django_capture_on_commit_callbacks,
):
    source = voted(IdeaFactory(author=advisor), other_advisor)
    target = voted(IdeaFactory(author=executive), executive)
    with django_capture_on_commit_callbacks(execute=True):
        merge(as_user(cx_lead), source, target)
    notified = set(Notification.objects.values_list("user__username", flat=True))
    # The target's author hears that a duplicate joined their idea.
    assert notified == {advisor.username, other_advisor.username, executive.username}
    assert f"#{target.pk}" in Notification.objects.get(user=advisor).message
    assert "merged into your idea" in Notification.objects.get(user=executive).message
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [advisor.email, other_advisor.email, executive.email]
    )


def test_the_merged_list_hides_duplicates_but_my_ideas_keep_them(
    cx_lead, advisor, as_user
):
    source, target = IdeaFactory(author=advisor), IdeaFactory()
    merge(as_user(cx_lead), source, target)
    everyone = as_user(advisor).get("/api/v1/ideas/").json()["results"]
    mine = as_user(advisor).get("/api/v1/ideas/?mine=true").json()["results"]
    assert [i["id"] for i in everyone] == [target.pk]
    assert [i["id"] for i in mine] == [source.pk]
    assert mine[0]["merged_into"] == target.pk


@pytest.mark.parametrize("case", ["itself", "already-merged", "into-merged", "shipped"])
def test_impossible_merges_answer_400_and_change_nothing(case, cx_lead, as_user):
    source, target, third = IdeaFactory(), IdeaFactory(), IdeaFactory()
    if case == "itself":
        target = source
    elif case == "already-merged":
        merge(as_user(cx_lead), source, third)
    elif case == "into-merged":
        merge(as_user(cx_lead), target, third)
    elif case == "shipped":
        Idea.objects.filter(pk=source.pk).update(status="shipped")
    before = list(Idea.objects.order_by("pk").values())
    response = merge(as_user(cx_lead), source, target)
    assert response.status_code == 400
    assert list(Idea.objects.order_by("pk").values()) == before


def test_merging_into_an_unknown_idea_answers_400(cx_lead, as_user):
    source = IdeaFactory()
    response = as_user(cx_lead).post(
        f"/api/v1/ideas/{source.pk}/merge/", {"into": 999999}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "into"


def test_the_triage_page_merges_and_shows_the_target(cx_lead, client):
    source = voted(IdeaFactory(title="Refund delays"), UserFactory(role="advisor"))
    target = IdeaFactory(title="Refunds take weeks")
    client.force_login(cx_lead)
    response = client.post(
        reverse("idea-merge", args=[source.pk]), {"into": target.pk}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("idea-detail", args=[target.pk])
    assert "Refund delays" in html  # listed among the duplicates merged here
    assert Idea.objects.get(pk=target.pk).vote_count == 1


def test_ideas_merged_earlier_follow_their_target_along(cx_lead, as_user):
    first, middle, last = IdeaFactory(), IdeaFactory(), IdeaFactory()
    merge(as_user(cx_lead), first, middle)
    merge(as_user(cx_lead), middle, last)
    first.refresh_from_db()
    assert first.merged_into == last
    assert first.decline_reason == f"merged into #{last.pk}"
