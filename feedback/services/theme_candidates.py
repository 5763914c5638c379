"""Candidate theme models: measured, compared with the applied one, accepted or
discarded; never applied silently.

A training run stores a candidate (`theme_model.theme_model_train`). This module
works out what it would change (`candidate_diff`: items that would gain or lose
each theme; `ranking_whatif`: the top three after), whether it may be accepted
(`acceptance`) and what accepting does: the candidate becomes the applied model
and its predictions replace the `model` assignments of every unlabelled item.
Automatic acceptance (settings.CXPLAN_THEME_AUTO_ACCEPT) needs every active theme
to have CXPLAN_THEME_AUTO_ACCEPT_MIN_LABELS labels and a candidate that measures
at least as well as the applied model; otherwise the candidate waits, and
`acceptance` says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cxplan.core.audit import audit_record
from feedback.models import Theme, ThemeAssignment, ThemeModelVersion
from feedback.services.ranking_state import ranking_mark_dirty
from feedback.services.ranking_whatif import top_three_now_and_after
from feedback.services.themes import item_texts, model_assignments_replace
from feedback.themes import model as theme_model

M = ThemeAssignment.Method
State = ThemeModelVersion.State
PREDICT_CHUNK = 50_000


def auto_accept_on() -> bool:
    return bool(getattr(settings, "CXPLAN_THEME_AUTO_ACCEPT", True))


def auto_accept_min_labels() -> int:
    return int(getattr(settings, "CXPLAN_THEME_AUTO_ACCEPT_MIN_LABELS", 5))


def theme_model_applied() -> ThemeModelVersion | None:
    """The model whose predictions are the `model` assignments in use."""
    return ThemeModelVersion.objects.defer("blob").filter(state=State.APPLIED).first()


def theme_model_candidate() -> ThemeModelVersion | None:
    """The newest candidate waiting for a decision (ready or failed)."""
    return (
        ThemeModelVersion.objects.defer("blob")
        .filter(state=State.CANDIDATE)
        .exclude(status=ThemeModelVersion.Status.TRAINING)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class Prediction:
    """A model's assignments for one chunk of unlabelled items."""

    item_ids: list[int]
    triples: list[tuple[int, int, float]]


def predictions(model, item_ids: list[int]) -> Iterator[Prediction]:
    """The model's (item, theme, confidence) for `item_ids`, chunk by chunk,
    active themes only."""
    active = set(Theme.objects.filter(is_active=True).values_list("pk", flat=True))
    for start in range(0, len(item_ids), PREDICT_CHUNK):
        chunk = item_ids[start : start + PREDICT_CHUNK]
        texts = item_texts(chunk)
        order = [pk for pk in chunk if pk in texts]
        predicted = theme_model.predict(model, [texts[pk] for pk in order])
        yield Prediction(
            item_ids=chunk,
            triples=[
                (pk, theme_id, min(max(float(confidence), 0.0), 1.0))
                for pk, themes in zip(order, predicted, strict=True)
                for theme_id, confidence in themes
                if theme_id in active
            ],
        )


def predictions_store(chunks) -> int:
    """Replace the model assignments chunk by chunk; the triples written."""
    return sum(
        model_assignments_replace(item_ids=c.item_ids, predicted=c.triples)
        for c in chunks
    )


def candidate_diff(chunks: list[Prediction]) -> tuple[dict, list[tuple[int, int, int]]]:
    """What storing `chunks` would change against today's assignments.

    Returns ({"items_changed", "themes": [{"theme", "gain", "lose"}]}, the
    changes as (item, theme, +1 | -1)). A rule on the same (item, theme) wins
    over the model either way, so such pairs change nothing.
    """
    gain: dict[int, int] = {}
    lose: dict[int, int] = {}
    changed: set[int] = set()
    delta: list[tuple[int, int, int]] = []
    for chunk in chunks:
        current = ThemeAssignment.objects.filter(
            item_id__in=chunk.item_ids, method__in=[M.RULE, M.MODEL]
        ).values_list("item_id", "theme_id", "method")
        ruled, modelled = set(), set()
        for item_id, theme_id, method in current.iterator(chunk_size=5000):
            (ruled if method == M.RULE else modelled).add((item_id, theme_id))
        proposed = {(i, t) for i, t, _ in chunk.triples} - ruled
        changes = ((proposed - modelled, 1, gain), (modelled - proposed, -1, lose))
        for pairs, sign, tally in changes:
            for item_id, theme_id in pairs:
                tally[theme_id] = tally.get(theme_id, 0) + 1
                changed.add(item_id)
                delta.append((item_id, theme_id, sign))
    themes = sorted(set(gain) | set(lose))
    return {
        "items_changed": len(changed),
        "themes": [
            {"theme": t, "gain": gain.get(t, 0), "lose": lose.get(t, 0)} for t in themes
        ],
    }, delta


def candidate_evaluate(row: ThemeModelVersion, chunks: list[Prediction]) -> None:
    """Store the candidate's diff and the top three before and after on `row`."""
    diff, delta = candidate_diff(chunks)
    before, after = top_three_now_and_after(delta)
    row.diff = diff
    row.top_three_before = before
    row.top_three_after = after
    row.save(update_fields=["diff", "top_three_before", "top_three_after"])


@dataclass(frozen=True)
class Acceptance:
    can_accept: bool  # a CX lead may accept it
    automatic: bool  # the rules accept it without anyone
    reason: str  # why it cannot be accepted, or why it waits ("" when automatic)


def _label_shortfall(row: ThemeModelVersion) -> list[str]:
    counts = {int(k): int(v) for k, v in (row.label_counts or {}).items()}
    need = auto_accept_min_labels()
    short = []
    for pk, name in Theme.objects.filter(is_active=True).values_list("pk", "name"):
        if counts.get(pk, 0) < need:
            short.append(f"{name} has {counts.get(pk, 0)}")
    return short


def acceptance(
    row: ThemeModelVersion, applied: ThemeModelVersion | None = None
) -> Acceptance:
    """May `row` be accepted, by a CX lead or automatically, and if not, why."""
    if row.status != ThemeModelVersion.Status.READY:
        reason = row.error or "training has not finished"
        return Acceptance(False, False, f"Cannot be accepted: {reason}")
    if row.state != State.CANDIDATE:
        return Acceptance(False, False, f"Version {row.version} is {row.state}.")
    if row.cv_macro_f1 is None:
        return Acceptance(
            False,
            False,
            "Cannot be accepted: too few labels to measure it by cross-validation"
            " (label at least 4 items across two themes).",
        )
    waits = []
    if not auto_accept_on():
        waits.append("automatic acceptance is off")
    short = _label_shortfall(row)
    if short:
        waits.append(
            f"automatic acceptance needs {auto_accept_min_labels()} labels for every"
            f" active theme: {', '.join(short[:8])}"
            + (f" and {len(short) - 8} more" if len(short) > 8 else "")
        )
    applied = applied if applied is not None else theme_model_applied()
    worse = (
        applied is not None
        and applied.cv_macro_f1 is not None
        and row.cv_macro_f1 < applied.cv_macro_f1
    )
    if worse:
        waits.append(
            f"it measures worse than the applied model v{applied.version}"
            f" (macro-F1 {row.cv_macro_f1:.2f} against {applied.cv_macro_f1:.2f})"
        )
    if waits:
        return Acceptance(True, False, "Waits for a CX lead: " + "; ".join(waits) + ".")
    return Acceptance(True, True, "")


def _make_applied(row: ThemeModelVersion, *, user, note: str) -> None:
    now = timezone.now()
    ThemeModelVersion.objects.filter(state=State.APPLIED).update(state=State.RETIRED)
    row.state = State.APPLIED
    row.decided_at = now
    row.decided_by = user
    row.decision_note = note[:300]
    row.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])


def candidate_accept(*, version: int, user=None) -> ThemeModelVersion:
    """A CX lead accepts candidate `version`: it becomes the applied model and a
    task replaces the model assignments with its predictions.

    Raises ValidationError (with the reason) when it cannot be accepted.
    """
    from cxplan.core.queue import send_on_commit
    from feedback.tasks import apply_theme_model

    with transaction.atomic():
        row = (
            ThemeModelVersion.objects.select_for_update()
            .defer("blob")
            .filter(version=version)
            .first()
        )
        if row is None:
            raise ValidationError({"version": f"No theme model version {version}."})
        verdict = acceptance(row)
        if not verdict.can_accept:
            raise ValidationError({"version": verdict.reason})
        _make_applied(row, user=user, note="accepted by a CX lead")
        audit_record(
            actor=user,
            action="theme_model.accept",
            objects=row,
            changes={"version": row.version, "macro_f1": row.cv_macro_f1},
        )
        send_on_commit(apply_theme_model, row.version)
    return row


def candidate_accept_automatically(row: ThemeModelVersion, chunks) -> int:
    """Apply `row` now with its `chunks` of predictions; the triples written."""
    with transaction.atomic():
        _make_applied(row, user=None, note="accepted automatically")
        written = predictions_store(chunks)
        ranking_mark_dirty()
    return written


def candidate_discard(*, version: int, user=None) -> ThemeModelVersion:
    """A CX lead discards candidate `version`; nothing it predicted is used."""
    with transaction.atomic():
        row = (
            ThemeModelVersion.objects.select_for_update()
            .defer("blob")
            .filter(version=version)
            .first()
        )
        if row is None:
            raise ValidationError({"version": f"No theme model version {version}."})
        if row.state != State.CANDIDATE:
            raise ValidationError(
                {"version": f"Version {row.version} is {row.state}, not a candidate."}
            )
        row.state = State.DISCARDED
        row.decided_at = timezone.now()
        row.decided_by = user
        row.decision_note = "discarded by a CX lead"
        row.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=user,
            action="theme_model.discard",
            objects=row,
            changes={"version": row.version},
        )
    return row
