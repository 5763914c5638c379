"""The ranking formula on small cases worked out by hand (DESIGN.md, "Ranking")."""

import json
import math
from datetime import date, datetime

import pandas as pd
import pytest

from feedback.ranking.formula import (
    COMPONENTS,
    Weights,
    wilson_interval,
    window_bounds,
)
from feedback.ranking.groups import GROUP_COLUMNS
from feedback.ranking.rank import rank_themes

NAN = math.nan


def frame(*rows):
    """Groups from (theme_id, customer_id or None, negative, recent, n, revenue)."""
    return pd.DataFrame(list(rows), columns=GROUP_COLUMNS)


def ranked(groups, themes, **kwargs):
    kwargs.setdefault("bootstrap", 0)
    return rank_themes(groups, themes=themes, **kwargs)


def by_id(scores):
    return {score.theme_id: score for score in scores}


# Billing: customer 10 (revenue 1000) has 2 negative recent and 1 negative older
# items, customer 11 (revenue 500) 1 positive older item.
# Delivery: customer 10 has 1 positive recent item, customer 12 (revenue 2000)
# 2 negative older items, and one anonymous negative recent item.
# App has no items; votes: Delivery 4, App 2.
CASE = frame(
    (1, 10, True, True, 2, 1000.0),
    (1, 10, True, False, 1, 1000.0),
    (1, 11, False, False, 1, 500.0),
    (2, 10, False, True, 1, 1000.0),
    (2, 12, True, False, 2, 2000.0),
    (2, None, True, True, 1, NAN),
)
CASE_THEMES = {1: "Billing", 2: "Delivery", 3: "App"}
CASE_VOTES = {2: 4, 3: 2}


def case():
    return by_id(ranked(CASE, CASE_THEMES, votes=CASE_VOTES))


def test_raw_figures_are_counted_per_theme():
    billing, delivery = case()[1], case()[2]
    # Billing: customers {10, 11}; 4 items, 3 negative; only 10 is at risk.
    assert (billing.customers, billing.mentions, billing.negative_items) == (2, 4, 3)
    assert billing.revenue_at_risk == 1000.0
    # Delivery: customers {10, 12, anonymous}; at risk: 12 only (10 is positive).
    assert (delivery.customers, delivery.mentions, delivery.negative_items) == (3, 4, 3)
    assert delivery.revenue_at_risk == 2000.0
    # Both: 2 recent, 2 older -> trend = 2 / (2 / 2) - 1 = 1.0; share 3 / 4.
    for theme in (billing, delivery):
        assert (theme.recent, theme.older, theme.trend) == (2, 2, 1.0)
        assert theme.negative_share == 0.75
    assert (billing.votes, delivery.votes) == (0, 4)


def test_each_component_is_divided_by_its_maximum_over_the_themes():
    scores = case()
    # Maxima: customers 3, revenue 2000, share 0.75, trend 1.0, votes 4.
    assert scores[1].components == pytest.approx(
        {
            "customers": 2 / 3,
            "revenue_at_risk": 0.5,
            "negative_share": 1.0,
            "trend": 1.0,
            "votes": 0.0,
        }
    )
    assert scores[3].components == pytest.approx(
        {name: 0.5 if name == "votes" else 0.0 for name in COMPONENTS}
    )


def test_scores_follow_the_weighted_formula():
    scores = case()
    # Delivery leads every component: 0.35 + 0.35 + 0.15 + 0.10 + 0.05.
    assert scores[2].score == pytest.approx(1.0)
    # Billing: 0.35 * 2/3 + 0.35 * 0.5 + 0.15 + 0.10 + 0.05 * 0.
    assert scores[1].score == pytest.approx(0.35 * 2 / 3 + 0.175 + 0.25)
    # App: only votes, 0.05 * 2 / 4.
    assert scores[3].score == pytest.approx(0.025)
    assert [(s.rank, s.theme) for s in ranked(CASE, CASE_THEMES, votes=CASE_VOTES)] == [
        (1, "Delivery"),
        (2, "Billing"),
        (3, "App"),
    ]


def test_a_theme_without_groups_still_appears_with_zeros():
    app = case()[3]
    assert (app.customers, app.mentions, app.negative_items) == (0, 0, 0)
    assert (app.negative_share, app.revenue_at_risk, app.trend) == (0.0, 0.0, 0.0)
    assert (app.negative_share_low, app.negative_share_high) == (0.0, 1.0)


def test_anonymous_items_count_one_customer_each():
    groups = frame(
        (1, None, True, False, 3, NAN),
        (1, None, False, True, 2, NAN),
        (1, 5, True, False, 4, 100.0),
        (1, 5, False, False, 1, 100.0),
    )
    # 3 + 2 anonymous items, plus customer 5 once.
    assert ranked(groups, {1: "Billing"})[0].customers == 6


def test_revenue_is_counted_once_per_distinct_customer():
    groups = frame(
        (1, 1, True, True, 1, 1000.0),
        (1, 1, True, False, 2, 1000.0),
        (1, 3, True, False, 1, 200.0),
    )
    # Customer 1 has two negative groups but counts once: 1000 + 200.
    assert ranked(groups, {1: "Billing"})[0].revenue_at_risk == 1200.0


def test_a_customer_with_only_positive_items_puts_no_revenue_at_risk():
    groups = frame((1, 1, False, True, 3, 1000.0), (1, 2, True, True, 1, 50.0))
    assert ranked(groups, {1: "Billing"})[0].revenue_at_risk == 50.0


def test_a_theme_with_no_revenue_scores_zero_on_revenue():
    groups = frame(
        (1, 1, True, False, 1, NAN),
        (1, 2, True, False, 1, 0.0),
        (2, 3, True, False, 1, 800.0),
    )
    scores = by_id(ranked(groups, {1: "Billing", 2: "Delivery"}))
    assert scores[1].revenue_at_risk == 0.0
    assert scores[1].components["revenue_at_risk"] == 0.0
    # Billing: 0.35 * 2/2 + 0.35 * 0 + 0.15 * 1 (trend -1 counts as 0).
    assert scores[1].score == pytest.approx(0.5)
    # Delivery: 0.35 * 1/2 + 0.35 * 1 + 0.15 * 1.
    assert scores[2].score == pytest.approx(0.675)


def test_no_revenue_anywhere_leaves_the_revenue_component_at_zero():
    groups = frame((1, 1, True, False, 1, NAN), (2, None, True, False, 2, NAN))
    scores = ranked(groups, {1: "Billing", 2: "Delivery"})
    assert [s.components["revenue_at_risk"] for s in scores] == [0.0, 0.0]


@pytest.mark.parametrize("groups", [pd.DataFrame(), frame()])
def test_an_empty_window_ranks_every_theme_at_zero_by_name(groups):
    themes = {1: "Zeta", 2: "alpha", 3: "Beta", 4: "delta"}
    scores = ranked(groups, themes, bootstrap=20)
    assert [s.theme for s in scores] == ["alpha", "Beta", "delta", "Zeta"]
    assert {s.score for s in scores} == {0.0}
    # Every resample of nothing is nothing, so the first three names always win.
    assert [s.p_top3 for s in scores] == [1.0, 1.0, 1.0, 0.0]


def test_a_single_theme_takes_every_nonzero_component_at_full_weight():
    groups = frame((7, 1, True, True, 2, 300.0), (7, None, False, True, 1, NAN))
    (only,) = ranked(groups, {7: "Billing"}, bootstrap=20)
    # Each nonzero figure is its own maximum; no votes: 0.35 + 0.35 + 0.15 + 0.10.
    assert (only.rank, only.score, only.p_top3) == (1, pytest.approx(0.95), 1.0)
    assert only.negative_share == pytest.approx(2 / 3)


def test_trend_is_one_for_a_theme_with_only_recent_mentions():
    groups = frame((1, 1, False, True, 4, 0.0))
    assert ranked(groups, {1: "Billing"})[0].trend == 1.0


def test_trend_compares_the_newest_third_with_half_the_older_two_thirds():
    groups = frame(
        (1, 1, False, True, 3, 0.0),
        (1, 1, False, False, 2, 0.0),
        (2, 2, False, True, 1, 0.0),
        (2, 2, False, False, 4, 0.0),
    )
    scores = by_id(ranked(groups, {1: "Billing", 2: "Delivery"}))
    # 3 / (2 / 2) - 1 = 2.0 and 1 / (4 / 2) - 1 = -0.5, which scores as 0.
    assert (scores[1].trend, scores[2].trend) == (2.0, -0.5)
    assert (scores[1].components["trend"], scores[2].components["trend"]) == (1.0, 0.0)


def test_equal_scores_rank_the_theme_with_more_customers_first():
    groups = frame(
        (1, 1, True, False, 1, 500.0),
        (1, 2, True, False, 1, NAN),
        (2, 3, True, False, 2, 1000.0),
    )
    scores = ranked(groups, {1: "Zebra", 2: "Apple"})
    # Zebra: 0.35 * 1 + 0.35 * 0.5 + 0.15; Apple: 0.35 * 0.5 + 0.35 * 1 + 0.15.
    assert scores[0].score == scores[1].score == pytest.approx(0.675)
    assert [(s.theme, s.customers) for s in scores] == [("Zebra", 2), ("Apple", 1)]


def test_equal_scores_and_customers_rank_by_name_ignoring_case():
    groups = frame(*[(t, 10 + t, True, True, 1, 100.0) for t in (1, 2, 3)])
    scores = ranked(groups, {1: "gamma", 2: "Alpha", 3: "beta"})
    assert [s.theme for s in scores] == ["Alpha", "beta", "gamma"]


def test_weights_change_the_order():
    groups = frame(
        *[(1, c, True, False, 1, 100.0) for c in (1, 2, 3)],
        (2, 4, True, False, 3, 3000.0),
    )
    themes = {1: "Alpha", 2: "Bravo"}
    # Default: Alpha 0.35 + 0.35 * 0.1 + 0.15 = 0.535 < Bravo 0.35 / 3 + 0.5.
    assert [s.theme for s in ranked(groups, themes)] == ["Bravo", "Alpha"]
    customers_only = Weights(
        customers=1, revenue_at_risk=0, negative_share=0, trend=0, votes=0
    )
    scores = ranked(groups, themes, weights=customers_only)
    assert [(s.theme, s.score) for s in scores] == [
        ("Alpha", 1.0),
        ("Bravo", pytest.approx(1 / 3)),
    ]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Weights(customers=-0.1), "customers"),
        (lambda: Weights.from_dict({"customers": math.inf}), "customers"),
        (lambda: Weights.from_dict({"trend": "a lot"}), "trend"),
        (lambda: Weights.from_dict({"votes": math.nan}), "votes"),
        (lambda: Weights.from_dict({"negative_share": True}), "negative_share"),
        (lambda: Weights.from_dict({"revenue": 0.3}), "revenue"),
        (lambda: Weights.from_dict(dict.fromkeys(COMPONENTS, 0)), "weight"),
    ],
)
def test_invalid_weights_raise_value_error_naming_the_field(build, field):
    with pytest.raises(ValueError, match=field):
        build()


def test_weights_round_trip_through_a_dict():
    weights = Weights(
        customers=0.5, revenue_at_risk=0.2, negative_share=0.1, trend=0.1, votes=0.1
    )
    assert Weights.from_dict(weights.as_dict()) == weights
    assert list(weights.as_dict()) == list(COMPONENTS)


def test_weights_missing_from_a_dict_keep_their_default():
    assert Weights.from_dict({"votes": "0.2"}) == Weights(votes=0.2)


def test_groups_of_inactive_themes_are_ignored():
    extra = frame((99, 10, True, True, 50, 9e6), (99, None, True, True, 5, NAN))
    with_extra = pd.concat([CASE, extra], ignore_index=True)
    assert ranked(with_extra, CASE_THEMES) == ranked(CASE, CASE_THEMES)


def test_groups_without_a_required_column_are_refused():
    with pytest.raises(ValueError, match="revenue"):
        ranked(CASE.drop(columns="revenue"), CASE_THEMES)


def test_a_negative_item_count_is_refused():
    with pytest.raises(ValueError, match="n and revenue"):
        ranked(frame((1, 1, True, True, -1, 0.0)), {1: "Billing"})


def test_wilson_interval_matches_a_hand_computation():
    # p = 0.3, n = 10, z^2 = 3.841459: centre (0.3 + 0.192073) / 1.384146 = 0.355506,
    # half 1.959964 * sqrt(0.021 + 0.009604) / 1.384146 = 0.247715.
    low, high = wilson_interval(3, 10)
    assert (low, high) == (
        pytest.approx(0.107791, abs=1e-6),
        pytest.approx(0.603221, abs=1e-6),
    )


def test_wilson_interval_without_items_spans_zero_to_one():
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_theme_scores_carry_the_wilson_interval_of_their_negative_share():
    billing = case()[1]
    expected = wilson_interval(3, 4)
    assert (billing.negative_share_low, billing.negative_share_high) == expected
    assert billing.negative_share_low < 0.75 < billing.negative_share_high


def test_a_theme_score_converts_to_json():
    score = ranked(CASE, CASE_THEMES, bootstrap=10)[0]
    data = json.loads(json.dumps(score.as_dict()))
    assert data["theme"] == "Delivery"
    assert set(data["components"]) == set(COMPONENTS)
    assert 0.0 <= data["p_top3"] <= 1.0


def test_no_active_themes_give_an_empty_ranking():
    assert ranked(CASE, {}) == []


def test_window_covers_the_days_ending_with_the_newest_date():
    start, end, recent_start = window_bounds(date(2024, 3, 31))
    # Half-open [2024-01-02, 2024-04-01): 30 + 29 + 31 = 90 days; newest 30 days.
    assert (start, end, recent_start) == (
        date(2024, 1, 2),
        date(2024, 4, 1),
        date(2024, 3, 2),
    )


def test_window_rounds_the_newest_third_to_whole_days():
    # 100 / 3 = 33.3 -> 33 days before 2024-04-01.
    assert window_bounds(date(2024, 3, 31), days=100).recent_start == date(2024, 2, 28)


def test_window_accepts_a_datetime_as_its_newest_date():
    newest = datetime(2024, 3, 31, 18, 5)
    assert window_bounds(newest) == window_bounds(date(2024, 3, 31))


def test_window_needs_at_least_three_days():
    with pytest.raises(ValueError, match="days"):
        window_bounds(date(2024, 3, 31), days=2)
