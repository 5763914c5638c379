"""Representative quotes: where they are looked for and that every plan agrees."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.services import ranking as ranking_service
from tests.factories import (
    ThemeFactory,
)
from tests.feedback.ranking_helpers import NEWEST, _say


def test_quotes_looked_for_in_the_last_week_first_are_those_of_the_whole_third(
    db, monkeypatch
):
    from feedback.ranking import formula as pure
    from feedback.services import ranking_quotes

    busy, slow = ThemeFactory(name="Busy"), ThemeFactory(name="Slow lately")
    for days_ago in range(1, 8):  # busy: plenty in the last week
        _say(busy, n=2, days_ago=days_ago, text=f"busy theme complaint {days_ago} x")
    _say(busy, n=3, days_ago=20, text="busy theme complaint from weeks ago")
    _say(slow, n=3, days_ago=2, text="slow theme complaint this week here")
    _say(slow, n=4, days_ago=15, text="slow theme complaint a fortnight ago")
    monkeypatch.setattr(ranking_quotes, "SAMPLE", 6)
    window = pure.window_bounds(NEWEST.date(), 90)
    themes = [busy.pk, slow.pk]
    # Counts that promise plenty lately: the first look spans one day, too
    # few for both themes, so both are asked again over the third.
    plenty = {busy.pk: (3000, 3000), slow.pk: (3000, 3000)}
    got = ranking_quotes.representative_quotes(
        window=window, theme_ids=themes, negatives=plenty
    )
    third = ranking_quotes._candidates(
        window=window, theme_ids=themes, start=window.recent_start
    )
    expected = {
        t: [rows[i] for i in ranking_quotes.most_typical([r["text"] for r in rows])]
        for t, rows in third.items()
    }
    assert got == expected
    # The slow theme needed the wider look: a quote from two weeks ago.
    assert any("fortnight" in q["text"] for q in got[slow.pk])


def test_quote_lookup_plan_spans_the_days_every_theme_needs():
    from feedback.services import ranking_quotes

    want = ranking_quotes.MARGIN * ranking_quotes.SAMPLE  # candidates expected
    negatives = {
        1: (int(30 * want), 90_000),  # `want` a day: 1 day
        2: (int(30 * want / 3), 10_000),  # a third of that: 3 days
        4: (0, 12),  # none lately: not looked for in the third
    }
    assert ranking_quotes.lookup_plan([1, 2, 4, 5], negatives, 30) == (3, [1, 2])
    # A theme that needs over half the third: all of it, in one look.
    negatives[3] = (int(want), int(want))
    assert ranking_quotes.lookup_plan([1, 2, 3], negatives, 30) == (30, [1, 2, 3])


def test_quotes_planned_from_negative_counts_match_and_skip_themes_without_any(
    db, monkeypatch
):
    from feedback.ranking import formula as pure
    from feedback.services import ranking_quotes

    busy, slow = ThemeFactory(name="Busy"), ThemeFactory(name="Slow lately")
    older, praised = ThemeFactory(name="Older"), ThemeFactory(name="Praised")
    for days_ago in range(1, 8):
        _say(busy, n=4, days_ago=days_ago, text=f"busy theme complaint {days_ago} x")
    _say(busy, n=3, days_ago=20, text="busy theme complaint from weeks ago")
    _say(slow, n=3, days_ago=2, text="slow theme complaint this week here")
    _say(slow, n=4, days_ago=15, text="slow theme complaint a fortnight ago")
    _say(older, n=2, days_ago=60, text="older theme complaint from two months ago")
    _say(praised, n=5, negative=False)
    monkeypatch.setattr(ranking_quotes, "SAMPLE", 3)
    window = pure.window_bounds(NEWEST.date(), 90)
    themes = [busy.pk, slow.pk, older.pk, praised.pk]
    groups = ranking_service.ranking_groups(window=window)
    negatives = ranking_service.negative_mentions(groups)
    assert negatives == {busy.pk: (31, 31), slow.pk: (7, 7), older.pk: (0, 2)}
    with CaptureQueriesContext(connection) as planned:
        got = ranking_quotes.representative_quotes(
            window=window, theme_ids=themes, negatives=negatives
        )
    assert got == _one_look_per_reach(window, themes)
    assert set(got) == {busy.pk, slow.pk, older.pk}
    assert any("two months" in q["text"] for q in got[older.pk])
    assert _themes_asked(planned) == [{busy.pk, slow.pk}, {older.pk}]
    # Slow needs most of the third, so all of it was read in one look; alone,
    # busy needs 5 days (1.5 x 3 candidates at 31 in 30 days).
    with CaptureQueriesContext(connection) as alone:
        ranking_quotes.representative_quotes(
            window=window, theme_ids=[busy.pk], negatives=negatives
        )
    assert _themes_asked(alone) == [{busy.pk}]
    assert "'2026-11-16 00:00:00" in alone.captured_queries[0]["sql"]


def _one_look_per_reach(window, themes) -> dict[int, list[dict]]:
    """The quotes of one query over the newest third, then one over the window
    for the themes that found fewer than QUOTES there: what any plan must give."""
    from feedback.services import ranking_quotes as rq

    found = rq._candidates(window=window, theme_ids=themes, start=window.recent_start)
    short = [t for t in themes if len(found.get(t, [])) < rq.QUOTES]
    found.update(rq._candidates(window=window, theme_ids=short))
    return {
        t: [rows[i] for i in rq.most_typical([r["text"] for r in rows])]
        for t, rows in found.items()
    }


def _themes_asked(captured) -> list[set[int]]:
    import re

    return [
        {int(x) for x in found.split(",")}
        for query in captured.captured_queries
        for found in re.findall(r"theme_id IN \(([^)]*)\)", query["sql"])
    ]
