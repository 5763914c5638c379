"""Every item accounted for: the ranking says how many items are in its window,
themed (by label, rule, model), unthemed and outside it, on the API and the page,
and the numbers add up."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.models import ThemeAssignment
from feedback.services.ranking import ranking_recompute
from tests.factories import FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db

NEWEST = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _assign(item, theme, method):
    ThemeAssignment.objects.create(item=item, theme=theme, method=method)


@pytest.fixture
def corpus():
    """In a 90-day window: 3 labelled (one also ruled), 4 ruled, 2 by the model,
    5 with no theme, 1 only in an archived theme; 6 items 200 days older."""
    billing = ThemeFactory(name="Billing")
    login = ThemeFactory(name="Login")
    archived = ThemeFactory(name="Old", is_active=False)
    items = [
        FeedbackItemFactory(
            created=NEWEST - timedelta(days=i), text=f"recent item {i}."
        )
        for i in range(15)
    ]
    for item in items[:3]:
        _assign(item, billing, "manual")
    _assign(items[0], login, "rule")
    for item in items[3:7]:
        _assign(item, login, "rule")
    for item in items[7:9]:
        _assign(item, billing, "model")
    _assign(items[9], archived, "rule")  # archived themes do not count
    old = [
        FeedbackItemFactory(
            created=NEWEST - timedelta(days=200 + i), text=f"old item {i}."
        )
        for i in range(6)
    ]
    _assign(old[0], billing, "rule")
    ranking_recompute(force=True)
    return {"window": items, "old": old}


EXPECTED = {
    "items": 21,
    "in_window": 15,
    "outside_window": 6,
    "themed": 9,
    "unthemed": 6,
    # No item of this corpus was told to be in another language (one-line texts).
    "other_language": 0,
    "by_method": {"label": 3, "rule": 4, "model": 2},
}


def test_the_api_accounts_for_every_item(as_user, advisor, corpus):
    coverage = as_user(advisor).get("/api/v1/ranking/").json()["coverage"]
    assert coverage == EXPECTED
    assert coverage["themed"] + coverage["unthemed"] == coverage["in_window"]
    assert sum(coverage["by_method"].values()) == coverage["themed"]
    assert coverage["in_window"] + coverage["outside_window"] == coverage["items"]


def test_the_page_shows_the_same_numbers_and_links_to_the_unthemed(
    client, advisor, corpus
):
    client.force_login(advisor)
    html = client.get("/ranking/").content.decode()
    assert 'data-testid="coverage-items">21<' in html
    assert 'data-testid="coverage-in-window">15<' in html
    assert 'data-testid="coverage-outside">6<' in html
    assert 'data-testid="coverage-themed">9<' in html
    assert "labelled by hand 3, by keyword rule 4, by the model 2" in html
    link = html.split('data-testid="coverage-unthemed"')[0].rsplit('href="', 1)[1]
    link = link.split('"')[0].replace("&amp;", "&")
    listed = client.get(link)
    assert listed.status_code == 200
    body = listed.content.decode()
    assert 'data-testid="feedback-count">6 items<' in body
    for item in corpus["window"][9:]:
        assert f"<p>{item.text}</p>" in body
    for item in corpus["old"] + corpus["window"][:9]:
        assert f"<p>{item.text}</p>" not in body


def test_a_wider_window_brings_the_old_items_in(as_user, cx_lead, corpus):
    client = as_user(cx_lead)
    weights = client.get("/api/v1/ranking/weights/").json()
    weights["window_days"] = 365
    assert (
        client.put("/api/v1/ranking/weights/", weights, format="json").status_code
        == 200
    )
    ranking_recompute()
    coverage = client.get("/api/v1/ranking/").json()["coverage"]
    assert coverage["in_window"] == 21 and coverage["outside_window"] == 0
    assert coverage["by_method"]["rule"] == 5
    assert coverage["unthemed"] == 11
