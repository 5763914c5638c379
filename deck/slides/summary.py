"""The executive summary: the one slide a CEO reads first.

For each of the top three improvements: the customers affected and the revenue
at risk (the ranking's figures), the initiative that answers it, its cost, NPV
with its P10-P90 range and payback (the business case's figures); then the
total approval ask against the budget. Every figure comes from the snapshot,
which reads the same selectors as the ranking, initiatives and funding pages.
"""

from __future__ import annotations

from charts.layout import format_money
from deck.slides.asks import asks
from deck.slides.base import (
    TOP,
    Slide,
    answering_initiative,
    improvements,
    months_text,
)


def _case_text(initiative: dict) -> str:
    spread = initiative.get("range") or {}
    npv = f"NPV {format_money(initiative.get('npv'))}"
    if spread.get("p10") is not None and spread.get("p90") is not None:
        npv += (
            f" (P10 {format_money(spread['p10'])} to P90 {format_money(spread['p90'])})"
        )
    return (
        f"“{initiative['title']}” ({initiative['status'].replace('_', ' ')}): "
        f"cost {format_money(initiative.get('pv_costs'))}, {npv}, "
        f"payback {months_text(initiative.get('payback_months'))}"
    )


def summary_rows(data: dict) -> list[dict]:
    """One row per top-three improvement: the theme's figures and its answer."""
    initiatives = data.get("initiatives") or []
    rows = []
    for theme in improvements(data)[:TOP]:
        rows.append(
            {
                "rank": theme.get("rank"),
                "theme": theme["theme"],
                "customers": theme.get("customers") or 0,
                "revenue_at_risk": theme.get("revenue_at_risk"),
                "initiative": answering_initiative(theme, initiatives),
            }
        )
    return rows


def summary_slide(data: dict) -> Slide:
    slide = Slide(key="summary", title="Executive summary")
    rows = summary_rows(data)
    if not rows:
        slide.missing.append("No ranking yet, so no top improvements to summarise.")
        return slide
    short = {id(a.initiative): a.shortfalls for a in asks(data)}
    for number, row in enumerate(rows, start=1):
        text = (
            f"{number}. {row['theme']}: {row['customers']:,} customers affected, "
            f"{format_money(row['revenue_at_risk'])} revenue at risk. "
        )
        initiative = row["initiative"]
        if initiative is None:
            # In rank order with the others: a gap in the plan, said plainly.
            slide.bullets.append(text + "No initiative answers it yet.")
            continue
        text += _case_text(initiative)
        if short.get(id(initiative)):
            text += f" (below the hurdle: {'; '.join(short[id(initiative)])})"
        slide.bullets.append(text)
    asked = [a.initiative for a in asks(data) if a.asked]
    held = [a for a in asks(data) if not a.asked]
    total = sum(i.get("needed") or 0.0 for i in asked)
    funding = data.get("funding") or {}
    budget = sum(s.get("total") or 0.0 for s in funding.get("sources") or [])
    if asked:
        slide.bullets.append(
            f"The ask: approve {len(asked)} initiative{'s' if len(asked) != 1 else ''}"
            f" needing {format_money(total)}, against a budget of "
            f"{format_money(budget)}"
            + (
                f"; funding gap {format_money(funding['gap'])}"
                if funding.get("gap")
                else "; fully funded"
            )
        )
    else:
        slide.missing.append("No initiative is asked for approval.")
    if held:
        slide.missing.append(
            f"{len(held)} proposed initiative{'s are' if len(held) != 1 else ' is'} "
            "below the hurdle and not asked for: see the decisions slide."
        )
    slide.notes = (
        "Top three from the ranking snapshot of "
        f"{(data.get('ranking') or {}).get('computed_at', 'n/a')[:10]}; business "
        "cases risk-adjusted; the ask is the funding plan's need of the initiatives "
        "asked for, the budget the funding sources' total."
    )
    return slide
