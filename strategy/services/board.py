"""Writes on the strategy itself: the single strategy row with its five steps
and starter actions, its mission versions, step changes and the CEO sign-off."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cxplan.core.audit import audit_record
from cxplan.core.roles import EXECUTIVE, roles_of
from feedback.models import RankingSnapshot
from strategy import selectors
from strategy.models import (
    STEP_KEYS,
    Action,
    Competency,
    MissionVersion,
    StepStatus,
    Strategy,
    StrategyStep,
)
from strategy.services.edits import (
    AlreadySignedOff,
    apply_fields,
    bump_version,
    check_version,
)
from strategy.starter import STARTER_ACTIONS

STRATEGY_FIELDS = ("name", "presentation_date", "corporate_strategy", "who_we_are")
STEP_FIELDS = ("status", "owner", "due_date", "notes", "evidence")


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
    check_version(strategy, expected_version)
    changes = apply_fields(strategy, data, STRATEGY_FIELDS)
    if changes:
        strategy.full_clean()
        strategy.save()
        bump_version(strategy)
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
    check_version(step, expected_version)
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
    changes = apply_fields(step, data, STEP_FIELDS)
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
        bump_version(step)
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
    bump_version(step)
    audit_record(
        actor=actor,
        action="strategy.ceo_sign_off",
        objects=step,
        changes={"signoff_snapshot": snapshot},
    )
    return step
