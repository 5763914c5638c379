"""Benefits realisation: did the shipped initiatives work?"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from initiatives.business_case import BusinessCase
from initiatives.models import BenefitDriver, Initiative
from strategy.selectors.board import _number
from strategy.selectors.success import metrics_overview

BENEFIT_WINDOW_DAYS = 90
# Benefit drivers and the success metrics that should move when they deliver;
# NPS and CSAT are linked to every shipped initiative.
DRIVER_METRICS = {
    BenefitDriver.Kind.CHURN_AVOIDED: ("churn",),
    BenefitDriver.Kind.CONTACTS_AVOIDED: ("cost_to_serve",),
}
ALWAYS_LINKED_METRICS = ("nps", "csat")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _verdict(before_neg: int, after_neg: int, after_days: int, window: int) -> str:
    """Compare negative items per day after the ship date with before it."""
    if after_days < 30:
        return "too early"
    if before_neg == 0:
        return "no baseline"
    change = (after_neg / after_days) / (before_neg / window) - 1
    if change <= -0.10:
        return "worked"
    if change >= 0.10:
        return "worse"
    return "no clear change"


def _value_at(series: list[dict], day: date):
    before = [p["value"] for p in series if p["period"] <= day]
    return before[-1] if before else None


def benefits_realisation(
    *, today: date | None = None, metrics: list[dict] | None = None
) -> list[dict]:
    """For each shipped initiative: per theme, the items and the negative share in
    the 90 days before and after `shipped_on` (one aggregate query), the
    business case from the initiative's cached ROI, the linked metrics at the ship
    date and now, and a verdict on negative items per day ("worked" at 10% or
    more fewer, "worse" at 10% or more, "too early" under 30 days of data)."""
    today = today or timezone.localdate()
    window = BENEFIT_WINDOW_DAYS
    shipped = list(
        Initiative.objects.filter(
            status=Initiative.Status.SHIPPED, shipped_on__isnull=False
        )
        .select_related("owner")
        .order_by("-shipped_on", "title")
    )
    if not shipped:
        return []
    item = "themes__assignments__item"
    before_q, after_q = Q(), Q()
    for i in shipped:
        ship = _day_start(i.shipped_on)
        span = timedelta(days=window)
        before_q |= Q(
            pk=i.pk,
            **{f"{item}__created__gte": ship - span, f"{item}__created__lt": ship},
        )
        after_q |= Q(
            pk=i.pk,
            **{f"{item}__created__gte": ship, f"{item}__created__lt": ship + span},
        )
    negative = Q(**{f"{item}__polarity": "negative"})
    counted = f"{item}__pk"
    rows = (
        Initiative.objects.filter(pk__in=[i.pk for i in shipped])
        .values("pk", "themes__pk", "themes__name")
        .annotate(
            before=Count(counted, filter=before_q),
            before_negative=Count(counted, filter=before_q & negative),
            after=Count(counted, filter=after_q),
            after_negative=Count(counted, filter=after_q & negative),
        )
        .order_by("pk", "themes__name")
    )
    themes = defaultdict(list)
    for r in rows:
        if r["themes__pk"] is None:
            continue
        themes[r["pk"]].append(
            {
                "theme_id": r["themes__pk"],
                "theme": r["themes__name"],
                "before_items": r["before"],
                "before_negative_share": round(r["before_negative"] / r["before"], 3)
                if r["before"]
                else None,
                "after_items": r["after"],
                "after_negative_share": round(r["after_negative"] / r["after"], 3)
                if r["after"]
                else None,
                "_before_negative": r["before_negative"],
                "_after_negative": r["after_negative"],
            }
        )
    drivers = defaultdict(set)
    for initiative_id, kind in (
        BenefitDriver.objects.filter(initiative__in=shipped)
        .values_list("initiative_id", "kind")
        .distinct()
    ):
        drivers[initiative_id].add(kind)
    metrics = metrics if metrics is not None else metrics_overview()
    out = []
    for i in shipped:
        after_days = max(0, min(window, (today - i.shipped_on).days))
        rows_i = themes.get(i.pk, [])
        before_neg = sum(t.pop("_before_negative") for t in rows_i)
        after_neg = sum(t.pop("_after_negative") for t in rows_i)
        linked_kinds = set(ALWAYS_LINKED_METRICS)
        for kind in drivers.get(i.pk, ()):
            linked_kinds.update(DRIVER_METRICS.get(kind, ()))
        linked = [
            {
                "id": m["id"],
                "name": m["name"],
                "kind": m["kind"],
                "direction": m["direction"],
                "at_ship": _value_at(m["series"], i.shipped_on),
                "now": m["current"],
                "target": m["target"],
                "status": m["status"],
            }
            for m in metrics
            if m["kind"] in linked_kinds
        ]
        for m in linked:
            moved = None
            if m["at_ship"] is not None and m["now"] is not None:
                delta = m["now"] - m["at_ship"]
                moved = delta > 0 if m["direction"] == "up" else delta < 0
            m["improved"] = moved
        out.append(
            {
                "id": i.pk,
                "title": i.title,
                "owner": i.owner.get_username() if i.owner_id else None,
                "shipped_on": i.shipped_on,
                "after_days": after_days,
                "themes": rows_i,
                "before_negative_per_30_days": round(before_neg * 30 / window, 1),
                "after_negative_per_30_days": round(after_neg * 30 / after_days, 1)
                if after_days
                else None,
                "verdict": _verdict(before_neg, after_neg, after_days, window),
                "business_case": {
                    "npv": _number(i.npv),
                    "roi": i.roi,
                    "payback_months": i.payback_months,
                    "pv_costs": _number(i.pv_costs),
                    "pv_benefits": BusinessCase.from_json(i.result).pv_benefits,
                },
                "metrics": linked,
            }
        )
    return out
