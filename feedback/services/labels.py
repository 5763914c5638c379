"""Manual theme labels: a CX lead says which themes an item is about.

A manual label always wins: an item with manual labels carries exactly its manual
themes (its rule and model assignments are removed). Clearing an item's manual
labels hands it back to the keyword rules (and to the model at its next run).
Every change marks the ranking dirty and schedules a (debounced) retrain.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from feedback.models import FeedbackItem, Theme, ThemeAssignment
from feedback.services.ranking_state import ranking_mark_dirty
from feedback.services.theme_model import theme_training_schedule
from feedback.services.themes import assignments_apply_rules

M = ThemeAssignment.Method
MAX_ITEMS = 1000
MODES = ("replace", "add")


def _active_themes(theme_ids: Sequence[int]) -> list[int]:
    wanted = {int(pk) for pk in theme_ids}
    found = set(
        Theme.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
    )
    missing = sorted(wanted - found)
    if missing:
        listed = ", ".join(str(pk) for pk in missing)
        raise ValidationError({"themes": f"No such active theme: {listed}."})
    return sorted(found)


def _existing_items(item_ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(pk) for pk in item_ids))
    if not wanted:
        raise ValidationError({"items": "Choose at least one feedback item."})
    if len(wanted) > MAX_ITEMS:
        raise ValidationError({"items": f"Label at most {MAX_ITEMS} items at once."})
    found = set(FeedbackItem.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        listed = ", ".join(str(pk) for pk in missing[:10])
        raise ValidationError({"items": f"No such feedback item: {listed}."})
    return wanted


@transaction.atomic
def labels_set(
    *, item_ids: Sequence[int], theme_ids: Sequence[int], user, mode: str = "replace"
) -> dict:
    """Label items with themes by hand.

    `mode="replace"` makes `theme_ids` the items' whole manual label set (an
    empty list clears it and hands the items back to the rules); `mode="add"`
    adds the themes to the manual labels each item already has. Raises
    ValidationError for unknown items, unknown or archived themes, more than
    MAX_ITEMS items, or "add" with no theme. Returns {"items", "themes"
    (per item id: its manual theme ids after the change)}. The ranking is
    marked dirty and a retrain scheduled only when something changed.
    """
    if mode not in MODES:
        raise ValidationError({"mode": f"Use one of: {', '.join(MODES)}."})
    items = _existing_items(item_ids)
    themes = _active_themes(theme_ids)
    if mode == "add" and not themes:
        raise ValidationError({"themes": "Choose at least one theme to add."})
    current: dict[int, set[int]] = {pk: set() for pk in items}
    for item_id, theme_id in ThemeAssignment.objects.filter(
        item_id__in=items, method=M.MANUAL
    ).values_list("item_id", "theme_id"):
        current[item_id].add(theme_id)
    wanted = {
        pk: (set(themes) if mode == "replace" else current[pk] | set(themes))
        for pk in items
    }
    # Manual wins: an item being labelled loses its rule and model guesses.
    labelled = [pk for pk in items if wanted[pk]]
    guesses, _ = (
        ThemeAssignment.objects.filter(item_id__in=labelled)
        .exclude(method=M.MANUAL)
        .delete()
    )
    changed = False
    for pk in items:
        dropped = current[pk] - wanted[pk]
        if dropped:
            changed = True
            ThemeAssignment.objects.filter(
                item_id=pk, theme_id__in=dropped, method=M.MANUAL
            ).delete()
    new = [
        ThemeAssignment(
            item_id=pk,
            theme_id=theme_id,
            method=M.MANUAL,
            confidence=1.0,
            assigned_by=user,
        )
        for pk in items
        for theme_id in sorted(wanted[pk] - current[pk])
    ]
    ThemeAssignment.objects.bulk_create(new)
    cleared = [pk for pk in items if not wanted[pk] and current[pk]]
    if cleared:
        assignments_apply_rules(item_ids=cleared)
    if changed or new or guesses:
        ranking_mark_dirty()
    if changed or new:
        theme_training_schedule()
    return {"items": items, "themes": {pk: sorted(wanted[pk]) for pk in items}}
