"""Submitting ideas: from the API and the phone form, and theme hints while typing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Idea, ThemeAssignment
from tests.factories import CustomerFactory, FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"
NEW_IDEA = {
    "title": "Refund status is invisible",
    "body": "Customers call three times to ask where their refund is.",
    "suggested_fix": "Show the refund stage in the app.",
    "evidence_customer_ref": "T-1234",
    "evidence_frequency": "10 calls a day",
}


def test_an_advisor_submits_an_idea_through_the_api(advisor, as_user):
    response = as_user(advisor).post(IDEAS, NEW_IDEA, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == NEW_IDEA["title"]
    assert body["status"] == "new"
    assert body["votes"] == 0
    assert body["author"]["username"] == advisor.username
    idea = Idea.objects.get(pk=body["id"])
    assert idea.author == advisor
    assert idea.evidence_frequency == "10 calls a day"


def test_an_advisor_submits_an_idea_through_the_form(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("idea-new"), NEW_IDEA)
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("idea-detail", args=[idea.pk])
    assert idea.author == advisor
    assert idea.status == "new"
    assert idea.suggested_fix == NEW_IDEA["suggested_fix"]


def test_the_form_refuses_an_idea_without_a_title_and_keeps_the_text(client, advisor):
    client.force_login(advisor)
    response = client.post(reverse("idea-new"), {**NEW_IDEA, "title": "  "})
    assert response.status_code == 200
    assert Idea.objects.count() == 0
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert NEW_IDEA["body"] in html


def test_the_api_refuses_an_idea_without_a_body(advisor, as_user):
    response = as_user(advisor).post(IDEAS, {"title": "Only a title"}, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"body"}
    assert Idea.objects.count() == 0


def test_status_author_and_vote_count_sent_by_an_advisor_change_nothing(
    advisor, other_advisor, as_user
):
    sneaky = {
        **NEW_IDEA,
        "status": "shipped",
        "author": other_advisor.pk,
        "vote_count": 99,
        "votes": 99,
        "decline_reason": "x",
        "merged_into": 1,
    }
    created = as_user(advisor).post(IDEAS, sneaky, format="json")
    assert created.status_code == 201
    idea = Idea.objects.get(pk=created.json()["id"])
    assert (idea.status, idea.author, idea.vote_count) == ("new", advisor, 0)
    assert idea.merged_into is None

    edited = as_user(advisor).patch(
        f"{IDEAS}{idea.pk}/",
        {"title": "Refunds are a black box", "status": "planned", "vote_count": 5},
        format="json",
    )
    assert edited.status_code == 200, edited.content
    idea.refresh_from_db()
    assert idea.title == "Refunds are a black box"
    assert (idea.status, idea.author, idea.vote_count) == ("new", advisor, 0)


def test_the_phone_form_labels_every_input(client, advisor):
    """The page is built for a 390 px screen: viewport meta, one labelled column."""
    client.force_login(advisor)
    html = client.get(reverse("idea-new")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    fields = re.findall(r'<(?:input|textarea|select)[^>]*\bid="(id_[a-z_]+)"', html)
    assert set(fields) >= {
        "id_title",
        "id_body",
        "id_suggested_fix",
        "id_evidence_customer_ref",
        "id_evidence_frequency",
    }
    for field in fields:
        assert f'<label for="{field}">' in html, field
    assert "What do customers experience?" in html
    # No fixed widths that would overflow a phone; the live hint is wired by htmx.
    assert "style=" not in html.split("<main", 1)[1]
    assert 'hx-get="/ideas/suggest-themes"' in html


def test_typing_suggests_matching_themes_with_how_many_customers_raised_them(
    client, advisor
):
    refunds = ThemeFactory(name="Refunds", keywords=["refund", "money back"])
    ThemeFactory(name="Login", keywords=["password"])
    for customer in CustomerFactory.create_batch(3):
        for _ in range(2):  # the same customer twice counts once
            item = FeedbackItemFactory(customer=customer)
            ThemeAssignment.objects.create(item=item, theme=refunds, method="rule")
    anonymous = FeedbackItemFactory(customer=None)
    ThemeAssignment.objects.create(item=anonymous, theme=refunds, method="rule")
    client.force_login(advisor)

    response = client.get(
        reverse("idea-suggest-themes"),
        {"title": "Where is my REFUND?", "body": "They want their money back"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Refunds" in html
    assert "4 customers raised this" in html
    assert "Login" not in html


def test_theme_suggestions_read_themes_once_and_count_customers_in_one_query(
    client, advisor
):
    ThemeFactory(name="Refunds", keywords=["refund"])
    ThemeFactory(name="Billing", keywords=["invoice", "refund"])
    ThemeFactory.create_batch(20)
    client.force_login(advisor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(
            reverse("idea-suggest-themes"), {"text": "refund please"}
        ).content.decode()
    assert "Refunds" in html and "Billing" in html
    feedback_queries = [q["sql"] for q in queries if "feedback_" in q["sql"]]
    assert len(feedback_queries) == 2
    assert "GROUP BY" in feedback_queries[1]


def test_theme_suggestions_ignore_partial_words(client, advisor):
    ThemeFactory(name="Refunds", keywords=["refund"])
    client.force_login(advisor)
    html = client.get(
        reverse("idea-suggest-themes"), {"text": "nonrefundable"}
    ).content.decode()
    assert "Refunds" not in html


def test_suggestions_are_for_members_only(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("idea-suggest-themes"), {"text": "refund"})
    assert response.status_code == 403
