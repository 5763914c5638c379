"""The bootstrap behind p_top3 and the vectorised resampling it runs on."""

import numpy as np
import pandas as pd
import pytest

from feedback.ranking.groups import GROUP_COLUMNS, _Design
from feedback.ranking.poisson import _poisson_cdf, _SmallRows
from feedback.ranking.rank import rank_themes

THEMES = {1: "Billing", 2: "Delivery", 3: "Login", 4: "Pricing", 5: "Search"}


def frame(rows):
    """Groups from (theme_id, customer_id or None, negative, recent, n, revenue)."""
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def dominant_groups():
    """Billing: 40 customers with negative items and revenue; others: a handful."""
    rows = [(1, c, True, c % 3 == 0, 3, 10_000.0) for c in range(40)]
    for theme in (2, 3, 4, 5):
        rows += [
            (theme, 100 + theme * 10 + c, c % 2 == 0, False, 1, 500.0) for c in range(3)
        ]
    return frame(rows)


def close_groups():
    """Four themes with the same anonymous, half negative mentions: a close race."""
    rows = []
    for theme in (1, 2, 3, 4):
        rows += [
            (theme, None, True, False, 20, 0.0),
            (theme, None, False, True, 20, 0.0),
        ]
    return frame(rows)


def p_top3(groups, themes=THEMES, **kwargs):
    return {s.theme_id: s.p_top3 for s in rank_themes(groups, themes=themes, **kwargs)}


def test_a_dominant_theme_is_in_the_top_three_in_every_resample():
    assert p_top3(dominant_groups())[1] == 1.0


def test_p_top3_is_a_share_between_zero_and_one():
    shares = p_top3(dominant_groups(), bootstrap=50).values()
    assert all(0.0 <= share <= 1.0 for share in shares)


def test_p_top3_sums_to_three_over_three_or_more_themes():
    # Every resample puts exactly three themes in its top three.
    for groups in (dominant_groups(), close_groups()):
        assert sum(p_top3(groups).values()) == pytest.approx(3.0, abs=1e-9)


def test_every_theme_is_in_the_top_three_when_there_are_fewer_than_three():
    shares = p_top3(close_groups(), themes={1: "Billing", 2: "Delivery"})
    assert shares == {1: 1.0, 2: 1.0}


def test_close_themes_share_the_top_three_places():
    # Four equal themes, three places: each should hold one in about 3/4 of the
    # resamples; exactly 1.0 or 0.0 would mean the resamples do not vary.
    shares = p_top3(close_groups(), themes={1: "A", 2: "B", 3: "C", 4: "D"})
    assert all(0.5 < share < 0.95 for share in shares.values())


def test_the_same_seed_gives_the_same_p_top3():
    assert p_top3(close_groups(), seed=7) == p_top3(close_groups(), seed=7)


def test_a_different_seed_gives_a_different_close_call():
    assert p_top3(close_groups(), seed=1) != p_top3(close_groups(), seed=2)


def test_the_order_of_the_rows_does_not_change_the_result():
    groups = pd.concat([dominant_groups(), close_groups()], ignore_index=True)
    shuffled = groups.sample(frac=1.0, random_state=3)
    assert rank_themes(shuffled, themes=THEMES) == rank_themes(groups, themes=THEMES)


def test_a_group_split_over_several_rows_ranks_as_one_row():
    # The database splits each group by week; the parts must add up to the group.
    groups = pd.concat([dominant_groups(), close_groups()], ignore_index=True)
    split = groups.loc[groups.index.repeat(groups["n"])].assign(n=1)
    assert len(split) > len(groups)
    assert rank_themes(split, themes=THEMES) == rank_themes(groups, themes=THEMES)


def test_no_resamples_leave_p_top3_empty():
    assert set(p_top3(dominant_groups(), bootstrap=0).values()) == {None}


def test_a_negative_number_of_resamples_is_refused():
    with pytest.raises(ValueError, match="bootstrap"):
        rank_themes(dominant_groups(), themes=THEMES, bootstrap=-1)


def random_groups(rng, rows=400):
    """Random groups with repeated keys, anonymous rows and some large counts."""
    customer = rng.integers(0, 25, rows).astype(float)
    customer[rng.random(rows) < 0.2] = np.nan
    n = rng.integers(1, 5, rows)
    n[rng.random(rows) < 0.03] = rng.integers(65, 300)
    return pd.DataFrame(
        {
            "theme_id": rng.integers(1, 6, rows),
            "customer_id": customer,
            "negative": rng.random(rows) < 0.4,
            "recent": rng.random(rows) < 0.33,
            "n": n,
            "revenue": np.where(np.isnan(customer), np.nan, customer * 100.0),
        }
    )


def plain_totals(groups, counts, theme_id):
    """One theme's figures for one column of counts, the slow obvious way."""
    rows = groups.assign(count=counts)
    rows = rows[rows.theme_id == theme_id]
    anon = rows.customer_id.isna()
    known = rows[~anon]
    per_customer = known.groupby("customer_id")["count"].sum()
    negative = known[known.negative].groupby("customer_id")["count"].sum()
    revenue = groups[groups.customer_id.notna()].groupby("customer_id")["revenue"]
    at_risk = revenue.max().reindex(negative[negative > 0].index).sum()
    return (
        int(rows["count"][anon].sum() + (per_customer > 0).sum()),
        int(rows["count"].sum()),
        int(rows["count"][rows.negative].sum()),
        int(rows["count"][rows.recent].sum()),
        float(at_risk),
    )


def test_vectorised_totals_match_a_plain_pandas_count():
    rng = np.random.default_rng(11)
    groups = random_groups(rng)
    design = _Design.build(groups, sorted(THEMES))
    counts = rng.poisson(groups["n"].to_numpy()[:, None], size=(len(groups), 6))
    totals = design.totals_from_counts(counts)
    for column in range(counts.shape[1]):
        for position, theme_id in enumerate(sorted(THEMES)):
            got = tuple(figure[position, column] for figure in totals)
            expected = plain_totals(groups, counts[:, column], theme_id)
            assert got == pytest.approx(expected), (column, theme_id)


def test_resampled_counts_go_through_the_same_totals_as_given_counts():
    # A resample (uint16 small cells, Poisson big cells and anonymous slots) must
    # agree with the slow int64 path fed with the same counts per cell.
    rng = np.random.default_rng(5)
    design = _Design.build(random_groups(rng), sorted(THEMES))
    small, big, anon = design.draw(np.random.default_rng(6), 8)
    fast = design.totals(small, big, anon)
    slow = design.totals(small.astype(np.int64), big, anon)
    for fast_figure, slow_figure in zip(fast, slow, strict=True):
        np.testing.assert_allclose(fast_figure, slow_figure)


@pytest.mark.parametrize("block", range(3))
def test_the_table_sampler_draws_poisson_counts(block):
    # Rows of several counts side by side, as in a real layout sorted by n.
    lams = (1, 3, 40)
    rows = _SmallRows.of(np.repeat(lams, 1_500))
    draws = rows.draw(np.random.default_rng(4), 100)
    n = lams[block]
    values = draws[block * 1_500 : (block + 1) * 1_500].ravel().astype(np.int64)
    assert values.mean() == pytest.approx(n, abs=5 * np.sqrt(n / values.size))
    assert values.var() == pytest.approx(n, rel=0.04)
    # Each value's frequency within 5 standard errors of the Poisson probability.
    pmf = np.diff(np.concatenate(([0.0], _poisson_cdf(n))))
    seen = np.bincount(values, minlength=len(pmf))[: len(pmf)] / values.size
    tolerance = 5 * np.sqrt(pmf * (1 - pmf) / values.size) + 1e-5
    assert np.all(np.abs(seen - pmf) <= tolerance)
