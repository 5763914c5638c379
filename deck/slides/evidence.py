"""Slides on the evidence: title and mission, what customers tell us, where the
money is, and one slide per top improvement."""

import pandas as pd

import charts
from charts.layout import format_money
from deck.slides.base import (
    TOP,
    Slide,
    answering_initiative,
    improvements,
    months_text,
    percent_text,
    strengths,
)


def title_slide(data: dict) -> Slide:
    strategy = data.get("strategy") or {}
    ranking = data.get("ranking") or {}
    slide = Slide(
        key="title",
        title=strategy.get("name") or "Customer experience strategy",
        subtitle=strategy.get("mission") or "",
        notes="Open with the mission; the rest of the deck shows the evidence "
        "and what we ask the leadership team to decide.",
    )
    if not strategy.get("mission"):
        slide.missing.append("No mission recorded yet.")
    if strategy.get("presentation_date"):
        slide.bullets.append(
            f"Leadership presentation: {strategy['presentation_date']}"
        )
    if ranking:
        slide.bullets.append(
            f"Based on {ranking.get('items_in_window') or 0:,} feedback items from "
            f"{ranking.get('window_start')} to {ranking.get('window_end')}"
        )
    return slide


def customers_slide(data: dict) -> Slide:
    top = improvements(data)[:TOP]
    slide = Slide(key="customers", title="What customers tell us")
    if not top:
        slide.missing.append(
            "No ranking yet: import feedback and compute the ranking to see what "
            "customers tell us."
        )
        return slide
    for t in top:
        slide.bullets.append(
            f"{t['rank']}. {t['theme']}: {t['customers']:,} customers, "
            f"{format_money(t['revenue_at_risk'])} revenue at risk, "
            f"trend {percent_text(t.get('trend'), signed=True)}"
        )
        if t.get("quotes"):
            slide.quotes.append(f"“{t['quotes'][0]['text']}” ({t['theme']})")
    praised = strengths(data)
    if praised:
        slide.bullets.append(
            "Strengths customers praise (not improvements): "
            + ", ".join(f"{t['theme']} ({t['customers']:,} customers)" for t in praised)
        )
    frame = pd.DataFrame(
        [{"theme": t["theme"], "score": t["score"], **t["components"]} for t in top]
    )
    weights = (data.get("ranking") or {}).get("weights") or None
    if any(t["components"] for t in top):
        slide.figures.append(charts.top_themes(frame, weights=weights))
    else:
        slide.missing.append("The ranking stored no score components.")
    stable = ", ".join(
        f"{t['theme']} {percent_text(t['p_top3'])}"
        for t in top
        if t.get("p_top3") is not None
    )
    slide.notes = (
        "Score = 0.35 customers + 0.35 revenue at risk + 0.15 negative share + "
        "0.10 rising trend + 0.05 advisor votes, each scaled to the largest theme. "
        + (
            f"Share of resamples in which each stays top three: {stable}."
            if stable
            else ""
        )
    )
    return slide


def _week_dates(theme: dict) -> list:
    """The start date of each weekly bucket (real dates, so the axis is
    chronological); bucket numbers for a snapshot that did not store them."""
    starts = theme.get("weekly_start") or []
    if len(starts) == len(theme.get("weekly") or []):
        return [pd.Timestamp(day) for day in starts]
    return list(range(1, len(theme.get("weekly") or []) + 1))


def money_slide(data: dict) -> Slide:
    themes = improvements(data)
    slide = Slide(key="money", title="Where the money is, and where it is heading")
    if not themes:
        slide.missing.append("No ranking yet: no revenue at risk or trend to show.")
        return slide
    slide.figures.append(
        charts.revenue_at_risk(
            pd.DataFrame(
                [
                    {"theme": t["theme"], "revenue_at_risk": t["revenue_at_risk"]}
                    for t in themes
                ]
            )
        )
    )
    weekly = [
        {"period": period, "theme": t["theme"], "mentions": n}
        for t in improvements(data)[:TOP]
        for period, n in zip(_week_dates(t), t.get("weekly") or [], strict=False)
    ]
    if weekly:
        slide.figures.append(charts.theme_trend(pd.DataFrame(weekly)))
    else:
        slide.missing.append("No weekly mentions stored with the ranking.")
    total = sum(t["revenue_at_risk"] for t in themes)
    slide.bullets.append(
        f"{format_money(total)} of annual revenue sits with unhappy customers "
        f"on the top {len(themes)} themes"
    )
    slide.notes = (
        "Revenue at risk is the annual revenue of distinct customers with at least "
        "one negative item on the theme in the ranking window."
    )
    return slide


VERDICT_PAST = {"approve": "Approved", "reject": "Rejected", "defer": "Deferred"}


def decided_text(decided: dict) -> str:
    """The frozen evidence of a decision, then what changed since."""
    e = decided["evidence"]
    text = (
        f"{VERDICT_PAST.get(decided['verdict'], 'Decided')} on "
        f"{decided['decided_at']} on {e['items']:,} items from "
        f"{e['customers']:,} customers, "
        f"{format_money(e.get('revenue_at_risk'))} revenue at risk"
    )
    since = decided.get("since")
    if since and since.get("changed"):
        text += f". {since['message']}"
    return text


def _decided_bullet(slide: Slide, initiative: dict) -> None:
    """A decided initiative's slide shows the evidence it was decided on."""
    if initiative.get("decided"):
        slide.bullets.append(decided_text(initiative["decided"]))


def _distinct_quotes(theme: dict, used: set[str], k: int = 3) -> list[str]:
    """Up to `k` of the theme's quotes whose text no earlier slide showed."""
    out = []
    for quote in theme.get("quotes") or []:
        text = (quote.get("text") or "").strip()
        if text and text not in used:
            used.add(text)
            out.append(f"“{text}”")
        if len(out) == k:
            break
    return out


def improvement_slide(
    number: int, theme: dict, initiatives: list[dict], used: set[str] | None = None
) -> Slide:
    slide = Slide(
        key=f"improvement-{number}",
        title=f"Improvement {number}: {theme['theme']}",
    )
    evidence = (
        f"Evidence: {theme['customers']:,} customers, {theme['mentions']:,} mentions, "
        f"{format_money(theme['revenue_at_risk'])} revenue at risk"
    )
    slide.quotes = _distinct_quotes(theme, used if used is not None else set())
    initiative = answering_initiative(theme, initiatives)
    if initiative is None:
        slide.bullets.append(evidence)
        slide.missing.append(f"No initiative answers “{theme['theme']}” yet.")
        slide.notes = "Ask for an owner to propose an initiative for this theme."
        return slide
    slide.subtitle = f"{initiative['title']} ({initiative['status'].replace('_', ' ')})"
    if initiative.get("npv") is None and initiative.get("pv_costs") is None:
        slide.bullets.append(evidence)
        _decided_bullet(slide, initiative)
        slide.missing.append(
            f"No business case computed for “{initiative['title']}” yet."
        )
        return slide
    roi = initiative.get("roi")
    slide.bullets += [
        f"Cost (present value): {format_money(initiative.get('pv_costs'))}",
        f"Risk-adjusted NPV: {format_money(initiative.get('npv'))}"
        + (f", ROI {percent_text(roi)}" if roi is not None else ""),
        f"Payback: {months_text(initiative.get('payback_months'))}",
    ]
    spread = initiative.get("range")
    if spread:
        slide.bullets.append(
            f"Range P10–P90: {format_money(spread['p10'])} to "
            f"{format_money(spread['p90'])}"
            + (
                f" (NPV positive in {percent_text(spread['p_positive'])} "
                "of simulations)"
                if spread.get("p_positive") is not None
                else ""
            )
        )
    else:
        slide.missing.append("No Monte Carlo range computed yet.")
    slide.bullets.append(evidence)
    _decided_bullet(slide, initiative)
    swings = initiative.get("sensitivity") or []
    if swings:
        slide.figures.append(charts.tornado(pd.DataFrame(swings[:6])))
        widest = swings[0]
        slide.bullets.append(
            f"Moves the NPV most: {widest['factor']} "
            f"({format_money(widest['npv_low'])} to {format_money(widest['npv_high'])})"
        )
    flows = initiative.get("cashflows")
    if flows:
        frame = pd.DataFrame(
            {"t": flows["t"], "net": flows["net"], "cumulative": flows["cumulative"]}
        )
        slide.figures.append(
            charts.cumulative_cash(
                frame, payback_months=initiative.get("payback_months")
            )
        )
    else:
        slide.missing.append("No yearly cash flows stored for this initiative.")
    slide.notes = (
        "Figures are risk-adjusted (benefits reduced, costs increased by the "
        "assumption set's risk factors); P10 is the downside."
    )
    return slide


def improvement_slides(data: dict) -> list[Slide]:
    top = improvements(data)[:TOP]
    if not top:
        return [
            Slide(
                key="improvement-1",
                title="Top improvements",
                missing=["No ranking yet, so no top improvements to propose."],
            )
        ]
    initiatives = data.get("initiatives") or []
    used: set[str] = set()
    return [
        improvement_slide(n, t, initiatives, used) for n, t in enumerate(top, start=1)
    ]
