"""Reads of ideas, their comments, and theme suggestions while an advisor types.

Every member sees every idea. Ideas merged into another are left out of lists
unless asked for (they live on through their target), but stay reachable by id.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from feedback.models import Idea, IdeaComment, Theme, ThemeAssignment, Vote
from feedback.selectors.idea_value import ORDERINGS, ideas_value_annotate
from feedback.themes import rules as theme_rules

SORTS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-vote_count", "-created_at", "-id"),
}
SUGGEST_MIN_CHARS = 3
SUGGEST_LIMIT = 5


# Apps above feedback own links to ideas (initiatives: `Initiative.ideas`, related
# name "initiatives") and register from their AppConfig.ready() how to prefetch
# them for the idea pages and the API, so feedback never imports them.
_link_prefetches: dict[str, Callable[[], Prefetch]] = {}


def ideas_prefetch_register(name: str, prefetch: Callable[[], Prefetch]) -> None:
    """Add (or replace) `name`: a function answering a Prefetch of a relation an
    app above feedback owns, loaded with every idea the selectors answer."""
    _link_prefetches[name] = prefetch


def ideas_annotated(*, user) -> QuerySet[Idea]:
    """All ideas with author, themes, registered links (initiatives), comment
    count, `voted`, and the customers behind each (`customer_count`,
    `customer_revenue`: feedback.selectors.idea_value).

    A fixed number of queries however many ideas: one for the rows (counts and
    the viewer's vote are annotations) and one per prefetched relation.
    """
    return ideas_value_annotate(
        Idea.objects.select_related("author")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "name")),
            *(prefetch() for prefetch in _link_prefetches.values()),
        )
        .annotate(
            comment_count=Count("comments", distinct=True),
            voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), user_id=user.pk)),
        )
    )


def ideas_list(
    *,
    user,
    theme: int | None = None,
    status: str | None = None,
    sort: str = "newest",
    author=None,
    q: str = "",
    include_merged: bool = False,
    ordering: str | None = None,
) -> QuerySet[Idea]:
    """Ideas filtered by theme id, status, author and text; sorted by `sort`.

    `sort` is "newest" (default) or "votes" (most voted first, newest breaks ties).
    `ordering`, when given, wins: one of idea_value.ORDERINGS (votes,
    customer_revenue, created; a leading "-" for descending). Who may order by
    revenue is the caller's check (idea_value.REVENUE_ORDERINGS).
    """
    qs = ideas_annotated(user=user)
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    if theme:
        qs = qs.filter(themes__id=theme)
    if status:
        qs = qs.filter(status=status)
    if author is not None:
        qs = qs.filter(author=author)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if ordering in ORDERINGS:
        return qs.order_by(*ORDERINGS[ordering])
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def idea_get(*, user, pk: int) -> Idea:
    """One idea with the list annotations; raises Idea.DoesNotExist."""
    return ideas_annotated(user=user).get(pk=pk)


def idea_comments(*, idea: Idea) -> QuerySet[IdeaComment]:
    """The idea's comments, oldest first, with their authors."""
    return idea.comments.select_related("author").order_by("created_at", "id")


def idea_merged_from(*, idea: Idea) -> QuerySet[Idea]:
    """Ideas merged into `idea` (duplicates it absorbed)."""
    return Idea.objects.filter(merged_into=idea).only("id", "title").order_by("id")


def theme_options() -> QuerySet[Theme]:
    """Active themes for filters and triage, by name."""
    return Theme.objects.filter(is_active=True).only("id", "name").order_by("name")


@dataclass(frozen=True)
class ThemeSuggestion:
    id: int
    name: str
    customers: int


def _matching_theme_ids(text: str, themes: list[tuple[int, str, list]]) -> list[int]:
    # The same matching as the keyword rules (whole words, any case, stemmed),
    # with the theme's name counted as one more keyword.
    rules = theme_rules.compile_rules(
        {
            pk: [name, *(k for k in keywords or [] if isinstance(k, str))]
            for pk, name, keywords in themes
        }
    )
    return theme_rules.match(rules, text)


def theme_customer_counts(*, theme_ids: list[int]) -> dict[int, int]:
    """Distinct customers who raised each theme, in one GROUP BY query.

    As in the ranking, an item without a customer counts as one customer.
    """
    rows = (
        ThemeAssignment.objects.filter(theme_id__in=theme_ids)
        .values("theme_id")
        .annotate(
            known=Count("item__customer_id", distinct=True),
            anonymous=Count("item_id", filter=Q(item__customer_id__isnull=True)),
        )
    )
    return {r["theme_id"]: r["known"] + r["anonymous"] for r in rows}


def themes_suggest(*, text: str, limit: int = SUGGEST_LIMIT) -> list[ThemeSuggestion]:
    """Active themes whose name or keywords occur in `text`, most raised first.

    Two queries: the active themes, then the customer counts of the matches.
    """
    text = (text or "").strip()
    if len(text) < SUGGEST_MIN_CHARS:
        return []
    themes = list(
        Theme.objects.filter(is_active=True).values_list("id", "name", "keywords")
    )
    matched = _matching_theme_ids(text, themes)
    if not matched:
        return []
    counts = theme_customer_counts(theme_ids=matched)
    names = {pk: name for pk, name, _ in themes}
    found = [ThemeSuggestion(pk, names[pk], counts.get(pk, 0)) for pk in matched]
    found.sort(key=lambda s: (-s.customers, s.name.lower()))
    return found[:limit]
