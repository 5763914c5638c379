"""Every feedback-derived metric carries its sample size and 95% interval, on
the strategy page and the deck; a metric with too few responses says so; the
progress chart never draws a -390% bar."""

from datetime import UTC, datetime

import pytest

from charts.metrics_vs_target import metrics_vs_target
from deck.slides import slides_build
from deck.snapshot import snapshot_collect
from strategy.metrics import nps_interval, share_interval
from strategy.models import SuccessMetric
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def _scores(scores, score_type="nps"):
    for score in scores:
        FeedbackItemFactory(
            score=score,
            score_type=score_type,
            created=datetime(2026, 11, 10, tzinfo=UTC),
        )


def test_the_nps_interval_narrows_with_more_responses():
    few, many = nps_interval(5, 3, 20), nps_interval(50, 30, 200)
    assert few[0] < 10 < few[1] and many[0] < 10 < many[1]
    assert many[1] - many[0] < few[1] - few[0]
    assert nps_interval(10, 0, 10) == [100.0, 100.0]
    low, high = share_interval(40, 50)
    assert low < 80 < high and low >= 0 and high <= 100


def test_the_page_and_the_deck_show_n_and_the_interval(client, cx_lead):
    _scores([10] * 5 + [0] * 7)  # n = 12: NPS -16.7, too few to judge
    SuccessMetric.objects.create(
        name="NPS", kind="nps", baseline=10, target=12, direction="up"
    )
    client.force_login(cx_lead)
    html = client.get("/strategy/").content.decode()
    assert 'data-testid="metric-n">n = 12, 95% ' in html
    assert "too few responses to judge" in html
    slide = next(s for s in slides_build(snapshot_collect()) if s.key == "metrics")
    text = " ".join(slide.missing)
    assert "NPS: -16.7 (baseline 10, target 12); n = 12, 95% interval" in text
    assert text.endswith("too few responses to judge")


def test_enough_responses_are_a_bullet_not_a_warning():
    _scores([10] * 20 + [8] * 10 + [3] * 10)
    SuccessMetric.objects.create(
        name="NPS", kind="nps", baseline=0, target=40, direction="up"
    )
    slide = next(s for s in slides_build(snapshot_collect()) if s.key == "metrics")
    line = next(b for b in slide.bullets if b.startswith("NPS:"))
    assert "n = 40, 95% interval" in line and "too few" not in line


def test_a_metric_far_off_its_target_is_drawn_at_the_scales_edge():
    import pandas as pd

    fig = metrics_vs_target(
        pd.DataFrame(
            [
                {
                    "metric": "NPS",
                    "baseline": 10,
                    "current": -77.8,
                    "target": 32.5,
                    "direction": "up",
                }
            ]
        )
    )
    bar = fig.data[0]
    assert bar.x[0] == -100  # not -390
    assert "off the scale" in bar.text[0]
    assert bar.customdata[0] == -390
