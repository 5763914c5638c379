"""The feedback list page's read: filtered items with their themes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from feedback.models import FeedbackItem, ThemeAssignment
from feedback.selectors.counts import cached_per_version
from feedback.selectors.feedback import NO_THEME, feedback_filtered

__all__ = ["NO_THEME", "feedback_items", "feedback_segments"]


def feedback_items(
    *,
    theme: str | int | None = None,
    polarity: str = "",
    channel: str = "",
    segment: str = "",
    q: str = "",
    created_after=None,
    created_before=None,
    language: str = "",
    with_customer: bool = False,
) -> QuerySet[FeedbackItem]:
    """Items newest first, each with `theme_list` (active themes, most sure first).

    `theme` is a theme id or "none" (items no active theme covers). The customer
    is joined only when `with_customer` (callers allowed to see identity).
    Two queries per page whatever its length: the items and their assignments.
    """
    items = feedback_filtered(
        theme=theme,
        polarity=polarity,
        channel=channel,
        segment=segment,
        q=q,
        created_after=created_after,
        created_before=created_before,
        language=language,
    )
    if with_customer:
        items = items.select_related("customer")
    return items.prefetch_related(
        Prefetch(
            "assignments",
            queryset=ThemeAssignment.objects.filter(theme__is_active=True)
            .select_related("theme")
            .order_by("-confidence", "theme__name"),
            to_attr="theme_list",
        )
    )


def feedback_segments() -> list[str]:
    """Distinct non-empty segments, for the filter (cached per feedback version:
    a DISTINCT over 1M items costs ~130 ms)."""
    return cached_per_version(
        "segments",
        lambda: list(
            FeedbackItem.objects.exclude(segment="")
            .order_by("segment")
            .values_list("segment", flat=True)
            .distinct()
        ),
    )
