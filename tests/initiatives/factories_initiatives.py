"""Helpers to build initiatives through the service (so results are cached)."""

from datetime import UTC, datetime, timedelta

from feedback.models import RankingSnapshot, ThemeAssignment
from initiatives.services.initiatives import initiative_create
from tests.factories import CustomerFactory, FeedbackItemFactory, ThemeFactory

# A case worked out by hand with the default assumptions (r = 10%, H = 3,
# ramp 25/75/100%, benefit risk 15%, cost risk 10%):
# raw benefits [0, 3000, 9000, 12000], PV 19181.07; costs [10000, 0, 0, 0]
# raw NPV 9181.07; risk-adjusted NPV 0.85 x 19181.07 - 11000 = 5303.91,
# ROI 5303.91 / 11000 = 0.482173, payback 12 x (2 + 800 / 10200) = 24.94 months.
CASE_COSTS = [
    {"kind": "one_time", "label": "Build", "low": 8000, "likely": 10000, "high": 14000}
]
CASE_DRIVERS = [
    {
        "kind": "custom",
        "label": "Savings",
        "inputs": {"amount_per_year": [9000, 12000, 13000]},
    }
]


def make_initiative(
    actor, *, title="Self-service reset", themes=(), npv_scale=1.0, **kw
):
    drivers = kw.pop(
        "drivers",
        [
            {
                "kind": "custom",
                "label": "Savings",
                "inputs": {
                    "amount_per_year": [v * npv_scale for v in (9000, 12000, 13000)]
                },
            }
        ],
    )
    return initiative_create(
        actor=actor,
        title=title,
        themes=themes,
        cost_lines=kw.pop("cost_lines", CASE_COSTS),
        drivers=drivers,
        **kw,
    )


def theme_with_feedback(
    name="Login fails", *, customers=6, channel="ticket", extra_items=0
):
    """A theme raised by `customers` distinct customers (one item each, in
    `channel`) plus `extra_items` anonymous chat items, all in November 2026."""
    theme = ThemeFactory(name=name)
    base = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for i in range(customers):
        item = FeedbackItemFactory(
            customer=CustomerFactory(annual_revenue=1000 * (i + 1)),
            channel=channel,
            created=base + timedelta(days=i % 20),
        )
        ThemeAssignment.objects.create(item=item, theme=theme, method="manual")
    for i in range(extra_items):
        item = FeedbackItemFactory(
            channel="chat", created=base + timedelta(days=i % 20)
        )
        ThemeAssignment.objects.create(item=item, theme=theme, method="manual")
    return theme


def snapshot_for(themes_entries, *, days=90):
    """A ranking snapshot whose window is the `days` days ending 2026-11-30."""
    end = datetime(2026, 12, 1, tzinfo=UTC)
    return RankingSnapshot.objects.create(
        window_start=end - timedelta(days=days),
        window_end=end,
        window_days=days,
        weights={},
        themes=themes_entries,
    )
