"""NPS and CSAT are computed from feedback scores, month by month."""

from datetime import UTC, date, datetime

import pytest

from strategy.metrics import csat_by_month, nps_by_month
from tests.factories import FeedbackItemFactory
from tests.strategy.factories import SuccessMetricFactory

pytestmark = pytest.mark.django_db


def scored(score, score_type, month, day=10):
    return FeedbackItemFactory(
        score=score,
        score_type=score_type,
        created=datetime(2026, month, day, 12, tzinfo=UTC),
    )


def test_nps_is_promoters_minus_detractors_in_percent_per_month():
    # October: 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0..6).
    for s in (9, 10, 10, 7, 8, 0, 3, 5, 6, 6):
        scored(s, "nps", 10)
    # November: 1 promoter, 1 detractor, 2 passives -> 0.
    for s in (10, 2, 7, 8):
        scored(s, "nps", 11)
    assert nps_by_month() == [
        # 95% interval: -20 +- 1.96 * sqrt((0.3 + 0.5 - 0.2^2) / 10) * 100.
        {"period": date(2026, 10, 1), "value": -20.0, "n": 10, "ci": [-74.0, 34.0]},
        {"period": date(2026, 11, 1), "value": 0.0, "n": 4, "ci": [-69.3, 69.3]},
    ]


def test_nps_ignores_other_score_types_and_unscored_items():
    scored(5, "csat", 10)
    scored(1, "stars", 10)
    FeedbackItemFactory(score=None, score_type="")
    scored(9, "nps", 10)
    assert nps_by_month() == [
        {"period": date(2026, 10, 1), "value": 100.0, "n": 1, "ci": [100.0, 100.0]}
    ]


def test_csat_is_the_share_of_csat_and_stars_scoring_four_or_five():
    for s in (5, 4, 3, 1):
        scored(s, "csat", 9)
    for s in (5, 2):
        scored(s, "stars", 9)
    scored(10, "nps", 9)  # not a satisfaction score
    # Wilson interval of 3 in 6.
    assert csat_by_month() == [
        {"period": date(2026, 9, 1), "value": 50.0, "n": 6, "ci": [18.8, 81.2]}
    ]


def test_items_on_the_last_day_of_a_month_count_in_that_month():
    scored(5, "csat", 10, day=31)
    scored(1, "csat", 11, day=1)
    points = csat_by_month()
    assert [(p["period"], p["value"]) for p in points] == [
        (date(2026, 10, 1), 100.0),
        (date(2026, 11, 1), 0.0),
    ]


def test_the_nps_metric_shows_the_computed_series_and_latest_month(as_user, advisor):
    metric = SuccessMetricFactory(name="NPS", kind="nps", current=99, target=30)
    for s in (10, 10, 0):
        scored(s, "nps", 10)
    for s in (10, 9, 8, 0):
        scored(s, "nps", 11)
    client = as_user(advisor)
    listed = client.get("/api/v1/strategy/metrics/").json()["results"][0]
    assert listed["source"] == "feedback"
    assert listed["current"] == 25.0
    assert listed["status"] == "behind"
    series = client.get(f"/api/v1/strategy/metrics/{metric.pk}/readings/").json()
    assert [(p["period"], p["value"], p["n"]) for p in series["results"]] == [
        ("2026-10-01", 33.3, 3),
        ("2026-11-01", 25.0, 4),
    ]


def test_without_scored_feedback_a_csat_metric_falls_back_to_its_readings(
    as_user, cx_lead
):
    metric = SuccessMetricFactory(name="CSAT", kind="csat", target=80)
    client = as_user(cx_lead)
    for period, value in (("2026-09-01", 70), ("2026-10-01", 82)):
        answer = client.post(
            f"/api/v1/strategy/metrics/{metric.pk}/readings/",
            {"period": period, "value": value},
            format="json",
        )
        assert answer.status_code == 201
    listed = client.get(f"/api/v1/strategy/metrics/{metric.pk}/").json()
    assert listed["source"] == "readings"
    assert listed["current"] == 82.0
    assert listed["status"] == "met"
