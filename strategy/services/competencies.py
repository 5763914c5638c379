"""Writes on competencies: a user's 1-5 rating (under one of their roles) and
the actions that build a competency."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cxplan.core.audit import audit_record
from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE, roles_of
from strategy.models import Action, Competency, CompetencyRating
from strategy.services.edits import record_created, record_updated

# When a user holds several roles and does not say which one they rate as, the
# most senior one counts: executives are the scarcest voice in the spread.
ROLE_PRECEDENCE = (EXECUTIVE, CX_LEAD, ADVISOR)

ACTION_FIELDS = (
    "competency",
    "kind",
    "title",
    "description",
    "owner",
    "team",
    "due_date",
    "status",
)


def rating_role_for(user, requested: str | None = None) -> str:
    """The role a rating is recorded under.

    A user may name one of the roles they hold; otherwise the most senior role
    they hold counts (executive, then CX lead, then advisor).
    """
    held = roles_of(user)
    if requested:
        if requested not in held:
            raise ValidationError({"role": f"You do not hold the role {requested!r}."})
        return requested
    for role in ROLE_PRECEDENCE:
        if role in held:
            return role
    raise PermissionDenied("Only CX leads, executives and advisors rate competencies.")


@transaction.atomic
def competency_rate(
    *,
    competency: Competency,
    actor,
    score: int,
    role: str | None = None,
    comment: str = "",
) -> CompetencyRating:
    """Record the actor's 1-5 rating of a competency (a new row: history is kept)."""
    role = rating_role_for(actor, role)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationError({"score": "A rating is a whole number from 1 to 5."})
    rating = CompetencyRating.objects.create(
        competency=competency,
        rated_by=actor,
        role=role,
        score=score,
        comment=(comment or "").strip(),
    )
    audit_record(
        actor=actor,
        action="strategy.competency_rate",
        objects=rating,
        changes={"competency": competency.key, "role": role, "score": score},
    )
    return rating


@transaction.atomic
def action_create(*, actor, data: dict) -> Action:
    """Add an action to a competency."""
    return record_created(
        actor=actor, obj=Action(), data=data, fields=ACTION_FIELDS, name="action"
    )


@transaction.atomic
def action_update(
    *, action: Action, actor, data: dict, expected_version: int | None = None
) -> Action:
    """Change an action's fields (title, kind, owner, team, due date, status...)."""
    return record_updated(
        obj=action,
        actor=actor,
        data=data,
        fields=ACTION_FIELDS,
        name="action",
        expected_version=expected_version,
    )


@transaction.atomic
def action_delete(*, action: Action, actor) -> None:
    """Remove an action (the audit trail keeps its title)."""
    audit_record(
        actor=actor,
        action="strategy.action_delete",
        objects=action,
        changes={"title": action.title, "competency": action.competency_id},
    )
    action.delete()
