"""Reads of the links from initiatives to ideas (`Initiative.ideas`, which this
app owns; related name "initiatives" on an idea)."""

from django.db.models import Prefetch, QuerySet

from initiatives.models import Initiative


def idea_initiative_choices() -> QuerySet[Initiative]:
    """All initiatives (id, title) for the triage form, by title."""
    return Initiative.objects.order_by("title").only("id", "title")


def idea_initiatives_prefetch() -> Prefetch:
    """The Prefetch of an idea's initiatives (id, title, status; by title) that
    the idea selectors in feedback load with every idea (registered at start-up
    in InitiativesConfig.ready, because feedback cannot import this app)."""
    return Prefetch(
        "initiatives",
        queryset=Initiative.objects.only("id", "title", "status").order_by("title"),
    )


def idea_initiative_titles(*, idea) -> list[str]:
    """Titles of the initiatives linked to `idea`, by title: what delivered it."""
    return list(
        Initiative.objects.filter(ideas=idea)
        .order_by("title")
        .values_list("title", flat=True)
    )
