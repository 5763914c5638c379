"""The facts the health rules read, and the health check itself."""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from cxplan.core.roles import ADVISOR
from feedback.models import Idea
from initiatives.models import Initiative
from strategy import health
from strategy.models import Action, CompetencyRating, SuccessMetric


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def health_facts() -> health.HealthFacts:
    """Gather what the health rules need in a fixed number of queries."""
    initiatives = [
        health.InitiativeFact(
            id=i["pk"],
            title=i["title"],
            status=i["status"],
            is_technology=i["is_technology"],
            has_owner=i["owner_id"] is not None,
            themes=i["n_themes"],
            ideas=i["n_ideas"],
            funded=bool(i["n_allocations"]),
        )
        for i in Initiative.objects.order_by("title")
        .annotate(
            n_themes=Count("themes", distinct=True),
            n_ideas=Count("ideas", distinct=True),
            n_allocations=Count("allocations", distinct=True),
        )
        .values(
            "pk",
            "title",
            "status",
            "is_technology",
            "owner_id",
            "n_themes",
            "n_ideas",
            "n_allocations",
        )
    ]
    metrics = [
        health.MetricFact(name=name, kind=kind, has_target=target is not None)
        for name, kind, target in SuccessMetric.objects.values_list(
            "name", "kind", "target"
        )
    ]
    actions = [
        health.ActionFact(title=title, team=team)
        for title, team in Action.objects.values_list("title", "team")
    ]
    return health.HealthFacts(
        initiatives=initiatives,
        metrics=metrics,
        actions=actions,
        advisor_ideas=Idea.objects.filter(author__groups__name=ADVISOR).count(),
        advisor_ratings=CompetencyRating.objects.filter(role=ADVISOR).count(),
    )


def health_check() -> list[dict]:
    """Every health rule as `{"key", "title", "ok", "explanation", "fix_url",
    "details"}`."""
    return health.run_checks(health_facts(), resolve=_url)
