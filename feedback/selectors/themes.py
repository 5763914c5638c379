"""Reads of themes: lists with counts, the model's quality, the labelling queue
and discovery suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from feedback.models import FeedbackItem, Theme, ThemeAssignment, ThemeModelVersion
from feedback.models import ThemeSuggestion as Suggestion
from feedback.services.theme_candidates import (
    theme_model_applied,
    theme_model_candidate,
)
from feedback.services.theme_model import (
    queue_cache_key,
    queue_order_build,
    theme_model_latest,
    theme_model_load,
)

M = ThemeAssignment.Method
TARGET_LABELS = 20


def themes_list(*, include_archived: bool = False) -> QuerySet[Theme]:
    """Themes with `feedback_count` and `manual_count`, in one query, by name."""
    themes = Theme.objects.annotate(
        feedback_count=Count("assignments", distinct=True),
        manual_count=Count(
            "assignments", filter=Q(assignments__method=M.MANUAL), distinct=True
        ),
    ).order_by("name")
    if not include_archived:
        themes = themes.filter(is_active=True)
    return themes


def theme_get(*, pk: int) -> Theme:
    """One theme with its counts; raises Theme.DoesNotExist."""
    return themes_list(include_archived=True).select_related("merged_into").get(pk=pk)


def active_themes() -> list[Theme]:
    """Active themes by name (for pickers)."""
    return list(
        Theme.objects.filter(is_active=True).only("pk", "name").order_by("name")
    )


def theme_examples(*, theme: Theme, limit: int = 5) -> list[ThemeAssignment]:
    """The theme's most certain assignments, with their items' text."""
    return list(
        ThemeAssignment.objects.filter(theme=theme)
        .select_related("item")
        .order_by("-confidence", "-item__created", "-pk")[:limit]
    )


@dataclass
class LabelCount:
    theme_id: int
    theme: str
    count: int


@dataclass
class ModelQuality:
    """What a reader needs to judge the learned model."""

    status: str  # untrained, training, ready, failed
    version: int | None
    trained_at: object
    cv_macro_f1: float | None
    labels: list[LabelCount]
    labelled_items: int
    error: str
    latest_failed: str
    state: str = ""  # applied, candidate (none applied yet), ...
    candidate: int | None = None  # a candidate waiting for a decision


def theme_model_quality() -> ModelQuality:
    """The applied model's figures (the newest candidate's while none is
    applied), the current manual label count and the candidate waiting.

    `latest_failed` carries the reason when a newer training run failed.
    """
    newest = theme_model_latest(ready_only=False)
    waiting = theme_model_candidate()
    ready = theme_model_applied() or waiting
    labelled = (
        ThemeAssignment.objects.filter(method=M.MANUAL)
        .values("item_id")
        .distinct()
        .count()
    )
    failed = ""
    if (
        newest
        and newest.status == ThemeModelVersion.Status.FAILED
        and (ready is None or newest.version > ready.version)
    ):
        failed = newest.error
    shown = ready or newest
    if shown is None:
        return ModelQuality("untrained", None, None, None, [], labelled, "", "")
    counts = {int(k): v for k, v in (shown.label_counts or {}).items()}
    names = dict(Theme.objects.filter(pk__in=counts).values_list("pk", "name"))
    labels = [
        LabelCount(pk, names.get(pk, f"#{pk}"), n)
        for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return ModelQuality(
        status=shown.status,
        version=shown.version,
        trained_at=shown.trained_at,
        cv_macro_f1=shown.cv_macro_f1,
        labels=labels,
        labelled_items=labelled,
        error=shown.error if shown.status == "failed" else "",
        latest_failed=failed,
        state=shown.state,
        candidate=waiting.version if waiting and waiting.status == "ready" else None,
    )


def _manual_item_ids() -> QuerySet:
    return ThemeAssignment.objects.filter(method=M.MANUAL).values("item_id")


def _queue_order(version: ThemeModelVersion | None) -> list[tuple[float, int]]:
    """(uncertainty, item id) of unlabelled items, least sure first."""
    if version is None:
        return []
    order = cache.get(queue_cache_key(version.version))
    if order is None:  # evicted, or another cache: score again once
        order = queue_order_build(
            model=theme_model_load(version=version), version=version.version
        )
    return order


def _with_themes(items: QuerySet) -> QuerySet:
    return items.prefetch_related(
        Prefetch(
            "assignments",
            queryset=ThemeAssignment.objects.filter(theme__is_active=True)
            .select_related("theme")
            .order_by("-confidence", "theme__name"),
            to_attr="theme_list",
        )
    )


def feedback_item_themes(*, pk: int) -> FeedbackItem:
    """One item with `theme_list` (its active-theme assignments, most sure first)."""
    return _with_themes(FeedbackItem.objects.filter(pk=pk)).get()


def labelling_queue(*, limit: int = 10, skip: set[int] | None = None) -> list:
    """Unlabelled items the model is least sure about, first; `limit` of them.

    Each item carries `uncertainty` (None without a model: then the newest
    unlabelled items with no theme at all come first, then the newest others)
    and `theme_list` (current assignments).
    """
    skip = skip or set()
    order = _queue_order(theme_model_latest())
    if order:
        wanted = [(u, pk) for u, pk in order if pk not in skip]
        picked: list[tuple[float, int]] = []
        # Items labelled since the order was computed drop out; look further
        # down the order window by window (usually one query).
        window = limit * 5
        for start in range(0, len(wanted), window):
            chunk = wanted[start : start + window]
            labelled = set(
                ThemeAssignment.objects.filter(
                    method=M.MANUAL, item_id__in=[pk for _, pk in chunk]
                ).values_list("item_id", flat=True)
            )
            picked += [(u, pk) for u, pk in chunk if pk not in labelled]
            if len(picked) >= limit:
                break
        picked = picked[:limit]
        if picked:
            items = {
                i.pk: i
                for i in _with_themes(
                    FeedbackItem.objects.filter(pk__in=[pk for _, pk in picked])
                )
            }
            out = []
            for u, pk in picked:
                if pk in items:
                    items[pk].uncertainty = u
                    out.append(items[pk])
            return out
    covered = ThemeAssignment.objects.filter(
        item_id=OuterRef("pk"), theme__is_active=True
    )
    items = list(
        _with_themes(
            FeedbackItem.objects.exclude(pk__in=_manual_item_ids())
            .exclude(pk__in=skip)
            .annotate(covered=Exists(covered))
            .order_by("covered", "-created", "-pk")
        )[:limit]
    )
    for item in items:
        item.uncertainty = None
    return items


def label_progress() -> list[LabelCount]:
    """Manual labels per active theme (towards TARGET_LABELS each), by name."""
    return [
        LabelCount(t.pk, t.name, t.n)
        for t in Theme.objects.filter(is_active=True)
        .annotate(n=Count("assignments", filter=Q(assignments__method=M.MANUAL)))
        .order_by("name")
    ]


@dataclass
class SuggestionView:
    suggestion: Suggestion
    examples: list[FeedbackItem]


def suggestions_open() -> list[SuggestionView]:
    """Open discovery suggestions, largest first, with their examples (2 queries)."""
    suggestions = list(
        Suggestion.objects.filter(status=Suggestion.Status.OPEN).order_by("-size", "pk")
    )
    ids = {pk for s in suggestions for pk in s.example_ids}
    items = FeedbackItem.objects.in_bulk(ids) if ids else {}
    return [
        SuggestionView(s, [items[pk] for pk in s.example_ids if pk in items])
        for s in suggestions
    ]
