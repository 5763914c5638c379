"""Likely duplicates of an idea being written: the open ideas most like it.

The comparison is pure (feedback.themes.duplicates); here the open ideas are
read, in one query: not merged, not declined, not shipped, the newest
CANDIDATES_MAX of them (the text of each is its title and body).
"""

from feedback.models import Idea
from feedback.themes.duplicates import Candidate, Duplicate, duplicates_find

CANDIDATES_MAX = 5000
CLOSED = (Idea.Status.DECLINED, Idea.Status.SHIPPED)


def idea_text(title: str, body: str) -> str:
    return f"{(title or '').strip()}. {(body or '').strip()}"


def idea_duplicates(
    *, title: str, body: str = "", exclude_id: int | None = None
) -> list[Duplicate]:
    """Open ideas likely to say the same as `title` and `body`, best first
    (at most feedback.themes.duplicates.LIMIT); `exclude_id` is left out."""
    rows = (
        Idea.objects.filter(merged_into__isnull=True)
        .exclude(status__in=CLOSED)
        .exclude(pk=exclude_id)
        .order_by("-created_at", "-id")
        .values_list("id", "title", "body")[:CANDIDATES_MAX]
    )
    candidates = [Candidate(pk, idea_text(t, b)) for pk, t, b in rows]
    return duplicates_find(idea_text(title, body), candidates)
