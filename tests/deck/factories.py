"""Records the deck reads: a ranking snapshot, costed initiatives, funding.

`deck_world()` makes a small but complete world (every slide has data);
`ranking(...)` alone makes a snapshot with the named themes in that order.
The `media` fixture keeps deck files in a temporary folder.
"""

import pytest

from feedback.models import RankingSnapshot
from initiatives.models import FundingAmount, FundingSource, Initiative
from roi.engine import evaluate
from tests.factories import ThemeFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def theme_row(rank: int, theme, *, customers=100, revenue=50000.0, score=None):
    return {
        "rank": rank,
        "theme_id": theme.pk,
        "theme": theme.name,
        "score": score if score is not None else round(1 - rank / 10, 3),
        "customers": customers,
        "mentions": customers + 20,
        "negative_share": 0.5,
        "revenue_at_risk": revenue,
        "trend": 0.1,
        "votes": 1,
        "p_top3": 0.9,
        "components": {
            "customers": 1 / rank,
            "revenue_at_risk": 1 / rank,
            "negative_share": 0.5,
            "trend": 0.2,
            "votes": 0.0,
        },
        "weekly": [3, 4, 5, rank],
        "quotes": [
            {"text": f"{theme.name} hurts, quote {n}", "channel": "survey"}
            for n in range(3)
        ],
    }


def ranking(themes, **figures) -> RankingSnapshot:
    """A snapshot ranking `themes` in order; `figures[name]` overrides a row."""
    rows = []
    for rank, theme in enumerate(themes, start=1):
        rows.append(theme_row(rank, theme, **figures.get(theme.name, {})))
    return RankingSnapshot.objects.create(
        themes=rows, weights={}, items_in_window=500, window_days=90
    )


def costed_initiative(title, *, themes=(), status="proposed", scale=1.0):
    result = evaluate(
        [10000 * scale, 5000 * scale, 5000 * scale, 5000 * scale],
        [0, 15000 * scale, 15000 * scale, 15000 * scale],
        rate=0.1,
        benefit_risk=0.1,
        cost_risk=0.1,
    )
    risk = result["risk_adjusted"]
    # Where initiatives.services.results stores the Monte Carlo summary.
    risk["montecarlo"] = {
        "p10": 5000.0 * scale,
        "p50": 9000.0 * scale,
        "p90": 14000.0 * scale,
        "mean": 9100.0 * scale,
        "p_positive": 0.93,
    }
    initiative = Initiative.objects.create(
        title=title,
        status=status,
        result=result,
        npv=risk["npv"],
        roi=risk["roi"],
        payback_months=risk["payback_months"],
        pv_costs=risk["pv_costs"],
        evidence_customers=50,
    )
    initiative.themes.set(themes)
    return initiative


def funding(amounts=(20000, 5000, 5000, 5000), name="CX budget"):
    source = FundingSource.objects.create(name=name, kind="budget")
    for year, amount in enumerate(amounts):
        FundingAmount.objects.create(source=source, year=year, amount=amount)
    return source


def deck_world():
    """Three ranked themes, an initiative answering the first two, funding."""
    themes = [ThemeFactory(name=n) for n in ("Slow refunds", "Long waits", "Bills")]
    ranking(themes)
    costed_initiative("Refund tracker", themes=[themes[0]], status="approved")
    costed_initiative("Call-back", themes=[themes[1]], scale=2)
    funding()
    return themes
