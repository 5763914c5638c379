"""Competency maturity (ratings, holes, history) and the actions per competency."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Avg, Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import TruncMonth

from strategy.models import Action, Competency, CompetencyRating

ROLES_IN_ORDER = ("cx_lead", "executive", "advisor")
HOLES = 2  # the lowest-rated competencies shown as holes to fill


def latest_ratings():
    """Each user's newest rating of each competency (the ones that count)."""
    newest = (
        CompetencyRating.objects.filter(
            competency=OuterRef("competency"), rated_by=OuterRef("rated_by")
        )
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    return CompetencyRating.objects.filter(pk=Subquery(newest))


def competency_summary(*, ratings_shown: int = 10) -> list[dict]:
    """Per competency: the average by role and over all roles (each user's latest
    rating counts once), the spread between role averages (max - min, null with
    fewer than two roles), the newest ratings, and whether it is a hole."""
    competencies = list(Competency.objects.all())
    latest = latest_ratings()
    by_role = defaultdict(dict)
    for row in (
        latest.values("competency_id", "role")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by()
    ):
        by_role[row["competency_id"]][row["role"]] = (row["avg"], row["n"])
    overall = {
        row["competency_id"]: (row["avg"], row["n"])
        for row in latest.values("competency_id")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by()
    }
    shown = defaultdict(list)
    for r in latest.select_related("rated_by").order_by("-created_at", "-id"):
        if len(shown[r.competency_id]) < ratings_shown:
            shown[r.competency_id].append(
                {
                    "user": r.rated_by.get_username(),
                    "role": r.role,
                    "score": r.score,
                    "comment": r.comment,
                    "created_at": r.created_at.isoformat(),
                }
            )
    out = []
    for c in competencies:
        roles = by_role.get(c.pk, {})
        averages = {
            role: round(roles[role][0], 2) if role in roles else None
            for role in ROLES_IN_ORDER
        }
        present = [v for v in averages.values() if v is not None]
        avg, n = overall.get(c.pk, (None, 0))
        out.append(
            {
                "id": c.pk,
                "key": c.key,
                "name": c.name,
                "description": c.description,
                "order": c.order,
                "average": round(avg, 2) if avg is not None else None,
                "raters": n,
                "role_averages": averages,
                "role_raters": {
                    role: roles[role][1] if role in roles else 0
                    for role in ROLES_IN_ORDER
                },
                "spread": round(max(present) - min(present), 2)
                if len(present) >= 2
                else None,
                "latest_ratings": shown.get(c.pk, []),
                "is_hole": False,
            }
        )
    for c in holes(out):
        c["is_hole"] = True
    return out


def holes(summary: list[dict], *, n: int = HOLES) -> list[dict]:
    """The `n` lowest-rated competencies (unrated ones are not judged yet);
    ties go to the earlier competency."""
    rated = [c for c in summary if c["average"] is not None]
    return sorted(rated, key=lambda c: (c["average"], c["order"]))[:n]


def rating_history(*, competency: Competency | None = None) -> list[dict]:
    """Average rating by month and role (every rating given that month counts)."""
    qs = CompetencyRating.objects.order_by()
    if competency is not None:
        qs = qs.filter(competency=competency)
    rows = (
        qs.annotate(month=TruncMonth("created_at"))
        .values("competency_id", "competency__key", "role", "month")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("competency_id", "month", "role")
    )
    return [
        {
            "competency_id": r["competency_id"],
            "competency": r["competency__key"],
            "role": r["role"],
            "period": r["month"].date()
            if isinstance(r["month"], datetime)
            else r["month"],
            "average": round(r["avg"], 2),
            "ratings": r["n"],
        }
        for r in rows
    ]


def rating_trend(*, competencies: list[dict]) -> list[dict]:
    """For the page: per month, the average of every rating given that month for
    each competency (all roles together), oldest month first."""
    rows = (
        CompetencyRating.objects.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("competency_id", "month")
        .annotate(avg=Avg("score"))
        .order_by("month")
    )
    months: dict = {}
    for r in rows:
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        months.setdefault(month, {})[r["competency_id"]] = round(r["avg"], 2)
    return [
        {"period": month, "values": [values.get(c["id"]) for c in competencies]}
        for month, values in months.items()
    ]


def user_latest_scores(*, user) -> dict[int, int]:
    """{competency id: score} of the user's own newest ratings (to prefill forms)."""
    return dict(
        latest_ratings().filter(rated_by=user).values_list("competency_id", "score")
    )


ACTION_KIND_ORDER = (
    Action.Kind.UNITING_LEADERSHIP,
    Action.Kind.GIVING_PERMISSION,
    Action.Kind.PROVING_IT,
)


def actions_list():
    """Every action with its competency and owner, by competency, then kind in
    the order leaders act on them (unite, permit, prove), then age."""
    kind_order = Case(
        *[When(kind=k, then=Value(i)) for i, k in enumerate(ACTION_KIND_ORDER)],
        default=Value(len(ACTION_KIND_ORDER)),
    )
    return (
        Action.objects.select_related("competency", "owner")
        .annotate(kind_order=kind_order)
        .order_by("competency__order", "kind_order", "id")
    )
