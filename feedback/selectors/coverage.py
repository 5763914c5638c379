"""Every item accounted for: how many feedback items a window holds, how many
carry a theme (and by which method) and how many carry none.

An item counts once, under the strongest method it has: a manual label, else a
keyword rule, else the applied model; `themed` + `unthemed` = `in_window` and
the three methods add up to `themed`. Only active themes count.
`other_language` counts the window's items detected in another language than
the theme model's: the rules and the model leave them out by design, so they
are unthemed unless labelled by hand.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from feedback.models import FeedbackItem, ThemeAssignment
from feedback.services.languages import other_language_q

M = ThemeAssignment.Method

# An item's strongest method among its active themes: 1 label, 2 rule, 3 model.
STRENGTH = Case(
    When(method=M.MANUAL, then=Value(1)),
    When(method=M.RULE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def coverage_count(
    *,
    start: datetime | None,
    end: datetime | None,
    items=None,
    by_method: dict[str, int] | None = None,
) -> dict:
    """Coverage of the items created in [start, end) (all items without bounds).

    `items` narrows the population (a queryset of FeedbackItem, e.g. a segment);
    `items` and `outside_window` are counted over that population. `by_method`
    ({"label", "rule", "model"}: the window's items by strongest method), when
    the caller already counted it, spares the GROUP BY below.

    The methods come from one GROUP BY of the window's active assignments by
    item (the strongest method of each), not from three EXISTS per item: at
    1M items a 90-day segment's ~130,000 items took 3.4 s that way, 1.0 s this
    way, on a loaded 2-core machine.
    """
    population = items if items is not None else FeedbackItem.objects.all()
    window = population
    if start is not None:
        window = window.filter(created__gte=start)
    if end is not None:
        window = window.filter(created__lt=end)
    sizes = window.aggregate(
        n=Count("pk"), other=Count("pk", filter=other_language_q())
    )
    in_window = sizes["n"]
    counts = by_method
    if counts is None:
        counts = _by_method(window)
    total = population.count() if (start or end) else in_window
    themed = counts["label"] + counts["rule"] + counts["model"]
    return {
        "items": total,
        "in_window": in_window,
        "outside_window": total - in_window,
        "themed": themed,
        "unthemed": in_window - themed,
        "other_language": sizes["other"],
        "by_method": {
            "label": counts["label"],
            "rule": counts["rule"],
            "model": counts["model"],
        },
    }


def _by_method(window) -> dict[str, int]:
    """The window's items by the strongest method among their active themes."""
    return (
        ThemeAssignment.objects.filter(
            theme__is_active=True, item__in=window.values("pk")
        )
        .values("item_id")
        .annotate(strength=Min(STRENGTH))
        .aggregate(
            label=Count("item_id", filter=Q(strength=1)),
            rule=Count("item_id", filter=Q(strength=2)),
            model=Count("item_id", filter=Q(strength=3)),
        )
    )


def batch_other_language(*, batch_id: int) -> int:
    """How many of an import's items are in another language than the theme
    model's (they get no rule or model theme)."""
    return (
        FeedbackItem.objects.filter(batch_id=batch_id)
        .filter(other_language_q())
        .count()
    )


def with_other_language(batches):
    """`batches` (ImportBatch rows) annotated with `other_language_n`, the
    count of `batch_other_language`, in the same query (no query per row)."""
    counted = (
        FeedbackItem.objects.filter(batch_id=OuterRef("pk"))
        .filter(other_language_q())
        .order_by()
        .values("batch_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return batches.annotate(
        other_language_n=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )
