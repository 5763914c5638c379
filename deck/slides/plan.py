"""Slides on the plan: funding, portfolio, strategy progress, success metrics
and the decisions requested."""

import pandas as pd

import charts
from charts.layout import format_money
from deck.slides.asks import DEFAULT_HURDLE, asks
from deck.slides.base import (
    SHOWN_ON_FUNDING,
    Slide,
    months_text,
    percent_text,
)


def _planned(data: dict) -> list[dict]:
    """The initiatives the funding plan counts: costs still open and something
    needed (`needed` is the plan's likely cost over the years)."""
    return [i for i in data.get("initiatives") or [] if i.get("needed")]


def _gap(data: dict) -> float | None:
    """The funding plan's gap (needs not yet allocated, year by year), or None
    for a snapshot taken before the deck stored it."""
    return (data.get("funding") or {}).get("gap")


def funding_slide(data: dict) -> Slide:
    funding = data.get("funding") or {}
    sources = funding.get("sources") or []
    plan = _planned(data)
    slide = Slide(key="funding", title="The funding plan")
    if not sources:
        slide.missing.append("No funding sources recorded yet.")
    if not plan:
        slide.missing.append("No costed initiatives in the plan yet.")
    if not sources and not plan:
        return slide
    rows = [
        {"label": s["name"], "amount": s["total"], "kind": "source"} for s in sources
    ]
    shown, rest = plan[:SHOWN_ON_FUNDING], plan[SHOWN_ON_FUNDING:]
    rows += [
        {"label": i["title"], "amount": i["needed"], "kind": "need"} for i in shown
    ]
    if rest:
        rows.append(
            {
                "label": f"{len(rest)} other initiatives",
                "amount": sum(i["needed"] for i in rest),
                "kind": "need",
            }
        )
    slide.figures.append(charts.funding_waterfall(pd.DataFrame(rows)))
    available = sum(s["total"] for s in sources)
    needed = sum(i["needed"] for i in plan)
    slide.bullets += [
        f"Available: {format_money(available)} from {len(sources)} sources",
        f"Needed: {format_money(needed)} for {len(plan)} initiatives, "
        f"{format_money(funding.get('funded') or 0.0)} of it allocated",
    ]
    gap = _gap(data)
    if gap is None:
        slide.missing.append(
            "This version was built before the deck kept the funding plan's gap."
        )
    elif gap > 0:
        slide.bullets.append(f"Funding gap: {format_money(gap)}")
    else:
        slide.bullets.append("Fully funded: every year's need is allocated")
    slide.notes = (
        "Needs are the likely costs of the open initiatives, year by year; the "
        "gap is what each year's needs lack in allocations, as on the funding page."
    )
    return slide


def portfolio_slide(data: dict) -> Slide:
    cased = [
        i
        for i in data.get("initiatives") or []
        if i.get("status") != "rejected"
        and i.get("npv") is not None
        and i.get("pv_costs") is not None
    ]
    slide = Slide(key="portfolio", title="The portfolio")
    if not cased:
        slide.missing.append("No initiatives with a business case yet.")
        return slide
    slide.figures.append(
        charts.initiatives_bubble(
            pd.DataFrame(
                [
                    {
                        "title": i["title"],
                        "cost": i["pv_costs"],
                        "npv": i["npv"],
                        "customers": i.get("evidence_customers") or 0,
                    }
                    for i in cased
                ]
            )
        )
    )
    ranged = [i for i in cased if i.get("range")]
    if ranged:
        slide.figures.append(
            charts.npv_ranges(
                pd.DataFrame(
                    [
                        {
                            "title": i["title"],
                            **{k: i["range"][k] for k in ("p10", "p50", "p90")},
                        }
                        for i in ranged
                    ]
                )
            )
        )
    else:
        slide.missing.append("No Monte Carlo ranges computed yet.")
    slide.bullets.append(
        f"{len(cased)} initiatives, total risk-adjusted NPV "
        f"{format_money(sum(i['npv'] for i in cased))}"
    )
    slide.notes = "Bubble size is the number of customers behind each initiative."
    return slide


def strategy_slide(data: dict) -> Slide:
    steps = data.get("steps") or []
    competencies = data.get("competencies") or []
    slide = Slide(key="strategy", title="Strategy progress")
    if steps:
        slide.figures.append(charts.step_progress(pd.DataFrame(steps)))
        done = sum(1 for s in steps if s["status"] == "done")
        slide.bullets.append(f"{done} of {len(steps)} steps done")
    else:
        slide.missing.append("No strategy steps recorded yet.")
    if competencies:
        slide.figures.append(charts.competency_radar(pd.DataFrame(competencies)))
    else:
        slide.missing.append("No competency ratings yet.")
    slide.notes = "Competencies are self-assessed from 1 to 5, per role."
    return slide


def metrics_slide(data: dict) -> Slide:
    metrics = data.get("metrics") or []
    slide = Slide(key="metrics", title="Success metrics")
    if not metrics:
        slide.missing.append("No success metrics defined yet.")
        return slide
    slide.figures.append(charts.metrics_vs_target(pd.DataFrame(metrics)))
    met = sum(1 for m in metrics if m.get("status") == "met")
    slide.bullets.append(f"{met} of {len(metrics)} metrics at target")
    for m in metrics:
        text = metric_text(m)
        (slide.missing if text.endswith(TOO_FEW) else slide.bullets).append(text)
    slide.notes = (
        "0% is the baseline, 100% the target, for every metric. NPS and CSAT come "
        "from the feedback scores of the latest month, with the number of "
        f"responses and the 95% interval; below {MIN_RESPONSES} responses a "
        "figure is too uncertain to judge."
    )
    return slide


MIN_RESPONSES = 30
TOO_FEW = "too few responses to judge"


def _figure(value, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.1f}".removesuffix(".0") + (f" {unit}" if unit else "")


def metric_text(m: dict) -> str:
    """A metric with its sample size and interval, or why it has none."""
    unit = m.get("unit") or ""
    text = (
        f"{m['metric']}: {_figure(m.get('current'), unit)} "
        f"(baseline {_figure(m.get('baseline'), unit)}, "
        f"target {_figure(m.get('target'), unit)})"
    )
    n = m.get("n")
    if n is None:
        return text + "; a recorded reading, no sample size"
    ci = m.get("ci") or [None, None]
    text += (
        f"; n = {n:,}, 95% interval {_figure(ci[0], unit)} to {_figure(ci[1], unit)}"
    )
    if n < MIN_RESPONSES:
        text += f"; {TOO_FEW}"
    return text


def decisions_slide(data: dict) -> Slide:
    """Approval asked only for initiatives at or above the hurdle, or below it
    with the CX lead's reason next to it; the others are held back, in words."""
    proposed = asks(data)
    slide = Slide(key="decisions", title="The decisions we ask for")
    if not proposed:
        slide.missing.append("No decisions requested: no initiative awaits a decision.")
    for ask in proposed:
        i = ask.initiative
        figures = (
            f"cost {format_money(i.get('pv_costs'))}, "
            f"NPV {format_money(i.get('npv'))}, "
            f"payback {months_text(i.get('payback_months'))}"
        )
        if not ask.asked:
            slide.missing.append(
                f"Not asked for approval: “{i['title']}” is below the hurdle "
                f"({'; '.join(ask.shortfalls)}) and no reason to ask was given."
            )
            continue
        slide.bullets.append(f"Approve “{i['title']}”: {figures}")
        if ask.below_hurdle:
            slide.missing.append(
                f"“{i['title']}” is below the hurdle ({'; '.join(ask.shortfalls)}). "
                f"Why we still ask: {i['ask_reason']}"
            )
    gap = _gap(data)
    if any(a.asked for a in proposed) and gap:
        slide.bullets.append(f"Fund the gap of {format_money(gap)}")
    slide.notes = (
        "Executives decide in CXPlan; each decision keeps the figures seen. "
        "Below the hurdle means a negative P50 NPV or an ROI under "
        f"{percent_text(data.get('roi_hurdle', DEFAULT_HURDLE))}; such an initiative "
        "is asked for only with the CX lead's reason."
    )
    return slide
