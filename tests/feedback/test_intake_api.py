"""Feedback and customers API: filters, posting one or many, errors by index."""

from datetime import UTC, datetime

import pytest

from feedback.models import FeedbackItem, ThemeAssignment
from tests.factories import CustomerFactory, FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/feedback/"


def item(**kwargs):
    return {"text": "The checkout keeps failing", "created": "2026-10-01", **kwargs}


def test_members_list_items_with_themes_most_confident_first(advisor, as_user):
    entry = FeedbackItemFactory(text="Refund took a month")
    billing, speed = ThemeFactory(name="Billing"), ThemeFactory(name="Speed")
    ThemeAssignment.objects.create(
        item=entry, theme=speed, method="rule", confidence=0.5
    )
    ThemeAssignment.objects.create(
        item=entry, theme=billing, method="model", confidence=0.9
    )
    body = as_user(advisor).get(URL).json()
    assert body["count"] == 1
    got = body["results"][0]
    assert [t["name"] for t in got["themes"]] == ["Billing", "Speed"]
    assert set(got) >= {"id", "external_id", "source", "text", "created", "channel"}
    assert "customer" not in got and "annual_revenue" not in got


def test_the_list_filters_by_theme_polarity_channel_segment_text_and_date(
    advisor, as_user
):
    theme = ThemeFactory(name="Billing")
    match = FeedbackItemFactory(
        text="Invoice was wrong",
        polarity="negative",
        channel="ticket",
        segment="smb",
        created=datetime(2026, 10, 5, tzinfo=UTC),
    )
    ThemeAssignment.objects.create(item=match, theme=theme, method="rule")
    FeedbackItemFactory(text="Invoice fine", polarity="positive", channel="ticket")
    FeedbackItemFactory(text="Old invoice", created=datetime(2026, 1, 1, tzinfo=UTC))
    client = as_user(advisor)
    query = (
        f"?theme={theme.pk}&polarity=negative&channel=ticket&segment=SMB"
        "&q=invoice&created_after=2026-10-01"
    )
    body = client.get(URL + query).json()
    assert [r["id"] for r in body["results"]] == [match.pk]
    assert client.get(URL + "?created_after=2026-10-06").json()["count"] == 1


def test_a_bad_filter_answers_400_not_500(advisor, as_user):
    response = as_user(advisor).get(URL + "?polarity=angry&created_after=soon")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"polarity", "created_after"}


def test_the_list_costs_the_same_queries_however_many_rows(
    advisor, as_user, django_assert_max_num_queries
):
    theme = ThemeFactory(name="Billing")
    client = as_user(advisor)

    def add(n):
        for _ in range(n):
            entry = FeedbackItemFactory()
            ThemeAssignment.objects.create(item=entry, theme=theme, method="rule")

    add(2)
    client.get(URL)  # warm the role cache and content types
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).json()
    assert body["count"] == 32


def test_a_cx_lead_posts_one_item(cx_lead, as_user):
    response = as_user(cx_lead).post(
        URL,
        item(external_id="x1", score=2, score_type="csat", customer_id="C7"),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["updated"]) == (1, 0)
    stored = FeedbackItem.objects.get(external_id="x1")
    assert (stored.source, stored.polarity) == ("api", "negative")
    assert stored.customer.external_id == "C7"


def test_posting_the_same_external_id_again_updates(cx_lead, as_user):
    client = as_user(cx_lead)
    client.post(URL, item(external_id="x1"), format="json")
    response = client.post(
        URL, item(external_id="x1", text="Now it works"), format="json"
    )
    assert response.json()["updated"] == 1
    assert FeedbackItem.objects.get().text == "Now it works"


def test_a_cx_lead_posts_a_list(cx_lead, as_user):
    payload = [item(external_id=f"b{i}", text=f"Note {i}") for i in range(50)]
    response = as_user(cx_lead).post(URL, payload, format="json")
    assert response.status_code == 201
    assert response.json()["created"] == 50
    assert len(response.json()["results"]) == 50


def test_a_list_with_bad_items_answers_400_by_index_and_writes_nothing(
    cx_lead, as_user
):
    payload = [
        item(),
        item(text=""),
        item(created="yesterday", channel="pigeon"),
        "not an object",
    ]
    response = as_user(cx_lead).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 3, "field": "non_field_errors", "message": "must be an object"}
    ]
    response = as_user(cx_lead).post(URL, payload[:3], format="json")
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(1, "text"), (2, "created"), (2, "channel")}
    assert FeedbackItem.objects.count() == 0


def test_one_bad_object_answers_400_without_an_index(cx_lead, as_user):
    response = as_user(cx_lead).post(
        URL, item(score=12, score_type="nps"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "score", "message": "must be between 0 and 10 for nps"}
    ]


def test_more_than_a_thousand_items_are_refused(cx_lead, as_user):
    payload = [item(external_id=str(i)) for i in range(1001)]
    response = as_user(cx_lead).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "at most 1000" in response.json()["errors"][0]["message"]
    assert FeedbackItem.objects.count() == 0


@pytest.mark.parametrize("who", ["advisor", "executive", "outsider"])
def test_only_cx_leads_post_feedback(who, request, as_user):
    response = as_user(request.getfixturevalue(who)).post(URL, item(), format="json")
    assert response.status_code == 403


def test_outsiders_and_anonymous_users_cannot_read_feedback(outsider, as_user, api):
    assert as_user(outsider).get(URL).status_code == 403
    assert api.get(URL).status_code in (401, 403)


def test_cx_leads_export_the_filtered_items(cx_lead, advisor, as_user):
    FeedbackItemFactory(text='=HYPERLINK("http://x")', channel="ticket")
    FeedbackItemFactory(text="plain", channel="survey")
    response = as_user(cx_lead).get(URL + "export/?file=csv&channel=ticket")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "'=HYPERLINK" in body and "plain" not in body
    assert as_user(advisor).get(URL + "export/").status_code == 403


def test_customers_are_for_cx_leads_and_executives(
    cx_lead, executive, advisor, as_user, api
):
    customer = CustomerFactory(name="Acme", annual_revenue=5000)
    FeedbackItemFactory(customer=customer)
    for user in (cx_lead, executive):
        body = as_user(user).get("/api/v1/customers/").json()
        assert body["results"][0]["name"] == "Acme"
        assert body["results"][0]["feedback_count"] == 1
    assert as_user(advisor).get("/api/v1/customers/").status_code == 403
    assert api.get("/api/v1/customers/").status_code in (401, 403)
    assert as_user(cx_lead).post("/api/v1/customers/", {}).status_code == 405
