"""Reads for the executive review: the ranked initiatives awaiting or holding a
decision, each with its figures and funding state, and what changed since the
executive's last visit; and the decisions a user may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from cxplan.core.roles import CX_LEAD, EXECUTIVE, has_role
from initiatives.business_case import BusinessCase
from initiatives.models import Allocation, Decision, Initiative, ReviewVisit
from initiatives.selectors.funding import (
    current_assumptions,
    funding_state,
    initiative_flows,
    to_assumptions,
    with_case,
)

REVIEW_STATUSES = (
    Initiative.Status.PROPOSED,
    Initiative.Status.DEFERRED,
    Initiative.Status.APPROVED,
)


def last_visit(user) -> datetime | None:
    visit = ReviewVisit.objects.filter(user=user).first()
    return visit.seen_at if visit else None


def review_rows(*, since: datetime | None = None) -> list[dict]:
    """The initiatives to review, best risk-adjusted NPV first.

    Each row: `initiative`, `rank`, `npv`, `roi`, `payback_months`, `p10`,
    `p90`, `evidence`, `funding` (see `funding_state`), `last_decision`
    (or None), `changed` (created, edited, decided or funded after `since`).
    A constant number of queries whatever the number of rows.
    """
    default = to_assumptions(current_assumptions())
    queryset = with_case(
        Initiative.objects.filter(status__in=REVIEW_STATUSES)
    ).prefetch_related(
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("decided_by").order_by(
                "-decided_at", "-id"
            ),
        )
    )
    rows = []
    for initiative in queryset:
        flows = initiative_flows(initiative, default=default)
        decisions = list(initiative.decisions.all())
        case = BusinessCase.from_json(initiative.result)
        changed = since is None or initiative.updated_at > since
        if since is not None and not changed:
            changed = any(d.decided_at > since for d in decisions) or any(
                a.created_at > since for a in initiative.allocations.all()
            )
        rows.append(
            {
                "initiative": initiative,
                "npv": (
                    float(initiative.npv)
                    if initiative.npv is not None
                    else round(flows.risk_npv, 2)
                ),
                "roi": initiative.roi,
                "payback_months": initiative.payback_months,
                "p10": case.p10,
                "p90": case.p90,
                "evidence": initiative.evidence_customers,
                "funding": funding_state(initiative, flows),
                "last_decision": decisions[0] if decisions else None,
                "changed": changed,
            }
        )
    rows.sort(key=lambda row: (-row["npv"], row["initiative"].title))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def review_changes(*, since: datetime | None) -> dict:
    """What happened after `since`: new initiatives, decisions (with who), and
    allocations; empty lists on a first visit (everything is new then)."""
    if since is None:
        return {"since": None, "created": [], "decisions": [], "allocations": []}
    return {
        "since": since,
        "created": list(
            Initiative.objects.filter(created_at__gt=since).order_by("-created_at")[:20]
        ),
        "decisions": list(
            Decision.objects.filter(decided_at__gt=since)
            .select_related("initiative", "decided_by")
            .order_by("-decided_at")[:20]
        ),
        "allocations": list(
            Allocation.objects.filter(created_at__gt=since)
            .select_related("initiative", "source")
            .order_by("-created_at")[:20]
        ),
    }


def visible_initiatives(user) -> QuerySet[Initiative]:
    """Initiatives whose decisions `user` may see: all for CX leads and
    executives; for advisors those linked to one of their ideas (directly or by
    a shared theme)."""
    if has_role(user, CX_LEAD, EXECUTIVE):
        return Initiative.objects.all()
    linked = Q(ideas__author=user) | Q(themes__ideas__author=user)
    return Initiative.objects.filter(linked).distinct()


def decisions_list(*, user, initiative_id: int | None = None) -> QuerySet[Decision]:
    """The decision log `user` may read, newest first."""
    visible = visible_initiatives(user).values("pk")
    decisions = (
        Decision.objects.filter(initiative__in=visible)
        .select_related("initiative", "decided_by")
        .order_by("-decided_at", "-id")
    )
    if initiative_id is not None:
        decisions = decisions.filter(initiative_id=initiative_id)
    return decisions


def pending_count() -> int:
    """How many initiatives wait for a decision."""
    return Initiative.objects.aggregate(
        n=Count("id", filter=Q(status=Initiative.Status.PROPOSED))
    )["n"]
