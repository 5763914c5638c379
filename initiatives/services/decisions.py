"""Executive decisions on initiatives (approve, reject, defer) and review visits.

Every decision is a row with who, when, why (the comment) and the figures the
executive saw, the evidence among them, frozen (decision_evidence); the
initiative's status follows it. Approval is refused while the initiative's
yearly costs are not fully funded.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cxplan.core.audit import audit_record
from cxplan.core.roles import EXECUTIVE, has_role
from feedback.models import Idea
from feedback.services.notifications import notifications_send
from initiatives.models import Decision, Initiative, ReviewVisit
from initiatives.selectors.decision_evidence import evidence_now
from initiatives.selectors.funding import (
    Flows,
    current_assumptions,
    funding_state,
    gap_message,
    initiative_flows,
    to_assumptions,
    with_case,
)

Verdict = Decision.Verdict
Status = Initiative.Status

OUTCOME = {
    Verdict.APPROVE: Status.APPROVED,
    Verdict.REJECT: Status.REJECTED,
    Verdict.DEFER: Status.DEFERRED,
}
# Which statuses each verdict may follow: work that has started is past deciding.
ALLOWED_FROM = {
    Verdict.APPROVE: (Status.PROPOSED, Status.DEFERRED),
    Verdict.REJECT: (Status.PROPOSED, Status.DEFERRED, Status.APPROVED),
    Verdict.DEFER: (Status.PROPOSED, Status.APPROVED),
}
PAST_TENSE = {
    Verdict.APPROVE: "approved",
    Verdict.REJECT: "rejected",
    Verdict.DEFER: "deferred",
}


class StaleDecision(Exception):
    """The initiative changed since the executive read it (version mismatch)."""


class NotFunded(ValidationError):
    """Approval refused: the funding state (with the gap per year) is attached."""

    def __init__(self, state: dict):
        self.state = state
        super().__init__({"verdict": gap_message(state)})


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _snapshot(initiative: Initiative, flows: Flows, state: dict) -> dict:
    """The figures the executive saw: cached ROI, the live case, funding."""
    result = initiative.result if isinstance(initiative.result, dict) else {}
    return {
        "version": initiative.version,
        "npv": _number(initiative.npv),
        "roi": initiative.roi,
        "payback_months": initiative.payback_months,
        "pv_costs": _number(initiative.pv_costs),
        "evidence_customers": initiative.evidence_customers,
        "result": {
            key: result[key]
            for key in (
                "raw",
                "risk_adjusted",
                "npv_quantiles",
                "warnings",
                "computed_at",
            )
            if key in result
        },
        "computed": {
            "risk_adjusted_npv": round(flows.risk_npv, 2),
            "costs": [round(value, 2) for value in flows.costs],
        },
        "funding": {
            "needed": float(state["needed"]),
            "funded": float(state["funded"]),
            "gap": float(state["gap"]),
            "years": [
                {
                    "year": row["year"],
                    "needed": float(row["needed"]),
                    "funded": float(row["funded"]),
                    "gap": float(row["gap"]),
                }
                for row in state["years"]
            ],
        },
    }


def _initiative_url(initiative: Initiative) -> str:
    try:
        return reverse("initiative-detail", args=[initiative.pk])
    except NoReverseMatch:
        return reverse("review")


def decision_recipients(initiative: Initiative) -> list:
    """The owner and the authors of linked ideas: linked directly, or sharing a
    theme with the initiative."""
    themes = list(initiative.themes.values_list("pk", flat=True))
    ideas = Idea.objects.filter(
        Q(initiatives=initiative) | Q(themes__in=themes)
    ).select_related("author")
    users = [initiative.owner] + [idea.author for idea in ideas]
    return [user for user in users if user is not None]


@transaction.atomic
def initiative_decide(
    *,
    actor,
    initiative_id: int,
    verdict: str,
    comment: str = "",
    seen_version: int | None = None,
) -> Decision:
    """Approve, reject or defer an initiative, as an executive.

    Locks the initiative row, so two executives deciding at once run one after
    the other. Raises PermissionDenied (not an executive), Initiative.DoesNotExist,
    StaleDecision (`seen_version` is not the stored version), NotFunded (approval
    with a funding gap) or ValidationError (unknown verdict, missing comment on a
    rejection or deferral, a status the verdict cannot follow). Writes the
    decision with the figures seen, moves the status, bumps the version, audits
    and notifies the owner and the authors of linked ideas.
    """
    if not has_role(actor, EXECUTIVE):
        raise PermissionDenied("Only executives decide on initiatives.")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"verdict must be one of {Verdict.values}"})
    comment = (comment or "").strip()
    if verdict != Verdict.APPROVE and not comment:
        raise ValidationError(
            {"comment": f"Say why the initiative is {PAST_TENSE[verdict]}."}
        )
    Initiative.objects.select_for_update().filter(pk=initiative_id).get()
    initiative = with_case(Initiative.objects.filter(pk=initiative_id)).get()
    if seen_version is not None and int(seen_version) != initiative.version:
        raise StaleDecision()
    if initiative.status not in ALLOWED_FROM[verdict]:
        raise ValidationError(
            {
                "verdict": (
                    f"A {initiative.get_status_display()} initiative cannot be "
                    f"{PAST_TENSE[verdict]}."
                )
            }
        )
    flows = initiative_flows(initiative, default=to_assumptions(current_assumptions()))
    state = funding_state(initiative, flows)
    if verdict == Verdict.APPROVE and not state["fully_funded"]:
        raise NotFunded(state)
    figures = _snapshot(initiative, flows, state)
    # Frozen: later imports, retrains and rankings show as a change since.
    figures["evidence"] = evidence_now(initiative)
    decision = Decision.objects.create(
        initiative=initiative,
        verdict=verdict,
        comment=comment,
        figures=figures,
        decided_by=actor,
    )
    before = initiative.status
    Initiative.objects.filter(pk=initiative.pk).update(
        status=OUTCOME[verdict], version=F("version") + 1, updated_at=timezone.now()
    )
    initiative.refresh_from_db(fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=f"initiative.{verdict}",
        objects=initiative,
        changes={
            "status": [before, initiative.status],
            "decision": decision.pk,
            "comment": comment,
        },
    )
    recipients = [u for u in decision_recipients(initiative) if u.pk != actor.pk]
    message = f"“{initiative.title}” was {PAST_TENSE[verdict]}"
    message += f": {comment}" if comment else "."
    notifications_send(
        users=recipients,
        message=message,
        url=_initiative_url(initiative),
        subject=f"Initiative {PAST_TENSE[verdict]}: {initiative.title}",
    )
    return decision


def review_visit_record(*, user, at=None) -> ReviewVisit:
    """Remember when `user` last opened the review page; returns the row."""
    visit, _ = ReviewVisit.objects.update_or_create(
        user=user, defaults={"seen_at": at or timezone.now()}
    )
    return visit
