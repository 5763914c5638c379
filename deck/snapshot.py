"""What a deck is built from: the live data, read once into a JSON-ready dict.

A deck stores this dict as its immutable snapshot, so every export (and the "what
changed" list of the next version) comes from the same figures. The readers are
defensive: a part whose data is missing is None or an empty list, and the slide
that needs it says so plainly instead of failing the build.
"""

from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from initiatives.business_case import BusinessCase

SCHEMA = 1
TOP_THEMES = 5
QUOTES_PER_THEME = 3
PLAN_STATUSES = ("approved", "in_progress", "proposed")


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def snapshot_collect() -> dict:
    """Read the ranking, initiatives, funding and strategy now; returns the deck's
    data: `{"schema", "collected_at", "strategy", "ranking", "initiatives",
    "funding", "steps", "competencies", "metrics"}`."""
    return {
        "schema": SCHEMA,
        "collected_at": timezone.now().isoformat(),
        "strategy": strategy_part(),
        "ranking": ranking_part(),
        "initiatives": initiatives_part(),
        "funding": funding_part(),
        "steps": steps_part(),
        "competencies": competencies_part(),
        "metrics": metrics_part(),
    }


def strategy_part() -> dict | None:
    """Name, mission, presentation date and corporate strategy, or None."""
    from strategy.selectors import strategy_get

    strategy = strategy_get()
    if strategy is None:
        return None
    mission = strategy.missions.order_by("-created_at", "-pk").first()
    return {
        "name": strategy.name,
        "mission": mission.text if mission else "",
        "presentation_date": strategy.presentation_date.isoformat()
        if strategy.presentation_date
        else None,
        "corporate_strategy": strategy.corporate_strategy,
    }


def ranking_part(*, top: int = TOP_THEMES) -> dict | None:
    """The latest ranking snapshot's top themes with their figures, components,
    weekly mentions and up to three quotes each; None without a snapshot."""
    from feedback.models import RankingSnapshot

    snapshot = RankingSnapshot.objects.first()
    if snapshot is None:
        return None
    themes = []
    for row in (snapshot.themes or [])[:top]:
        themes.append(
            {
                "rank": row.get("rank"),
                "theme_id": row.get("theme_id"),
                "theme": str(row.get("theme") or ""),
                "score": _number(row.get("score")),
                "customers": row.get("customers") or 0,
                "mentions": row.get("mentions") or 0,
                "negative_share": _number(row.get("negative_share")),
                "revenue_at_risk": _number(row.get("revenue_at_risk")) or 0.0,
                "trend": _number(row.get("trend")),
                "votes": row.get("votes") or 0,
                "p_top3": _number(row.get("p_top3")),
                "components": dict(row.get("components") or {}),
                "weekly": list(row.get("weekly") or []),
                "quotes": [
                    {
                        "text": str(q.get("text", "")),
                        "channel": q.get("channel"),
                        "date": q.get("date"),
                    }
                    for q in (row.get("quotes") or [])[:QUOTES_PER_THEME]
                    if isinstance(q, dict)
                ],
            }
        )
    return {
        "snapshot_id": snapshot.pk,
        "computed_at": snapshot.computed_at.isoformat(),
        "window_start": snapshot.window_start.date().isoformat()
        if snapshot.window_start
        else None,
        "window_end": snapshot.window_end.date().isoformat()
        if snapshot.window_end
        else None,
        "weights": dict(snapshot.weights or {}),
        "items_in_window": snapshot.items_in_window,
        "themes": themes,
    }


def _cashflows(case: BusinessCase) -> dict | None:
    """The case's risk-adjusted yearly flows, or None when none are stored."""
    flows = case.cashflows
    if flows is None:
        return None
    return {
        "t": list(flows.t),
        "net": list(flows.risk_adjusted_net),
        "cumulative": list(flows.risk_adjusted_cumulative),
        "costs": list(flows.risk_adjusted_costs),
    }


def initiatives_part() -> list[dict]:
    """Every initiative with its cached business case (None where not computed),
    its themes and what has been allocated to it, best NPV first."""
    from initiatives.models import Initiative

    rows = (
        Initiative.objects.annotate(funded=Sum("allocations__amount"))
        .prefetch_related("themes")
        .order_by(F("npv").desc(nulls_last=True), "title")
    )
    out = []
    for i in rows:
        case = BusinessCase.from_json(i.result)
        flows = _cashflows(case)
        cost_total = sum(flows["costs"]) if flows and flows["costs"] else None
        out.append(
            {
                "id": i.pk,
                "title": i.title,
                "status": i.status,
                "problem": i.problem,
                "theme_ids": [t.pk for t in i.themes.all()],
                "themes": [t.name for t in i.themes.all()],
                "npv": _number(i.npv if i.npv is not None else case.npv),
                "roi": _number(i.roi if i.roi is not None else case.roi),
                "payback_months": _number(
                    i.payback_months
                    if i.payback_months is not None
                    else case.payback_months
                ),
                "pv_costs": _number(
                    i.pv_costs if i.pv_costs is not None else case.pv_costs
                ),
                "cost_total": cost_total,
                "evidence_customers": i.evidence_customers or 0,
                "funded": _number(i.funded) or 0.0,
                "cashflows": flows,
                "range": case.montecarlo.as_dict() if case.montecarlo else None,
            }
        )
    return out


def funding_part() -> dict:
    """Funding sources with their totals over the years, and what is allocated."""
    from initiatives.models import Allocation, FundingSource

    sources = [
        {"id": s.pk, "name": s.name, "kind": s.kind, "total": _number(s.total) or 0.0}
        for s in FundingSource.objects.annotate(total=Sum("amounts__amount"))
    ]
    allocated = Allocation.objects.aggregate(total=Sum("amount"))["total"]
    return {
        "sources": sources,
        "available": sum(s["total"] for s in sources),
        "allocated": float(allocated or Decimal(0)),
    }


def steps_part() -> list[dict]:
    """The five strategy steps in order with status and owner."""
    from strategy.selectors import steps_list, strategy_get

    strategy = strategy_get()
    if strategy is None:
        return []
    return [
        {
            "order": s.order,
            "name": s.name,
            "status": s.status,
            "owner": s.owner.get_username() if s.owner_id else None,
            "due_date": s.due_date.isoformat() if s.due_date else None,
            "signed_off": bool(s.signed_off_at),
        }
        for s in steps_list(strategy=strategy)
    ]


def competencies_part() -> list[dict]:
    """One row per competency and role: `competency`, `role`, `score`."""
    from strategy.selectors import competency_summary

    rows = []
    for c in competency_summary(ratings_shown=0):
        for role, avg in (c.get("role_averages") or {}).items():
            if avg is not None:
                rows.append({"competency": c["name"], "role": role, "score": avg})
        if c.get("average") is not None:
            rows.append({"competency": c["name"], "role": "all", "score": c["average"]})
    return rows


def metrics_part() -> list[dict]:
    """Success metrics: `metric`, `baseline`, `current`, `target`, `direction`,
    `unit`, `status`."""
    from strategy.selectors import metrics_overview

    return [
        {
            "metric": m["name"],
            "baseline": _number(m.get("baseline")),
            "current": _number(m.get("current")),
            "target": _number(m.get("target")),
            "direction": m.get("direction") or "up",
            "unit": m.get("unit") or "",
            "status": m.get("status"),
        }
        for m in metrics_overview()
    ]
