"""The deck tells the story a CEO reads: an executive summary whose figures are
the API's, honest asks (nothing below the hurdle without the CX lead's reason),
praise shown as strength, time in chronological order."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from charts.layout import format_money
from deck.slides import slides_build
from deck.slides.base import percent_text
from deck.snapshot import snapshot_collect
from feedback.models import RankingSnapshot, ThemeAssignment
from initiatives.models import CostLine
from initiatives.services.results import initiative_results_compute
from tests.deck.factories import deck_world, funding, theme_row
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.initiatives.factories_funding import add_custom_benefit, initiative_costing

pytestmark = pytest.mark.django_db
START = datetime(2026, 8, 1, tzinfo=UTC)


def _slide(slides, key):
    return next(s for s in slides if s.key == key)


def _losing(title, themes, *, reason=""):
    """A proposed initiative whose computed case loses money: 90,000 now for
    5,000 a year (P50 NPV about -$80k)."""
    initiative = initiative_costing(90_000, title=title, ask_reason=reason)
    add_custom_benefit(initiative, 5_000)
    initiative.themes.set(themes)
    initiative_results_compute(initiative_id=initiative.pk)
    initiative.refresh_from_db()
    return initiative


def test_weeks_run_in_date_order_with_real_dates():
    theme = ThemeFactory(name="Slow refunds")
    row = theme_row(1, theme)
    row["weekly"] = list(range(1, 13))  # 12 weeks: "Week 10" < "Week 2" as text
    RankingSnapshot.objects.create(
        themes=[row],
        weights={},
        window_days=84,
        window_start=START,
        window_end=START + timedelta(days=84),
    )
    data = snapshot_collect()
    trend = _slide(slides_build(data), "money").figures[1]
    dates = [pd.Timestamp(x) for x in trend.data[0].x]
    assert dates == sorted(dates)
    assert dates[0] == pd.Timestamp("2026-08-01")
    assert dates[-1] == pd.Timestamp("2026-08-01") + pd.Timedelta(weeks=11)
    assert list(trend.data[0].y) == list(range(1, 13))


def test_a_losing_case_is_not_asked_for_without_a_reason():
    themes = deck_world()
    _losing("Customer forum", [themes[2]])
    slides = slides_build(snapshot_collect())
    decisions = _slide(slides, "decisions")
    assert not any("Customer forum" in b for b in decisions.bullets)
    held = " ".join(decisions.missing)
    assert "Not asked for approval: “Customer forum” is below the hurdle" in held
    assert "P50 NPV -$" in held
    assert any("Approve “Call-back”" in b for b in decisions.bullets)
    summary = _slide(slides, "summary")
    assert "1 proposed initiative is below the hurdle" in " ".join(summary.missing)


def test_with_the_cx_leads_reason_it_is_asked_and_the_reason_shown(as_user, cx_lead):
    themes = deck_world()
    forum = _losing("Customer forum", [themes[2]])
    answer = as_user(cx_lead).patch(
        f"/api/v1/initiatives/{forum.pk}/",
        {"ask_reason": "The board asked for a pilot.", "version": forum.version},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["ask_reason"] == "The board asked for a pilot."
    decisions = _slide(slides_build(snapshot_collect()), "decisions")
    assert any("Approve “Customer forum”" in b for b in decisions.bullets)
    warning = " ".join(decisions.missing)
    assert "“Customer forum” is below the hurdle (P50 NPV -$" in warning
    assert "Why we still ask: The board asked for a pilot." in warning


def test_an_roi_under_the_hurdle_is_below_it(settings):
    settings.CXPLAN_ROI_HURDLE = 5.0  # 500%: no demo case reaches it
    deck_world()
    decisions = _slide(slides_build(snapshot_collect()), "decisions")
    assert "under the 500% hurdle" in " ".join(decisions.missing)
    assert not any(b.startswith("Approve") for b in decisions.bullets)


def test_a_praise_theme_is_a_strength_not_an_improvement():
    complaint = ThemeFactory(name="Slow refunds")
    praise = ThemeFactory(name="Helpful staff")
    for polarity, theme, n in (
        ("negative", complaint, 6),
        ("positive", praise, 5),
        ("negative", praise, 1),
    ):
        for _ in range(n):
            item = FeedbackItemFactory(
                polarity=polarity, created=START + timedelta(days=3)
            )
            ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
    RankingSnapshot.objects.create(
        themes=[theme_row(1, praise), theme_row(2, complaint)],
        weights={},
        window_days=90,
        window_start=START,
        window_end=START + timedelta(days=90),
    )
    slides = slides_build(snapshot_collect())
    titles = [s.title for s in slides if s.key.startswith("improvement-")]
    assert titles == ["Improvement 1: Slow refunds"]
    customers = _slide(slides, "customers")
    assert any(
        b.startswith("Strengths customers praise") and "Helpful staff" in b
        for b in customers.bullets
    )
    assert not any(b.startswith("1. Helpful staff") for b in customers.bullets)


def test_every_figure_on_the_summary_equals_the_api(as_user, executive):
    deck_world()
    funding((1000, 0, 0, 0), name="Small pot")
    client = as_user(executive)
    ranking = client.get("/api/v1/ranking/").json()["themes"]
    initiatives = {
        i["title"]: i for i in client.get("/api/v1/initiatives/").json()["results"]
    }
    summary = _slide(slides_build(snapshot_collect()), "summary")
    first, second = summary.bullets[0], summary.bullets[1]
    assert first.startswith(
        f"1. {ranking[0]['theme']}: {ranking[0]['customers']:,} customers affected, "
        f"{format_money(ranking[0]['revenue_at_risk'])} revenue at risk."
    )
    tracker = initiatives["Refund tracker"]
    assert f"NPV {format_money(float(tracker['npv']))}" in first
    assert f"cost {format_money(float(tracker['pv_costs']))}" in first
    spread = tracker["montecarlo"]
    assert (
        f"P10 {format_money(spread['p10'])} to P90 {format_money(spread['p90'])}"
        in (first)
    )
    callback = initiatives["Call-back"]
    assert f"NPV {format_money(float(callback['npv']))}" in second
    plan = client.get("/api/v1/funding/plan/").json()
    gap = sum(year["gap"] for year in plan["years"])
    needed = sum(
        year["needed"]
        for row in plan["initiatives"]
        if row["title"] == "Call-back"
        for year in row["years"]
    )
    ask = summary.bullets[-1]
    assert ask.startswith(
        f"The ask: approve 1 initiative needing {format_money(needed)}, "
        f"against a budget of {format_money(36000)}"
    )
    assert ask.endswith(
        f"; funding gap {format_money(gap)}" if gap else "; fully funded"
    )


def test_percentages_read_for_people():
    assert percent_text(0.125) == "12.5%"
    assert percent_text(0.66) == "66%"
    assert percent_text(-0.031, signed=True) == "-3.1%"
    assert percent_text(None) == "n/a"


def test_quotes_are_distinct_within_and_across_the_improvement_slides():
    themes = [ThemeFactory(name=n) for n in ("Slow refunds", "Long waits")]
    rows = [theme_row(1, themes[0]), theme_row(2, themes[1])]
    same = {"text": "Nobody answers the phone.", "channel": "chat"}
    rows[0]["quotes"] = [same, same, {"text": "Refund took a month."}]
    rows[1]["quotes"] = [same, {"text": "On hold for an hour."}, same]
    RankingSnapshot.objects.create(themes=rows, weights={}, window_days=90)
    slides = slides_build(snapshot_collect())
    first, second = (_slide(slides, f"improvement-{n}") for n in (1, 2))
    assert first.quotes == ["“Nobody answers the phone.”", "“Refund took a month.”"]
    assert second.quotes == ["“On hold for an hour.”"]


def test_an_improvement_slide_shows_what_moves_the_npv_most():
    theme = ThemeFactory(name="Slow refunds")
    RankingSnapshot.objects.create(
        themes=[theme_row(1, theme)], weights={}, window_days=90
    )
    initiative = initiative_costing(40_000, title="Refund tracker")
    CostLine.objects.filter(initiative=initiative).update(low=20_000, high=90_000)
    add_custom_benefit(initiative, 30_000)
    initiative.themes.set([theme])
    case = initiative_results_compute(initiative_id=initiative.pk).result
    assert case["sensitivity"][0]["factor"].startswith("cost:")
    slide = _slide(slides_build(snapshot_collect()), "improvement-1")
    tornado = next(f for f in slide.figures if f.layout.title.text.startswith("What"))
    factors = list(tornado.data[0].y)
    assert factors[-1] == case["sensitivity"][0]["factor"]  # widest on top
    assert any(b.startswith("Moves the NPV most: cost:") for b in slide.bullets)


def test_the_appendix_says_how_the_figures_were_made():
    deck_world()
    slide = _slide(slides_build(snapshot_collect()), "appendix")
    text = " ".join(slide.bullets)
    assert "Ranking: score = " in text
    assert "Theme model: none applied" in text
    assert "Assumptions: discount rate 10%, horizon 3 years" in text
