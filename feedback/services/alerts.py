"""Alerts: find the weeks in which a theme's volume or sentiment stands out
from its own history, store each once, and tell the CX leads.

`alerts_recompute` reads the weekly figures of every active theme over the last
WEEKS weeks (three GROUP BY queries for all themes), judges each week with the
control charts of `feedback.ranking.control_chart`, stores new alerts (a week
already alerted, dismissed or not, is never stored or sent again) and notifies
the CX leads in the app and by e-mail. The beat schedule runs it daily; the
API's recompute runs it at once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from cxplan.core.roles import CX_LEAD
from feedback.models import Alert, FeedbackItem, Theme, ThemeAssignment
from feedback.ranking.control_chart import sentiment_signals, volume_signals
from feedback.services.notifications import notifications_send

WEEKS = 60


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def weekly_series(*, weeks: int = WEEKS, today: date | None = None):
    """(week starts, items per week, {theme id: (counts, means, sds)}) for the
    `weeks` Mondays up to the newest item's week."""
    newest = FeedbackItem.objects.order_by("-created").values_list("created", flat=True)
    last = newest.first()
    if last is None:
        return [], [], {}
    end = _monday(today or timezone.localtime(last).date())
    starts = [end - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {day: i for i, day in enumerate(starts)}
    since = timezone.make_aware(datetime.combine(starts[0], time.min))
    totals = [0] * weeks
    for row in (
        FeedbackItem.objects.filter(created__gte=since)
        .annotate(week=TruncWeek("created"))
        .values("week")
        .annotate(n=Count("id"))
    ):
        i = index.get(_day(row["week"]))
        if i is not None:
            totals[i] = row["n"]
    themes: dict[int, tuple[list, list, list]] = {}
    rows = (
        ThemeAssignment.objects.filter(item__created__gte=since, theme__is_active=True)
        .annotate(week=TruncWeek("item__created"))
        .values("theme_id", "week")
        .annotate(
            n=Count("item_id", distinct=True),
            mean=Avg("item__sentiment"),
            square=Avg(F("item__sentiment") * F("item__sentiment")),
        )
    )
    for row in rows:
        i = index.get(_day(row["week"]))
        if i is None:
            continue
        counts, means, sds = themes.setdefault(
            row["theme_id"], ([0] * weeks, [None] * weeks, [None] * weeks)
        )
        n, mean = row["n"], row["mean"]
        counts[i] = n
        means[i] = mean
        if n > 1 and mean is not None and row["square"] is not None:
            variance = max(row["square"] - mean * mean, 0.0) * n / (n - 1)
            sds[i] = variance**0.5
    return starts, totals, themes


def _store(theme_id: int, week: date, signal) -> Alert | None:
    try:
        with transaction.atomic():
            return Alert.objects.create(
                theme_id=theme_id,
                kind=signal.kind,
                measure=signal.measure,
                week_start=week,
                size=signal.size,
                observed=signal.observed,
                expected=signal.expected,
                limit=signal.limit,
                items=signal.items,
            )
    except IntegrityError:  # this week was alerted before: kept as it was
        return None


def _message(alert: Alert, name: str) -> str:
    if alert.measure == "volume":
        return (
            f"{name}: {alert.items} items in the week of {alert.week_start:%d %b %Y}, "
            f"{alert.size:.1f}x the {alert.expected:.0f} its history expects "
            f"({alert.kind})."
        )
    return (
        f"{name}: sentiment {alert.observed:+.2f} in the week of "
        f"{alert.week_start:%d %b %Y}, against {alert.expected:+.2f} usually "
        f"({alert.kind})."
    )


def alerts_recompute(*, today: date | None = None) -> dict:
    """Judge every week of every active theme; returns {"new", "weeks",
    "themes"} and notifies CX leads of the new alerts."""
    starts, totals, themes = weekly_series(today=today)
    names = dict(Theme.objects.filter(pk__in=themes).values_list("pk", "name"))
    new: list[Alert] = []
    for theme_id, (counts, means, sds) in themes.items():
        signals = volume_signals(counts, totals) + sentiment_signals(means, counts, sds)
        for signal in signals:
            alert = _store(theme_id, starts[signal.week], signal)
            if alert is not None:
                new.append(alert)
    if new:
        leads = get_user_model().objects.filter(groups__name=CX_LEAD, is_active=True)
        for alert in new:
            notifications_send(
                users=leads,
                message=_message(alert, names.get(alert.theme_id, "A theme")),
                url=reverse("alert-list"),
                subject=f"CXPlan alert: {names.get(alert.theme_id, 'a theme')}",
            )
    return {"new": len(new), "weeks": len(starts), "themes": len(themes)}


def alerts_list(*, undismissed_first: bool = False):
    """Alerts with their theme, newest week first (undismissed ones first when
    asked: the page); one query."""
    order = ["-week_start", "theme__name", "measure", "kind"]
    if undismissed_first:
        order.insert(0, "dismissed")
    return Alert.objects.select_related("theme").order_by(*order)


def alert_dismiss(*, alert: Alert, user) -> Alert:
    """Mark a false alarm; it stays dismissed whatever later recomputes find."""
    Alert.objects.filter(pk=alert.pk).update(dismissed=True, dismissed_by=user)
    alert.refresh_from_db()
    return alert
