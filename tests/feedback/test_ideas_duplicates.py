"""Duplicates (issue 24.4): a new idea is answered with the open ideas likely to
say the same, by spelling (rapidfuzz) or by meaning (TF-IDF of stems); a CX
lead's merge moves votes (a double voter counts once), customers, items and
comments, and both authors hear of it."""

import pytest
from django.urls import reverse

from feedback.models import IdeaComment, Notification
from feedback.themes.duplicates import (
    FUZZY_MIN,
    MEANING_MIN,
    Candidate,
    duplicates_find,
)
from tests.factories import CustomerFactory, FeedbackItemFactory, IdeaFactory
from tests.feedback.factories_ideas import IdeaCommentFactory

pytestmark = pytest.mark.django_db
IDEAS = "/api/v1/ideas/"
REFUND = {
    "title": "Show refund status in the app",
    "body": "Customers call three times to ask where their refund is.",
}


def submit(api, title, body):
    answer = api.post(IDEAS, {"title": title, "body": body}, format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_reworded_idea_is_answered_with_its_likely_duplicate(advisor, as_user):
    refund = IdeaFactory(**REFUND)
    IdeaFactory(title="Dark mode", body="Agents want a darker dashboard at night.")
    answer = submit(
        as_user(advisor),
        "Refund status in the app",
        "Customers ask us where their refund is.",
    )
    assert answer["possible_duplicates"] == [refund.pk]


def test_the_same_need_in_other_words_is_found_by_meaning(advisor, as_user):
    slow = IdeaFactory(
        title="Refunds are slow",
        body="People wait weeks for their money to be refunded and then complain.",
    )
    IdeaFactory(title="Parcel tracking", body="Shoppers want to follow deliveries.")
    title, body = "Slow refunding", "Complaints: waiting for refunded money."
    found = duplicates_find(f"{title}. {body}", [Candidate(slow.pk, slow.body)])
    # Spelling alone would not find it; the shared stems do.
    assert found[0].fuzzy < FUZZY_MIN <= 100 and found[0].meaning >= MEANING_MIN
    assert submit(as_user(advisor), title, body)["possible_duplicates"] == [slow.pk]


def test_closed_and_merged_ideas_are_not_offered_and_five_at_most(advisor, as_user):
    for status in ("declined", "shipped"):
        IdeaFactory(**REFUND, status=status, decline_reason="no")
    kept = IdeaFactory(**REFUND)
    IdeaFactory(**REFUND, merged_into=kept)
    open_ones = [kept] + [IdeaFactory(**REFUND) for _ in range(6)]
    found = submit(as_user(advisor), **REFUND)["possible_duplicates"]
    assert len(found) == 5
    assert set(found) <= {i.pk for i in open_ones}


def test_an_idea_unlike_any_other_has_no_duplicates(advisor, as_user):
    IdeaFactory(**REFUND)
    answer = submit(as_user(advisor), "Loyalty points", "Reward repeat shoppers.")
    assert answer["possible_duplicates"] == []
    # Too short to compare: one word is inside too many ideas.
    assert submit(as_user(advisor), "Refund", "refund")["possible_duplicates"] == []


def test_two_ideas_voted_by_the_same_advisor_merge_into_one_vote_each(
    advisor, other_advisor, cx_lead, as_user
):
    first, second = IdeaFactory(**REFUND), IdeaFactory(**REFUND)
    for user in (advisor, other_advisor):
        assert as_user(user).post(f"{IDEAS}{first.pk}/vote/").status_code == 200
    as_user(advisor).post(f"{IDEAS}{second.pk}/vote/")
    before = as_user(cx_lead).get(IDEAS, {"ordering": "-votes"}).json()["results"]
    assert sum(r["votes"] for r in before) == 3
    merged = as_user(cx_lead).post(
        f"{IDEAS}{first.pk}/merge/", {"into": second.pk}, format="json"
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["votes"] == 2  # the advisor once, other_advisor once
    after = as_user(cx_lead).get(IDEAS).json()["results"]
    assert [(r["id"], r["votes"]) for r in after] == [(second.pk, 2)]


def test_merging_moves_customers_items_and_comments_and_tells_both_authors(
    advisor, other_advisor, cx_lead, as_user, django_capture_on_commit_callbacks
):
    source = IdeaFactory(author=advisor, **REFUND)
    target = IdeaFactory(author=other_advisor, **REFUND)
    shared = CustomerFactory(annual_revenue=4000)
    source.customers.set([shared, CustomerFactory(annual_revenue=1000)])
    target.items.set([FeedbackItemFactory(customer=shared)])
    source.items.set([FeedbackItemFactory(customer=None)])
    IdeaCommentFactory.create_batch(2, idea=source)
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(cx_lead).post(
            f"{IDEAS}{source.pk}/merge/", {"into": target.pk}, format="json"
        )
    assert answer.status_code == 200, answer.content
    assert answer.json()["customers"] == 2  # `shared` counts once
    assert answer.json()["customer_revenue"] == 5000.0
    assert target.items.count() == 2
    assert IdeaComment.objects.filter(idea=target).count() == 2
    told = dict(Notification.objects.values_list("user__username", "message"))
    assert set(told) == {advisor.username, other_advisor.username}
    assert f"#{target.pk}" in told[advisor.username]
    assert "merged into your idea" in told[other_advisor.username]


def test_the_form_shows_likely_duplicates_as_the_advisor_types(client, advisor):
    refund = IdeaFactory(**REFUND)
    client.force_login(advisor)
    html = client.get(
        reverse("idea-suggest-themes"),
        {"title": "Refund status in the app", "body": "Where is my refund?"},
    ).content.decode()
    assert 'data-testid="possible-duplicates"' in html
    assert f'href="/ideas/{refund.pk}/"' in html and REFUND["title"] in html
    quiet = client.get(reverse("idea-suggest-themes"), {"title": "Loyalty points"})
    assert "possible-duplicates" not in quiet.content.decode()


def test_the_edit_form_leaves_the_idea_itself_out(client, advisor):
    mine = IdeaFactory(author=advisor, **REFUND)
    client.force_login(advisor)
    form = client.get(reverse("idea-edit", args=[mine.pk])).content.decode()
    assert f"/ideas/suggest-themes?exclude={mine.pk}" in form
    html = client.get(
        reverse("idea-suggest-themes"), {"exclude": mine.pk, **REFUND}
    ).content.decode()
    assert "possible-duplicates" not in html
    assert (
        client.get(
            reverse("idea-suggest-themes"), {"exclude": "9" * 30, **REFUND}
        ).status_code
        == 200
    )
