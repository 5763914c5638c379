"""Reads of feedback items, customers and import batches for the API and pages.

Lists cost a fixed number of queries however many rows they show: the items,
then one prefetch of their theme assignments (themes joined in).
"""

from datetime import UTC, date, datetime, time

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from feedback.models import Customer, FeedbackItem, ImportBatch, ThemeAssignment
from feedback.services.languages import other_language_q

ITEM_FIELDS = (
    "id",
    "external_id",
    "source",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "segment",
    "sentiment",
    "polarity",
    "language",
)


def _aware(value: date | datetime, *, end: bool = False) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end else time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def assignments_prefetch() -> Prefetch:
    """Each item's theme assignments, most confident first, theme names joined."""
    return Prefetch(
        "assignments",
        queryset=ThemeAssignment.objects.select_related("theme")
        .only("id", "item_id", "confidence", "method", "theme__id", "theme__name")
        .order_by("-confidence", "theme__name"),
        to_attr="ordered_assignments",
    )


NO_THEME = "none"
OTHER_LANGUAGE = "other"


def feedback_filtered(
    *,
    theme: int | str | None = None,
    polarity: str | None = None,
    channel: str | None = None,
    segment: str | None = None,
    source: str | None = None,
    q: str = "",
    created_after: date | datetime | None = None,
    created_before: date | datetime | None = None,
    language: str | None = None,
) -> QuerySet[FeedbackItem]:
    """Items, newest first, filtered (no prefetch): the API list and the page.

    `theme` is a theme id, or "none" for items no active theme covers; `q`
    searches the text (case-insensitive); `created_after` and `created_before`
    are inclusive (a date covers its day). `language` is an ISO 639-1 code,
    or "other" for items in a language the theme model does not read.
    """
    items = FeedbackItem.objects.all()
    if theme == NO_THEME:
        covered = ThemeAssignment.objects.filter(theme__is_active=True)
        items = items.exclude(Exists(covered.filter(item=OuterRef("pk"))))
    elif theme not in (None, ""):
        items = items.filter(
            Exists(ThemeAssignment.objects.filter(item=OuterRef("pk"), theme_id=theme))
        )
    if polarity:
        items = items.filter(polarity=polarity)
    if channel:
        items = items.filter(channel=channel)
    if segment:
        items = items.filter(segment__iexact=segment)
    if source:
        items = items.filter(source=source)
    if language == OTHER_LANGUAGE:
        items = items.filter(other_language_q())
    elif language:
        items = items.filter(language=language)
    if q:
        items = items.filter(text__icontains=q)
    if created_after:
        items = items.filter(created__gte=_aware(created_after))
    if created_before:
        items = items.filter(created__lte=_aware(created_before, end=True))
    return items.order_by("-created", "-id")


def feedback_list(**filters) -> QuerySet[FeedbackItem]:
    """`feedback_filtered` for the API: each item carries `ordered_assignments`."""
    return (
        feedback_filtered(**filters)
        .only(*ITEM_FIELDS)
        .prefetch_related(assignments_prefetch())
    )


def theme_names(item: FeedbackItem) -> list[str]:
    """Theme names of an item from `feedback_list`, most confident first."""
    return [a.theme.name for a in getattr(item, "ordered_assignments", [])]


def feedback_export_rows(**filters) -> list[dict]:
    """Items as dicts with their fields, customer id and theme names (ordered)."""
    rows = []
    items = (
        feedback_list(**filters)
        .select_related("customer")
        .only(*ITEM_FIELDS, "extra", "customer__external_id")
    )
    for item in items.iterator(chunk_size=2000):
        rows.append(
            {
                **{name: getattr(item, name) for name in ITEM_FIELDS},
                "customer_id": item.customer.external_id if item.customer else "",
                "extra": item.extra,
                "themes": theme_names(item),
            }
        )
    return rows


def customers_list(
    *, segment: str | None = None, q: str = "", external_id: str | None = None
) -> QuerySet[Customer]:
    """Customers with `feedback_count`, by name."""
    customers = Customer.objects.annotate(feedback_count=Count("feedback"))
    if external_id is not None:
        customers = customers.filter(external_id=external_id)
    if segment:
        customers = customers.filter(segment__iexact=segment)
    if q:
        customers = customers.filter(Q(name__icontains=q) | Q(external_id__icontains=q))
    return customers.order_by("name", "external_id")


def import_batches_recent(*, limit: int = 50) -> QuerySet[ImportBatch]:
    # A batch keeps up to 100,000 errors; the list counts them by the summary.
    return (
        ImportBatch.objects.select_related("created_by")
        .defer("errors")
        .order_by("-created_at", "-id")[:limit]
    )


def feedback_sources(*, top: int = 10) -> list[dict]:
    """The sources feedback came from with their item counts, largest first."""
    rows = (
        FeedbackItem.objects.values("source")
        .annotate(items=Count("id"))
        .order_by("-items", "source")[:top]
    )
    return [{"source": r["source"], "items": r["items"]} for r in rows]
