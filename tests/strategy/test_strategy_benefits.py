"""Benefits realisation: for a shipped initiative, its themes before and after the
ship date, the linked metrics and the business case answer "did it work?"."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import ThemeAssignment
from initiatives.models import BenefitDriver
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.strategy.factories import InitiativeFactory, SuccessMetricFactory

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def said(theme, when, polarity):
    item = FeedbackItemFactory(created=when, polarity=polarity)
    ThemeAssignment.objects.create(item=item, theme=theme, method="rule")


@pytest.fixture
def shipped():
    ship = timezone.localdate() - timedelta(days=120)
    refunds = ThemeFactory(name="Slow refunds")
    quiet = ThemeFactory(name="Quiet theme")
    initiative = InitiativeFactory(
        title="Refund tracker",
        status="shipped",
        shipped_on=ship,
        npv=50000,
        roi=0.8,
        payback_months=14.0,
        themes=[refunds, quiet],
    )
    BenefitDriver.objects.create(initiative=initiative, kind="churn_avoided")
    # 90 days before: 4 items, 3 negative; one more outside the window.
    for days, polarity in ((80, "negative"), (50, "negative"), (10, "negative")):
        said(refunds, at(ship - timedelta(days=days)), polarity)
    said(refunds, at(ship - timedelta(days=1)), "positive")
    said(refunds, at(ship - timedelta(days=100)), "negative")
    # 90 days after (ship day included): 2 items, none negative.
    said(refunds, at(ship, hour=0), "positive")
    said(refunds, at(ship + timedelta(days=60)), "neutral")
    said(refunds, at(ship + timedelta(days=95)), "negative")  # outside
    # Another initiative's theme must not leak in.
    other = ThemeFactory(name="Billing")
    said(other, at(ship - timedelta(days=5)), "negative")
    return initiative


def test_theme_volume_and_negative_share_before_and_after_the_ship_date(
    as_user, advisor, shipped
):
    body = as_user(advisor).get("/api/v1/strategy/benefits/").json()
    (result,) = body["results"]
    themes = {t["theme"]: t for t in result["themes"]}
    assert set(themes) == {"Slow refunds", "Quiet theme"}
    refunds = themes["Slow refunds"]
    assert (refunds["before_items"], refunds["after_items"]) == (4, 2)
    assert refunds["before_negative_share"] == 0.75
    assert refunds["after_negative_share"] == 0.0
    assert themes["Quiet theme"]["before_items"] == 0
    assert themes["Quiet theme"]["before_negative_share"] is None
    assert result["after_days"] == 90
    assert result["verdict"] == "worked"
    assert result["business_case"]["npv"] == 50000.0
    assert result["business_case"]["payback_months"] == 14.0


def test_linked_metrics_compare_the_value_at_ship_with_now(as_user, cx_lead, shipped):
    churn = SuccessMetricFactory(name="Churn", kind="churn", direction="down")
    cost = SuccessMetricFactory(name="Cost to serve", kind="cost_to_serve")
    client = as_user(cx_lead)
    ship = shipped.shipped_on
    for metric, period, value in (
        (churn, ship - timedelta(days=20), 12.0),
        (churn, ship + timedelta(days=60), 10.0),
        (cost, ship - timedelta(days=20), 5.0),
    ):
        client.post(
            f"/api/v1/strategy/metrics/{metric.pk}/readings/",
            {"period": period.isoformat(), "value": value},
            format="json",
        )
    (result,) = client.get("/api/v1/strategy/benefits/").json()["results"]
    linked = {m["name"]: m for m in result["metrics"]}
    assert set(linked) == {"Churn"}  # no contacts driver, so no cost to serve
    assert (linked["Churn"]["at_ship"], linked["Churn"]["now"]) == (12.0, 10.0)
    assert linked["Churn"]["improved"] is True


def test_a_recent_ship_is_too_early_to_judge(as_user, advisor):
    InitiativeFactory(
        title="New IVR",
        status="shipped",
        shipped_on=timezone.localdate() - timedelta(days=5),
        themes=[ThemeFactory(name="Phone")],
    )
    (result,) = as_user(advisor).get("/api/v1/strategy/benefits/").json()["results"]
    assert result["verdict"] == "too early"
    assert result["after_days"] == 5


def test_unshipped_initiatives_are_not_judged(as_user, advisor):
    InitiativeFactory(title="Planned", status="approved")
    assert as_user(advisor).get("/api/v1/strategy/benefits/").json()["results"] == []


def test_the_strategy_page_shows_the_benefits_section(client, advisor, shipped):
    client.force_login(advisor)
    html = client.get(reverse("strategy")).content.decode()
    assert 'data-testid="benefit"' in html
    assert "Refund tracker" in html and "worked" in html


def test_the_benefits_query_count_does_not_grow_with_initiatives(
    as_user, advisor, shipped, django_assert_max_num_queries
):
    client = as_user(advisor)
    for i in range(10):
        InitiativeFactory(
            status="shipped",
            shipped_on=shipped.shipped_on,
            themes=[ThemeFactory(name=f"T{i}")],
        )
    with django_assert_max_num_queries(10):
        assert len(client.get("/api/v1/strategy/benefits/").json()["results"]) == 11
