"""The appendix: how every figure was made, so a reader can check it.

Ranking formula and weights, the window and what it leaves out, the theme
model's measured quality, the financial assumptions, and the data sources.
"""

from __future__ import annotations

from charts.layout import format_money
from deck.slides.base import Slide, percent_text

WEIGHT_NAMES = {
    "customers": "customers",
    "revenue_at_risk": "revenue at risk",
    "negative_share": "negative share",
    "trend": "rising trend",
    "votes": "advisor votes",
}


def _ranking_lines(ranking: dict) -> list[str]:
    weights = ranking.get("weights") or {}
    formula = " + ".join(
        f"{weights[k]:g} x {name}" for k, name in WEIGHT_NAMES.items() if k in weights
    )
    lines = [
        "Ranking: score = "
        + (formula or "the default weights")
        + ", each component scaled to the largest theme's",
        f"Window: {ranking.get('window_start')} to {ranking.get('window_end')}",
    ]
    coverage = ranking.get("coverage") or {}
    if coverage:
        by = coverage.get("by_method") or {}
        lines.append(
            f"Coverage: {coverage['in_window']:,} items in the window, "
            f"{coverage['outside_window']:,} outside it; {coverage['themed']:,} "
            f"themed (labels {by.get('label', 0):,}, rules {by.get('rule', 0):,}, "
            f"model {by.get('model', 0):,}), {coverage['unthemed']:,} with no theme"
        )
    return lines


def _model_line(model: dict | None) -> str:
    if not model:
        return "Theme model: none applied; themes come from labels and keyword rules"
    ci = model.get("macro_f1_ci")
    interval = f" (95% interval {ci[0]:.2f} to {ci[1]:.2f})" if ci else ""
    f1 = model.get("macro_f1")
    quality = (
        f"cross-validated macro-F1 {f1:.2f}{interval}"
        if f1 is not None
        else ("not measured")
    )
    return f"Theme model: version {model['version']}, {quality}"


def _assumption_line(a: dict | None) -> str:
    if not a:
        return "Assumptions: engine defaults"
    return (
        f"Assumptions: discount rate {percent_text(a.get('rate'))}, horizon "
        f"{a.get('horizon')} years, gross margin {percent_text(a.get('gross_margin'))}"
        f", benefit risk {percent_text(a.get('benefit_risk'))}, cost risk "
        f"{percent_text(a.get('cost_risk'))}, assisted contact "
        f"{format_money(a.get('assisted_cost'))}"
    )


def appendix_slide(data: dict) -> Slide:
    method = data.get("method") or {}
    ranking = data.get("ranking") or {}
    slide = Slide(key="appendix", title="Appendix: how the figures were made")
    if ranking:
        slide.bullets += _ranking_lines({**ranking, **method.get("ranking", {})})
    else:
        slide.missing.append("No ranking yet.")
    slide.bullets.append(_model_line(method.get("model")))
    slide.bullets.append(_assumption_line(method.get("assumptions")))
    sources = method.get("sources") or []
    if sources:
        slide.bullets.append(
            "Data: "
            + ", ".join(
                f"{s['source'] or 'unnamed'} ({s['items']:,} items)" for s in sources
            )
        )
    slide.notes = (
        "Business cases: risk-adjusted (benefits reduced by the benefit risk, "
        "costs raised by the cost risk), Monte Carlo P10-P90 from triangular "
        "draws of each estimate; every figure is computed by CXPlan from the "
        "data named here."
    )
    return slide
