"""Theme assignment writes. Precedence: manual labels > keyword rules > the model."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from feedback.models import FeedbackItem, Theme, ThemeAssignment
from feedback.themes import rules as theme_rules

CHUNK = 5000
RULE_CONFIDENCE = 0.9


def active_rules() -> theme_rules.Rules | None:
    """Compiled keyword rules of the active themes (None when no theme has any)."""
    keywords = {
        pk: kws
        for pk, kws in Theme.objects.filter(is_active=True).values_list(
            "pk", "keywords"
        )
        if kws
    }
    return theme_rules.compile_rules(keywords) if keywords else None


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@transaction.atomic
def assignments_apply_rules(*, item_ids: Sequence[int] | None = None) -> int:
    """(Re)apply keyword rules to the given items (all items when None).

    Items with a manual label keep exactly their manual themes. Returns the number
    of rule assignments written.
    """
    rules = active_rules()
    if item_ids is None:
        item_ids = list(FeedbackItem.objects.values_list("pk", flat=True))
    item_ids = list(item_ids)
    written = 0
    for chunk in _chunks(item_ids):
        manual = set(
            ThemeAssignment.objects.filter(
                item_id__in=chunk, method=ThemeAssignment.Method.MANUAL
            ).values_list("item_id", flat=True)
        )
        free = [pk for pk in chunk if pk not in manual]
        ThemeAssignment.objects.filter(
            item_id__in=free, method=ThemeAssignment.Method.RULE
        ).delete()
        if rules is None or not free:
            continue
        texts = dict(FeedbackItem.objects.filter(pk__in=free).values_list("pk", "text"))
        order = list(texts)
        matches = theme_rules.match_many(rules, [texts[pk] for pk in order])
        new = [
            ThemeAssignment(
                item_id=pk,
                theme_id=theme_id,
                method=ThemeAssignment.Method.RULE,
                confidence=RULE_CONFIDENCE,
            )
            for pk, theme_ids in zip(order, matches, strict=True)
            for theme_id in theme_ids
        ]
        # A rule outranks a model guess on the same (item, theme).
        ThemeAssignment.objects.bulk_create(
            new,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["item", "theme"],
            update_fields=["method", "confidence"],
        )
        written += len(new)
    return written
