"""Benefits realisation: after an initiative shipped, did its themes' share of
feedback fall, by how much, how sure, and is the promised benefit arriving?

Weekly counts come from the feedback (one GROUP BY day per series, bucketed
into 7-day weeks around the ship date); the statistics are `initiatives.its`.
With `shipped_segment` set, the segment that got it is compared with the
others (difference in differences); otherwise an interrupted time series.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import FeedbackItem, ThemeAssignment
from initiatives import its
from initiatives.business_case import BusinessCase
from initiatives.models import Initiative

MAX_WEEKS = 26


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _weekly(items, ship: date, before: int, after: int) -> list[int]:
    """Items per 7-day week, weeks -before..after-1 around the ship date."""
    counts = [0] * (before + after)
    rows = (
        items.filter(
            created__gte=_start(ship - timedelta(weeks=before)),
            created__lt=_start(ship + timedelta(weeks=after)),
        )
        .annotate(day=TruncDate("created"))
        .values("day")
        .annotate(n=Count("id"))
    )
    for row in rows:
        week = (row["day"] - ship).days // 7 + before
        if 0 <= week < len(counts):
            counts[week] += row["n"]
    return counts


def _with_themes(items, theme_ids):
    return items.filter(
        Exists(
            ThemeAssignment.objects.filter(item=OuterRef("pk"), theme_id__in=theme_ids)
        )
    )


def _weeks_available(ship: date, today: date) -> tuple[int, int]:
    first = FeedbackItem.objects.order_by("created").values_list("created", flat=True)
    oldest = first.first()
    before = 0 if oldest is None else max(0, (ship - oldest.date()).days // 7)
    after = max(0, (today - ship).days // 7)
    return min(before, MAX_WEEKS), min(after, MAX_WEEKS)


def _effect(theme_ids, segment: str, ship: date, before: int, after: int):
    items = FeedbackItem.objects.all()
    if segment:
        got = items.filter(segment__iexact=segment)
        rest = items.exclude(segment__iexact=segment)
        return its.difference_in_differences(
            _weekly(_with_themes(got, theme_ids), ship, before, after),
            _weekly(got, ship, before, after),
            _weekly(_with_themes(rest, theme_ids), ship, before, after),
            _weekly(rest, ship, before, after),
            weeks_before=before,
        )
    return its.level_change(
        _weekly(_with_themes(items, theme_ids), ship, before, after),
        _weekly(items, ship, before, after),
        weeks_before=before,
    )


def _promised(initiative: Initiative) -> dict:
    case = BusinessCase.from_json(initiative.result)
    flows = case.cashflows
    yearly = max(flows.risk_adjusted_benefits, default=None) if flows else None
    shares = [
        float(d.inputs["share_avoided"][1])
        if isinstance(d.inputs.get("share_avoided"), list)
        else float(d.inputs["share_avoided"])
        for d in initiative.benefit_drivers.all()
        if d.kind == "contacts_avoided" and d.inputs.get("share_avoided") is not None
    ]
    return {
        "benefit_per_year": round(yearly, 2) if yearly is not None else None,
        "share_reduction": max(shares) if shares else None,
    }


def _realised(promised: dict, combined: its.Effect) -> dict:
    reduction = -combined.effect
    share = promised.get("share_reduction")
    benefit = promised.get("benefit_per_year")
    out = {
        "share_reduction": round(reduction, 4),
        "ci": [round(-combined.ci[1], 4), round(-combined.ci[0], 4)],
        "benefit_per_year": None,
        "track": None,
    }
    if share:
        if benefit is not None:
            out["benefit_per_year"] = round(benefit * reduction / share, 2)
        # Off track when even the interval's best case falls short.
        out["track"] = "on_track" if out["ci"][1] >= share else "off_track"
    return out


def initiative_realisation(initiative: Initiative, *, today: date | None = None):
    """{"status", "weeks_after", "weeks_before", "needs", "themes", "promised",
    "realised"}: the contract of GET /api/v1/initiatives/<id>/realisation/."""
    today = today or timezone.localdate()
    out = {
        "status": "not_shipped",
        "shipped_on": initiative.shipped_on,
        "shipped_segment": initiative.shipped_segment or None,
        "weeks_before": 0,
        "weeks_after": 0,
        "needs": "",
        "themes": [],
        "promised": _promised(initiative),
        "realised": None,
    }
    ship = initiative.shipped_on
    if ship is None:
        out["needs"] = "Record the ship date to measure the effect."
        return out
    before, after = _weeks_available(ship, today)
    out["weeks_before"], out["weeks_after"] = before, after
    need_after = _setting("CXPLAN_REALISATION_MIN_WEEKS_AFTER", 4)
    need_before = _setting("CXPLAN_REALISATION_MIN_WEEKS_BEFORE", 6)
    themes = list(initiative.themes.order_by("name"))
    if after < need_after or before < need_before or not themes:
        out["status"] = "too_early"
        out["needs"] = (
            "Link the initiative to a theme to measure it."
            if not themes
            else f"Needs {max(need_after - after, 0)} more week(s) after shipping"
            f" and {max(need_before - before, 0)} more before it"
            f" ({need_after} after, {need_before} before)."
        )
        return out
    segment = initiative.shipped_segment or ""
    for theme in themes:
        effect = _effect([theme.pk], segment, ship, before, after)
        out["themes"].append(
            {"theme": theme.pk, "name": theme.name, "measure": "share"}
            | effect.as_dict()
        )
    combined = _effect([t.pk for t in themes], segment, ship, before, after)
    out["status"] = "measured"
    out["realised"] = _realised(out["promised"], combined)
    return out
