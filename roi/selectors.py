"""Reads of the ROI assumptions: the current set, its history, and the engine's
view of a stored set."""

from __future__ import annotations

from django.db.models import QuerySet

from roi import drivers as engine
from roi.models import AssumptionSet

FIELDS = (
    "rate",
    "horizon",
    "gross_margin",
    "assisted_cost",
    "self_service_cost",
    "ramp",
    "benefit_risk",
    "cost_risk",
)


def assumptions_current() -> AssumptionSet | None:
    """The set new results are computed with (None before the first is saved)."""
    return AssumptionSet.objects.filter(is_current=True).first()


def assumptions_history(*, limit: int = 10) -> QuerySet[AssumptionSet]:
    """The newest sets first, with who made them."""
    return AssumptionSet.objects.select_related("created_by").order_by(
        "-created_at", "-id"
    )[:limit]


def assumptions_engine(stored: AssumptionSet | None) -> engine.Assumptions:
    """The engine's Assumptions for a stored set (the engine defaults for None)."""
    if stored is None:
        return engine.Assumptions()
    return engine.Assumptions(
        rate=float(stored.rate),
        horizon=stored.horizon,
        gross_margin=float(stored.gross_margin),
        assisted_cost=float(stored.assisted_cost),
        self_service_cost=float(stored.self_service_cost),
        ramp=tuple(stored.ramp or (1.0,)),
        benefit_risk=float(stored.benefit_risk),
        cost_risk=float(stored.cost_risk),
    )


def assumptions_as_dict(stored: AssumptionSet | None) -> dict:
    """JSON-ready figures of a set (plus its id, note and when; None id when the
    engine defaults stand in for a set never saved)."""
    values = assumptions_engine(stored)
    out = {"id": stored.pk if stored else None}
    for name in FIELDS:
        value = getattr(values, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    out["note"] = stored.note if stored else ""
    out["created_at"] = stored.created_at.isoformat() if stored else None
    out["created_by"] = (
        stored.created_by.get_username() if stored and stored.created_by else None
    )
    return out
