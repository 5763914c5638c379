"""Every item accounted for: how many feedback items a window holds, how many
carry a theme (and by which method) and how many carry none.

An item counts once, under the strongest method it has: a manual label, else a
keyword rule, else the applied model; `themed` + `unthemed` = `in_window` and
the three methods add up to `themed`. Only active themes count.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q

from feedback.models import FeedbackItem, ThemeAssignment

M = ThemeAssignment.Method


def _has(method: str):
    return Exists(
        ThemeAssignment.objects.filter(
            item=OuterRef("pk"), method=method, theme__is_active=True
        )
    )


def coverage_count(
    *, start: datetime | None, end: datetime | None, items=None
) -> dict:
    """Coverage of the items created in [start, end) (all items without bounds).

    `items` narrows the population (a queryset of FeedbackItem, e.g. a segment);
    `items` and `outside_window` are counted over that population.
    """
    population = items if items is not None else FeedbackItem.objects.all()
    window = population
    if start is not None:
        window = window.filter(created__gte=start)
    if end is not None:
        window = window.filter(created__lt=end)
    counts = window.annotate(
        has_label=_has(M.MANUAL), has_rule=_has(M.RULE), has_model=_has(M.MODEL)
    ).aggregate(
        in_window=Count("pk"),
        label=Count("pk", filter=Q(has_label=True)),
        rule=Count("pk", filter=Q(has_label=False, has_rule=True)),
        model=Count("pk", filter=Q(has_label=False, has_rule=False, has_model=True)),
    )
    total = population.count() if (start or end) else counts["in_window"]
    themed = counts["label"] + counts["rule"] + counts["model"]
    return {
        "items": total,
        "in_window": counts["in_window"],
        "outside_window": total - counts["in_window"],
        "themed": themed,
        "unthemed": counts["in_window"] - themed,
        "by_method": {
            "label": counts["label"],
            "rule": counts["rule"],
            "model": counts["model"],
        },
    }
