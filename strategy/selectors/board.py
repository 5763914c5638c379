"""The strategy itself, its five steps, CEO buy-in and the dashboard summary."""

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from feedback.models import RankingSnapshot
from feedback.selectors.ranking import snapshot_get
from initiatives.models import Initiative
from strategy.models import MissionVersion, StepStatus, Strategy, StrategyStep
from strategy.selectors.checks import health_check

RANKING_FIELDS = (
    "rank",
    "theme_id",
    "theme",
    "score",
    "customers",
    "mentions",
    "negative_share",
    "revenue_at_risk",
    "trend",
    "votes",
    "p_top3",
)


def _number(value):
    return None if value is None else float(value)


def strategy_get() -> Strategy | None:
    """The deployment's strategy (the oldest row, should there be several)."""
    return Strategy.objects.order_by("pk").first()


def mission_current(*, strategy: Strategy | None) -> MissionVersion | None:
    """The newest version of the strategy's mission (None without one)."""
    if strategy is None:
        return None
    return strategy.missions.order_by("-created_at", "-id").first()


def days_left(strategy: Strategy | None, *, today: date | None = None) -> int | None:
    """Days from today to the leadership presentation (negative once past)."""
    if strategy is None or strategy.presentation_date is None:
        return None
    return (strategy.presentation_date - (today or timezone.localdate())).days


def steps_list(*, strategy: Strategy) -> list[StrategyStep]:
    """The five steps in order with owners and signers loaded."""
    return list(
        StrategyStep.objects.filter(strategy=strategy).select_related(
            "owner", "signed_off_by"
        )
    )


def ranking_top(*, snapshot: RankingSnapshot | None = None, n: int = 3) -> dict:
    """The top `n` of a ranking snapshot (default: the latest), quotes left out."""
    if snapshot is None:
        snapshot = snapshot_get()
    if snapshot is None:
        return {"snapshot_id": None, "computed_at": None, "top": []}
    top = [{k: t.get(k) for k in RANKING_FIELDS} for t in (snapshot.themes or [])[:n]]
    return {
        "snapshot_id": snapshot.pk,
        "computed_at": snapshot.computed_at.isoformat(),
        "top": top,
    }


def _initiative_figures(i: Initiative, funded=None) -> dict:
    return {
        "id": i.pk,
        "title": i.title,
        "status": i.status,
        "owner": i.owner.get_username() if i.owner_id else None,
        "npv": _number(i.npv),
        "roi": i.roi,
        "payback_months": i.payback_months,
        "pv_costs": _number(i.pv_costs),
        "funded": _number(funded) or 0.0,
    }


def buy_in_snapshot() -> dict:
    """What an executive approves with CEO buy-in: the latest top three, the
    approved and proposed initiatives with their figures, and the mission."""
    initiatives = (
        Initiative.objects.filter(
            status__in=[Initiative.Status.APPROVED, Initiative.Status.PROPOSED]
        )
        .select_related("owner")
        .annotate(funded=Sum("allocations__amount"))
        .order_by("status", "-npv", "title")
    )
    strategy = strategy_get()
    mission = mission_current(strategy=strategy)
    return {
        "taken_at": timezone.now().isoformat(),
        "ranking": ranking_top(),
        "initiatives": [_initiative_figures(i, i.funded) for i in initiatives],
        "mission": mission.text if mission else "",
    }


def making_it_real() -> dict:
    """After CEO buy-in: approved, running and shipped initiatives, in order of
    value, with what is funded and what is moving."""
    rows = list(
        Initiative.objects.filter(
            status__in=[
                Initiative.Status.APPROVED,
                Initiative.Status.IN_PROGRESS,
                Initiative.Status.SHIPPED,
            ]
        )
        .select_related("owner")
        .annotate(funded=Sum("allocations__amount"))
        .order_by("-npv", "title")
    )
    items = []
    for priority, i in enumerate(rows, start=1):
        figures = _initiative_figures(i, i.funded)
        figures["priority"] = priority
        figures["is_funded"] = figures["funded"] > 0
        figures["is_moving"] = i.status in (
            Initiative.Status.IN_PROGRESS,
            Initiative.Status.SHIPPED,
        )
        items.append(figures)
    return {
        "initiatives": items,
        "total": len(items),
        "funded": sum(1 for i in items if i["is_funded"]),
        "moving": sum(1 for i in items if i["is_moving"]),
    }


def strategy_summary(*, today: date | None = None) -> dict:
    """For the dashboard: presentation date, days left, steps done, whether CEO
    buy-in is signed, and the number of failing health checks."""
    today = today or timezone.localdate()
    strategy = strategy_get()
    steps = StrategyStep.objects.filter(strategy=strategy).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=StepStatus.DONE)),
        signed=Count("id", filter=Q(key="ceo_buy_in", signed_off_at__isnull=False)),
    )
    checks = health_check()
    return {
        "presentation_date": strategy.presentation_date if strategy else None,
        "days_left": days_left(strategy, today=today),
        "steps_done": steps["done"],
        "steps_total": steps["total"] or 5,
        "signed_off": bool(steps["signed"]),
        "health_warnings": sum(1 for c in checks if not c["ok"]),
        "health_total": len(checks),
    }
