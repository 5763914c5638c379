"""Writes on the strategy: every change goes through one of these functions.

Pages and the API are thin callers. Each write is audited; versioned records
(`Strategy`, `StrategyStep`, `Action`, `SuccessMetric`) get their version bumped
here, and callers that know the version the user read pass `expected_version` (a
mismatch raises `StaleVersion`, nothing is written).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cxplan.core.audit import audit_record
from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE, roles_of
from feedback.models import RankingSnapshot
from strategy import selectors
from strategy.models import (
    STEP_KEYS,
    Action,
    Competency,
    CompetencyRating,
    MetricReading,
    MissionVersion,
    StepStatus,
    Strategy,
    StrategyStep,
    SuccessMetric,
)
from strategy.starter import STARTER_ACTIONS

# When a user holds several roles and does not say which one they rate as, the
# most senior one counts: executives are the scarcest voice in the spread.
ROLE_PRECEDENCE = (EXECUTIVE, CX_LEAD, ADVISOR)

STRATEGY_FIELDS = ("name", "presentation_date", "corporate_strategy", "who_we_are")
STEP_FIELDS = ("status", "owner", "due_date", "notes", "evidence")
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
METRIC_FIELDS = (
    "name",
    "kind",
    "unit",
    "baseline",
    "target",
    "current",
    "direction",
    "owner",
)


class StaleVersion(Exception):
    """The record changed since the caller read it."""


class AlreadySignedOff(Exception):
    """CEO buy-in was already given; a second sign-off would rewrite history."""


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleVersion(f"{obj} is at version {obj.version}")


def _bump(obj) -> None:
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> dict:
    """Set the allowed fields present in `data`; answer {field: [old, new]}."""
    changes = {}
    for name in allowed:
        if name not in data:
            continue
        # A default, because an unset foreign key raises an AttributeError.
        old, new = getattr(obj, name, None), data[name]
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


# --- the strategy -------------------------------------------------------------------


@transaction.atomic
def strategy_ensure() -> Strategy:
    """Make sure the single strategy, its five steps and the starter actions exist.

    Idempotent, and compatible with a strategy created elsewhere (the demo makes
    pk=1 with its steps): missing steps are added in `STEP_KEYS` order, existing
    ones are left alone. The starter actions are written once per strategy (the
    `starter_loaded` flag), so deleting them is permanent.
    """
    strategy = Strategy.objects.order_by("pk").first()
    if strategy is None:
        strategy = Strategy.objects.create()
        audit_record(actor=None, action="strategy.create", objects=strategy)
    have = set(strategy.steps.values_list("key", flat=True))
    missing = [
        StrategyStep(strategy=strategy, order=order, key=key)
        for order, (key, _label) in enumerate(STEP_KEYS, start=1)
        if key not in have
    ]
    if missing:
        StrategyStep.objects.bulk_create(missing)
    if not strategy.starter_loaded:
        competencies = {c.key: c for c in Competency.objects.all()}
        # Actions belong to competencies, not to the strategy row: skip titles
        # already there (a strategy re-created after a delete, say).
        existing = set(Action.objects.values_list("competency__key", "title"))
        Action.objects.bulk_create(
            Action(
                competency=competencies[key],
                kind=kind,
                title=title,
                description=description,
            )
            for key, kind, title, description in STARTER_ACTIONS
            if key in competencies and (key, title) not in existing
        )
        Strategy.objects.filter(pk=strategy.pk).update(starter_loaded=True)
        strategy.starter_loaded = True
    return strategy


@transaction.atomic
def strategy_update(
    *, strategy: Strategy, actor, data: dict, expected_version: int | None = None
) -> Strategy:
    """Change the name, presentation date or the corporate/identity notes."""
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    _check_version(strategy, expected_version)
    changes = _apply(strategy, data, STRATEGY_FIELDS)
    if changes:
        strategy.full_clean()
        strategy.save()
        _bump(strategy)
        audit_record(
            actor=actor, action="strategy.update", objects=strategy, changes=changes
        )
    return strategy


@transaction.atomic
def mission_add(*, strategy: Strategy, actor, text: str) -> MissionVersion:
    """Record a new version of the mission statement (older ones are kept)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "The mission statement cannot be empty."})
    mission = MissionVersion.objects.create(
        strategy=strategy, text=text, created_by=actor
    )
    audit_record(
        actor=actor,
        action="strategy.mission_add",
        objects=mission,
        changes={"text": text},
    )
    return mission


# --- the five steps -----------------------------------------------------------------


@transaction.atomic
def step_update(
    *, step: StrategyStep, actor, data: dict, expected_version: int | None = None
) -> StrategyStep:
    """Change a step's status, owner, due date, notes or evidence.

    "What customers want" pins the latest ranking snapshot when it is marked done
    (the ranking the team agreed on). CEO buy-in becomes done only through an
    executive's sign-off, and its status is frozen once signed.
    """
    step = StrategyStep.objects.select_for_update().get(pk=step.pk)
    _check_version(step, expected_version)
    new_status = data.get("status", step.status)
    if step.key == "ceo_buy_in" and new_status != step.status:
        if step.signed_off_at:
            raise ValidationError(
                {"status": "CEO buy-in was signed off; its status no longer changes."}
            )
        if new_status == StepStatus.DONE:
            raise ValidationError(
                {"status": "CEO buy-in is done only when an executive signs it off."}
            )
    changes = _apply(step, data, STEP_FIELDS)
    if (
        step.key == "what_customers_want"
        and "status" in changes
        and step.status == StepStatus.DONE
    ):
        latest = RankingSnapshot.objects.values_list("pk", flat=True).first()
        if latest != step.ranking_snapshot_id:
            changes["ranking_snapshot_id"] = [step.ranking_snapshot_id, latest]
            step.ranking_snapshot_id = latest
    if changes:
        step.full_clean()
        step.save()
        _bump(step)
        audit_record(
            actor=actor, action="strategy.step_update", objects=step, changes=changes
        )
    return step


@transaction.atomic
def step_sign_off(*, step: StrategyStep, actor, comment: str = "") -> StrategyStep:
    """An executive gives CEO buy-in; the approved picture is frozen with it.

    Raises PermissionDenied for anyone but an executive, ValidationError for any
    other step, AlreadySignedOff when it was already given.
    """
    if EXECUTIVE not in roles_of(actor):
        raise PermissionDenied("Only an executive can give CEO buy-in.")
    step = StrategyStep.objects.select_for_update().get(pk=step.pk)
    if step.key != "ceo_buy_in":
        raise ValidationError(
            {"step": "Only the CEO buy-in step is signed off by an executive."}
        )
    if step.signed_off_at:
        raise AlreadySignedOff(f"Signed off on {step.signed_off_at:%Y-%m-%d} already.")
    snapshot = selectors.buy_in_snapshot()
    if comment.strip():
        snapshot["comment"] = comment.strip()
    step.signed_off_by = actor
    step.signed_off_at = timezone.now()
    step.signoff_snapshot = snapshot
    step.status = StepStatus.DONE
    step.save()
    _bump(step)
    audit_record(
        actor=actor,
        action="strategy.ceo_sign_off",
        objects=step,
        changes={"signoff_snapshot": snapshot},
    )
    return step


# --- competencies -------------------------------------------------------------------


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


# --- actions ------------------------------------------------------------------------


def _created(*, actor, obj, data: dict, fields, name: str):
    """Validate, save and audit a new action or metric."""
    changes = _apply(obj, data, fields)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor, action=f"strategy.{name}_create", objects=obj, changes=changes
    )
    return obj


def _updated(*, obj, actor, data: dict, fields, name: str, expected_version):
    """Lock, check the version, apply, validate, save and audit an edit."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    _check_version(obj, expected_version)
    changes = _apply(obj, data, fields)
    if changes:
        obj.full_clean()
        obj.save()
        _bump(obj)
        audit_record(
            actor=actor, action=f"strategy.{name}_update", objects=obj, changes=changes
        )
    return obj


@transaction.atomic
def action_create(*, actor, data: dict) -> Action:
    """Add an action to a competency."""
    return _created(
        actor=actor, obj=Action(), data=data, fields=ACTION_FIELDS, name="action"
    )


@transaction.atomic
def action_update(
    *, action: Action, actor, data: dict, expected_version: int | None = None
) -> Action:
    """Change an action's fields (title, kind, owner, team, due date, status...)."""
    return _updated(
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


# --- success metrics ----------------------------------------------------------------


@transaction.atomic
def metric_create(*, actor, data: dict) -> SuccessMetric:
    """Define a success metric (NPS, CSAT, churn, cost to serve or custom)."""
    return _created(
        actor=actor, obj=SuccessMetric(), data=data, fields=METRIC_FIELDS, name="metric"
    )


@transaction.atomic
def metric_update(
    *, metric: SuccessMetric, actor, data: dict, expected_version: int | None = None
) -> SuccessMetric:
    """Change a metric's definition, baseline, target or current value."""
    return _updated(
        obj=metric,
        actor=actor,
        data=data,
        fields=METRIC_FIELDS,
        name="metric",
        expected_version=expected_version,
    )


@transaction.atomic
def metric_delete(*, metric: SuccessMetric, actor) -> None:
    """Remove a metric and its readings."""
    audit_record(
        actor=actor,
        action="strategy.metric_delete",
        objects=metric,
        changes={"name": metric.name},
    )
    metric.delete()


@transaction.atomic
def metric_reading_record(
    *, metric: SuccessMetric, actor, period: date, value: float
) -> MetricReading:
    """Record (or correct) the metric's value for a period; the newest period's
    value becomes the metric's `current`."""
    reading, created = MetricReading.objects.update_or_create(
        metric=metric, period=period, defaults={"value": value}
    )
    newest = metric.readings.order_by("-period").values_list("value", flat=True)[0]
    if metric.current != newest:
        SuccessMetric.objects.filter(pk=metric.pk).update(current=newest)
        metric.current = newest
    audit_record(
        actor=actor,
        action="strategy.metric_reading",
        objects=metric,
        changes={"period": period, "value": value, "created": created},
    )
    return reading
