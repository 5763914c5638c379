"""The loop closes by itself (CXPlan issue 24.5): the people behind the ideas an
initiative delivers hear when it ships, and again once its effect is measured.

The people are the authors and voters of the ideas linked to the initiative
(`Initiative.ideas`). Both messages carry a key (feedback's notifications), so
each person hears each once however often this runs: shipping is a status step
of initiatives.services.initiatives, the result comes from the daily beat task
initiatives.tasks.notify_measured_results (benefits realisation needs weeks of
feedback after the ship date, so it is looked for every day, not on a page view).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from feedback.models import Notification
from feedback.services.notifications import notifications_send
from initiatives.models import Initiative
from initiatives.selectors.realisation import initiative_realisation


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _percent(value: float) -> str:
    return f"{value * 100:+.0f}%".replace("+0%", "0%")


def initiative_people(*, initiative: Initiative) -> list:
    """Authors and voters of the ideas the initiative delivers, each once, by id."""
    return list(
        get_user_model()
        .objects.filter(
            Q(ideas__initiatives=initiative) | Q(vote__idea__initiatives=initiative)
        )
        .distinct()
        .order_by("pk")
    )


def _key(initiative: Initiative, what: str) -> str:
    return f"initiative:{initiative.pk}:{what}"


def initiative_shipped_notify(*, initiative: Initiative, actor=None) -> int:
    """Tell the people behind its ideas that `initiative` shipped (not `actor`,
    who shipped it); answers how many were told now."""
    people = [
        p
        for p in initiative_people(initiative=initiative)
        if actor is None or p.pk != actor.pk
    ]
    message = (
        f"\u201c{initiative.title}\u201d shipped on {_day(initiative.shipped_on)}; "
        "we will measure its effect."
    )
    rows = notifications_send(
        users=people,
        message=message,
        url=reverse("initiative-detail", args=[initiative.pk]),
        subject=f"Shipped: {initiative.title}",
        key=_key(initiative, "shipped"),
    )
    return len(rows)


def result_message(*, initiative: Initiative, realisation: dict) -> str:
    """'"X": Login complaints: -38% (95% -52% to -22%)', one part per theme."""
    parts = [
        f"{t['name']}: {_percent(t['effect'])} "
        f"(95% {_percent(t['ci'][0])} to {_percent(t['ci'][1])})"
        for t in realisation["themes"]
    ]
    return f"\u201c{initiative.title}\u201d, measured: " + "; ".join(parts)


def initiative_result_notify(*, initiative: Initiative, today: date | None = None):
    """Tell the people behind its ideas the measured effect of `initiative`,
    once each; answers how many were told now (0 while it is too early)."""
    key = _key(initiative, "measured")
    people = initiative_people(initiative=initiative)
    told = set(
        Notification.objects.filter(key=key, user__in=people).values_list(
            "user_id", flat=True
        )
    )
    waiting = [p for p in people if p.pk not in told]
    if not waiting:
        return 0
    realisation = initiative_realisation(initiative, today=today)
    if realisation["status"] != "measured":
        return 0
    rows = notifications_send(
        users=waiting,
        message=result_message(initiative=initiative, realisation=realisation),
        url=reverse("initiative-detail", args=[initiative.pk]),
        subject=f"Measured: {initiative.title}",
        key=key,
    )
    return len(rows)


def initiatives_results_notify(*, today: date | None = None) -> dict:
    """Look at every shipped initiative that delivers ideas; tell the people
    behind them its measured effect once. Answers {"initiatives", "told"}."""
    shipped = (
        Initiative.objects.filter(
            status=Initiative.Status.SHIPPED, shipped_on__isnull=False
        )
        .filter(ideas__isnull=False)
        .distinct()
        .order_by("pk")
    )
    told = 0
    count = 0
    for initiative in shipped:
        count += 1
        told += initiative_result_notify(initiative=initiative, today=today)
    return {"initiatives": count, "told": told}
