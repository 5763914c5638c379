"""Keyword rules measured against the manual labels: precision (and recall)
with its count and 95% Wilson interval, per rule and per keyword, on the
themes API and pages; a rule whose interval tops out below the threshold is
flagged as measuring poorly."""

import math

import pytest

from feedback.models import ThemeAssignment
from feedback.services.ranking_state import ranking_mark_dirty
from tests.factories import FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _labelled(text, *themes, n=1):
    for i in range(n):
        item = FeedbackItemFactory(text=f"{text} ({i})")
        for theme in themes:
            ThemeAssignment.objects.create(item=item, theme=theme, method="manual")


@pytest.fixture
def labels():
    """Refunds' keyword "money" hits 20 items labelled Billing only."""
    refunds = ThemeFactory(name="Refunds", keywords=["refund", "money"])
    billing = ThemeFactory(name="Billing", keywords=["invoice"])
    delivery = ThemeFactory(name="Delivery", keywords=["parcel"])
    plain = ThemeFactory(name="No keywords", keywords=[])
    _labelled("My refund is late", refunds, n=6)
    _labelled("Money taken from my card twice", billing, n=20)
    _labelled("The invoice was wrong", billing, n=8)
    _labelled("Invoice wrong and no refund either", billing, refunds)
    _labelled("Where is my parcel", delivery, n=2)
    for i in range(3):  # not labelled: no part of any figure
        FeedbackItemFactory(text=f"refund my money {i}")
    ranking_mark_dirty(enqueue=False)
    return {
        "refunds": refunds,
        "billing": billing,
        "delivery": delivery,
        "plain": plain,
    }


def _hand_wilson(k, n, z=1.959964):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _quality(client, theme):
    return client.get(f"/api/v1/themes/{theme.pk}/").json()["rule_quality"]


def test_a_rule_hitting_items_labelled_as_another_theme_is_flagged(
    labels, as_user, advisor
):
    quality = _quality(as_user(advisor), labels["refunds"])
    # Hand count: matches 6 + 20 + 1 = 27 labelled items, 7 of them Refunds.
    assert quality["matched_labelled"] == 27
    assert quality["true_hits"] == 7 and quality["false_hits"] == 20
    assert quality["precision"] == pytest.approx(7 / 27)
    low, high = _hand_wilson(7, 27)
    assert quality["ci"] == pytest.approx([low, high], abs=1e-4)
    assert high < 0.6 and quality["flag"] == "poor"
    assert quality["recall"] == pytest.approx(1.0)  # both Refunds labels found
    words = {k["keyword"]: k for k in quality["keywords"]}
    assert words["money"]["false_hits"] == 20 and words["money"]["precision"] == 0
    assert words["refund"]["matched_labelled"] == 7
    assert words["refund"]["false_hits"] == 0


def test_a_good_rule_is_not_flagged_and_recall_counts_its_misses(
    labels, as_user, advisor
):
    quality = _quality(as_user(advisor), labels["billing"])
    assert quality["flag"] == "ok" and quality["precision"] == 1.0
    assert quality["matched_labelled"] == 9
    # 29 items are labelled Billing; "invoice" finds 9 of them.
    assert quality["labelled_positives"] == 29
    assert quality["recall"] == pytest.approx(9 / 29)
    assert quality["recall_ci"] == pytest.approx(list(_hand_wilson(9, 29)), abs=1e-4)


def test_too_few_labelled_matches_is_not_measured_yet(labels, as_user, advisor):
    client = as_user(advisor)
    quality = _quality(client, labels["delivery"])
    assert quality["matched_labelled"] == 2 and quality["flag"] == "unmeasured"
    assert "not measured yet" in quality["message"]
    assert _quality(client, labels["plain"]) is None


def test_the_threshold_is_a_setting(labels, as_user, advisor, settings):
    settings.CXPLAN_RULE_MIN_PRECISION = 0.2
    quality = _quality(as_user(advisor), labels["refunds"])
    assert quality["flag"] == "ok" and quality["min_precision"] == 0.2


def test_new_labels_change_the_figures(labels, as_user, advisor):
    client = as_user(advisor)
    assert _quality(client, labels["delivery"])["matched_labelled"] == 2
    _labelled("Another parcel lost", labels["delivery"], n=3)
    ranking_mark_dirty(enqueue=False)
    assert _quality(client, labels["delivery"])["flag"] == "ok"


def test_the_list_counts_every_rule_in_a_fixed_number_of_queries(
    labels, as_user, advisor, django_assert_max_num_queries
):
    client = as_user(advisor)
    with django_assert_max_num_queries(12) as first:
        rows = client.get("/api/v1/themes/").json()
    rows = rows.get("results", rows)
    by_name = {r["name"]: r["rule_quality"] for r in rows}
    assert by_name["Refunds"]["flag"] == "poor" and by_name["Billing"]["flag"] == "ok"
    for i in range(10):
        theme = ThemeFactory(name=f"More {i}", keywords=[f"word{i}"])
        _labelled(f"about word{i}", theme, n=3)
    ranking_mark_dirty(enqueue=False)  # a new data version: counted again
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/api/v1/themes/").status_code == 200


def test_the_themes_pages_show_the_flag_and_the_false_hits(
    labels, client, advisor, outsider
):
    client.force_login(advisor)
    page = client.get("/themes/").content.decode()
    assert page.count('data-testid="rule-poor"') == 1
    assert page.count('data-testid="rule-ok"') == 1
    assert 'data-testid="rule-unmeasured"' in page
    detail = client.get(f"/themes/{labels['refunds'].pk}/").content.decode()
    assert 'data-testid="rule-quality"' in detail and "measures poorly" in detail
    assert '<th scope="row">money</th>' in detail
    assert '<td data-testid="false-hits">20</td>' in detail
    client.force_login(outsider)
    assert client.get("/themes/").status_code == 403
