"""Mass assignment: fields a caller may not set are ignored, whoever sends them.

An advisor sending `status`, `author` or `votes` with an idea, a CX lead sending
`status`, `npv` or `rank` with an initiative, or anyone sending `sentiment` with
feedback changes nothing the product decides for itself.
"""

import pytest

from feedback.models import FeedbackItem, Idea
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_an_advisor_cannot_set_status_author_or_votes_on_an_idea(
    as_user, advisor, other_advisor
):
    api = as_user(advisor)
    created = api.post(
        "/api/v1/ideas/",
        {
            "title": "Call-backs",
            "body": "Queues are long.",
            "status": "shipped",
            "author": other_advisor.pk,
            "votes": 500,
        },
        format="json",
    )
    assert created.status_code == 201
    idea = Idea.objects.get(pk=created.json()["id"])
    assert idea.status == "new" and idea.author == advisor and idea.vote_count == 0
    patched = api.patch(
        f"/api/v1/ideas/{idea.pk}/",
        {"status": "planned", "author": other_advisor.pk, "votes": 9},
        format="json",
    )
    assert patched.status_code in (200, 400)
    idea.refresh_from_db()
    assert idea.status == "new" and idea.author == advisor and idea.vote_count == 0


def test_initiative_status_and_figures_come_only_from_decisions_and_the_engine(
    as_user, cx_lead, executive
):
    api = as_user(cx_lead)
    created = api.post(
        "/api/v1/initiatives/",
        {
            "title": "Refund tracker",
            "status": "approved",
            "npv": "99999999",
            "rank": 1,
            "cost_lines": [
                {
                    "kind": "one_time",
                    "label": "Build",
                    "low": "900",
                    "likely": "1000",
                    "high": "1200",
                },
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    initiative = Initiative.objects.get(pk=created.json()["id"])
    assert initiative.status == "proposed"
    assert initiative.npv is None or initiative.npv < 0  # only costs: negative
    api.patch(
        f"/api/v1/initiatives/{initiative.pk}/",
        {"status": "approved", "npv": "5", "created_by": executive.pk},
        format="json",
    )
    initiative.refresh_from_db()
    assert initiative.status == "proposed" and initiative.created_by == cx_lead


def test_feedback_sentiment_and_polarity_are_scored_not_taken(as_user, cx_lead):
    answer = as_user(cx_lead).post(
        "/api/v1/feedback/",
        {
            "text": "Terrible, the app crashed and I lost my order.",
            "created": "2026-11-01",
            "sentiment": 0.99,
            "polarity": "positive",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    item = FeedbackItem.objects.get()
    assert item.polarity == "negative" and item.sentiment < 0
