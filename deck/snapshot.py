"""What a deck is built from: the live data, read once into a JSON-ready dict.

A deck stores this dict as its immutable snapshot, so every export (and the "what
changed" list of the next version) comes from the same figures. Every part is
read through the selectors the pages use (the ranking page's, the initiatives
list's, the funding plan's, the strategy page's), so the deck and the pages show
the same figures by construction; nothing here queries a model. A part whose
data is missing is None or an empty list, and the slide that needs it says so
plainly instead of failing the build.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from deck.brand import brand_part
from feedback.selectors.feedback import feedback_sources
from feedback.selectors.ranking import ranking_view
from feedback.selectors.theme_models import theme_model_overview
from feedback.selectors.theme_sentiment import theme_net_sentiment
from initiatives.business_case import BusinessCase
from initiatives.selectors.decision_evidence import decided_evidence
from initiatives.selectors.funding import allocated_by_initiative, funding_plan
from initiatives.selectors.initiatives import initiatives_ranked
from roi.selectors import assumptions_as_dict, assumptions_current
from strategy.selectors import (
    competency_summary,
    metrics_overview,
    mission_current,
    steps_list,
    strategy_get,
)

# 2: initiatives carry `needed` and `gap`, and the funding part `needed`,
# `funded`, `gap` and `years`, all from the funding plan.
# 3: decided initiatives carry `decided`: the evidence frozen at the decision
# and what changed since; initiatives `ask_reason`; themes `praise`,
# `net_sentiment` and `weekly_start` (the dates of the weekly buckets); the
# ROI hurdle.
SCHEMA = 3
TOP_THEMES = 5
QUOTES_PER_THEME = 3


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
    plan = funding_plan()
    return {
        "schema": SCHEMA,
        "collected_at": timezone.now().isoformat(),
        "roi_hurdle": float(getattr(settings, "CXPLAN_ROI_HURDLE", 0.10)),
        "strategy": strategy_part(),
        "ranking": ranking_part(),
        "initiatives": initiatives_part(plan=plan),
        "funding": funding_part(plan=plan),
        "steps": steps_part(),
        "competencies": competencies_part(),
        "metrics": metrics_part(),
        "method": method_part(),
        "brand": brand_part(),
    }


def method_part() -> dict:
    """What the appendix explains: the ranking window's coverage, the applied
    theme model's quality, the financial assumptions and the data sources."""
    snapshot = ranking_view().snapshot
    applied = theme_model_overview()["applied"]
    return {
        "ranking": {"coverage": (snapshot.coverage or None) if snapshot else None},
        "model": {
            "version": applied["version"],
            "macro_f1": applied["macro_f1"],
            "macro_f1_ci": applied["macro_f1_ci"],
        }
        if applied
        else None,
        "assumptions": assumptions_as_dict(assumptions_current()),
        "sources": feedback_sources(),
    }


def strategy_part() -> dict | None:
    """Name, mission, presentation date and corporate strategy, or None."""
    strategy = strategy_get()
    if strategy is None:
        return None
    mission = mission_current(strategy=strategy)
    return {
        "name": strategy.name,
        "mission": mission.text if mission else "",
        "presentation_date": strategy.presentation_date.isoformat()
        if strategy.presentation_date
        else None,
        "corporate_strategy": strategy.corporate_strategy,
    }


def _quotes(row: dict) -> list[dict]:
    """The theme's first QUOTES_PER_THEME quotes with distinct texts."""
    seen, out = set(), []
    for q in row.get("quotes") or []:
        text = str(q.get("text", "")).strip() if isinstance(q, dict) else ""
        if not text or text in seen:
            continue
        seen.add(text)
        out.append({"text": text, "channel": q.get("channel"), "date": q.get("date")})
        if len(out) == QUOTES_PER_THEME:
            break
    return out


def ranking_part(*, top: int = TOP_THEMES) -> dict | None:
    """The latest ranking snapshot's top themes with their figures, components,
    weekly mentions and up to three quotes each (the ranking page's rows);
    None without a snapshot."""
    view = ranking_view()
    snapshot = view.snapshot
    if snapshot is None:
        return None
    themes = []
    sentiment = theme_net_sentiment(
        theme_ids=[row.get("theme_id") for row in view.themes[:top]],
        start=snapshot.window_start,
        end=snapshot.window_end,
    )
    for row in view.themes[:top]:
        net = sentiment.get(row.get("theme_id")) or {}
        themes.append(
            {
                "net_sentiment": net.get("net"),
                "praise": bool(net.get("praise")),
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
                "weekly_start": [
                    (snapshot.window_start + timedelta(days=7 * week))
                    .date()
                    .isoformat()
                    for week in range(len(row.get("weekly") or []))
                ]
                if snapshot.window_start
                else [],
                "quotes": _quotes(row),
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


def initiatives_part(*, plan: dict | None = None) -> list[dict]:
    """Every initiative as the initiatives list ranks it (best risk-adjusted NPV
    first) with its business case (None where not computed), its themes, what
    is allocated to it and, while its costs are open, what the funding plan
    says it needs and lacks (`needed`, `gap`; None otherwise). `plan` is
    `funding_plan()`, read again when not given."""
    plan = funding_plan() if plan is None else plan
    states = {row["initiative"].pk: row["state"] for row in plan["initiatives"]}
    allocated = allocated_by_initiative()
    out = []
    for row in initiatives_ranked(sort="npv"):
        i = row["initiative"]
        case = BusinessCase.from_json(i.result)
        flows = _cashflows(case)
        state = states.get(i.pk)
        out.append(
            {
                "id": i.pk,
                "title": i.title,
                "status": i.status,
                "problem": i.problem,
                "theme_ids": [t["id"] for t in row["themes"]],
                "themes": [t["name"] for t in row["themes"]],
                "npv": _number(row["npv"]),
                "roi": _number(row["roi"]),
                "payback_months": _number(row["payback_months"]),
                "pv_costs": _number(row["pv_costs"]),
                # The risk-adjusted costs over the horizon, kept in the data
                # the API answers; the funding need is `needed`.
                "cost_total": sum(flows["costs"]) if flows and flows["costs"] else None,
                "needed": _number(state["needed"]) if state else None,
                "gap": _number(state["gap"]) if state else None,
                "evidence_customers": i.evidence_customers or 0,
                "ask_reason": i.ask_reason or "",
                "funded": _number(allocated.get(i.pk)) or 0.0,
                "cashflows": flows,
                "range": case.montecarlo.as_dict() if case.montecarlo else None,
                "sensitivity": list(case.sensitivity),
                "decided": _decided(i),
            }
        )
    return out


def _decided(initiative) -> dict | None:
    """The frozen evidence of the latest decision, JSON-ready, or None."""
    decided = decided_evidence(initiative)
    if decided is None:
        return None
    return {**decided, "decided_at": decided["decided_at"].date().isoformat()}


def funding_part(*, plan: dict | None = None) -> dict:
    """The funding plan's sources with their totals over the years, what is
    allocated, and its needs and gap per year and in all (`funding_plan`'s
    one definition of the gap). `plan` is `funding_plan()`, read again when
    not given."""
    plan = funding_plan() if plan is None else plan
    sources = [
        {
            "id": row["source"].pk,
            "name": row["source"].name,
            "kind": row["source"].kind,
            "total": _number(row["total"]) or 0.0,
        }
        for row in plan["sources"]
    ]
    return {
        "sources": sources,
        "available": sum(s["total"] for s in sources),
        "allocated": float(sum(allocated_by_initiative().values())),
        "needed": _number(plan["needed"]) or 0.0,
        "funded": _number(plan["funded"]) or 0.0,
        "gap": _number(plan["gap"]) or 0.0,
        "years": [
            {
                key: _number(year[key])
                for key in ("needed", "funded", "gap", "available")
            }
            | {"year": year["year"]}
            for year in plan["years"]
        ],
    }


def steps_part() -> list[dict]:
    """The five strategy steps in order with status and owner."""
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
    return [
        {
            "metric": m["name"],
            "baseline": _number(m.get("baseline")),
            "current": _number(m.get("current")),
            "target": _number(m.get("target")),
            "direction": m.get("direction") or "up",
            "unit": m.get("unit") or "",
            "status": m.get("status"),
            "n": m.get("n"),
            "ci": m.get("ci"),
            "source": m.get("source"),
        }
        for m in metrics_overview()
    ]
