"""Notifications: a row per recipient in the app, and an email once committed."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from cxplan.core.mail import header_value_clean
from feedback.models import Notification

logger = logging.getLogger(__name__)

MESSAGE_MAX = Notification._meta.get_field("message").max_length
SUBJECT_MAX = 120


def _distinct_users(users: Iterable) -> list:
    seen: dict[int, object] = {}
    for user in users:
        if user is not None and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _absolute(url: str) -> str:
    # Emails leave the site, so a path alone is not enough; SITE_URL is optional
    # (without it the reader still sees where to go).
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def _send_emails(messages: list[tuple[str, str, str]]) -> None:
    """Send (subject, body, address) triples over one connection; never raise.

    Runs after the commit: a mail server outage must not undo or fail a change
    that already happened, and the in-app notification is already stored.
    """
    try:
        connection = get_connection()
        emails = [
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            for subject, body, address in messages
        ]
        connection.send_messages(emails)
    except Exception:  # SMTP errors, timeouts, refused connections
        logger.exception("could not send %d notification emails", len(messages))


def notifications_send(
    *,
    users: Iterable,
    message: str,
    url: str = "",
    subject: str | None = None,
    key: str = "",
) -> list[Notification]:
    """Notify each user once: a Notification row now, an email after commit.

    `users` may repeat or hold None (both ignored). Users without an email address
    get the in-app notification only. With `key`, a user who already has a
    notification of that key is skipped (each hears it once, however often this
    runs; the unique (user, key) settles a race). Returns the rows written.
    """
    recipients = _distinct_users(users)
    if key and recipients:
        told = set(
            Notification.objects.filter(
                key=key, user__in=[u.pk for u in recipients]
            ).values_list("user_id", flat=True)
        )
        recipients = [u for u in recipients if u.pk not in told]
    if not recipients:
        return []
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        message = message[: MESSAGE_MAX - 1] + "…"
    rows = Notification.objects.bulk_create(
        [
            Notification(user=user, message=message, url=url, key=key)
            for user in recipients
        ],
        ignore_conflicts=bool(key),
    )
    # Subjects carry user text (initiative titles, idea titles): one line only,
    # or a CR/LF would add headers (or make Django refuse the whole batch).
    subject = header_value_clean(subject or message, max_length=SUBJECT_MAX)
    body = message + (f"\n\nOpen it: {_absolute(url)}" if url else "") + "\n"
    emails = [
        (f"[CXPlan] {subject}", body, user.email) for user in recipients if user.email
    ]
    if emails:
        transaction.on_commit(lambda: _send_emails(emails))
    return rows


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (idempotent: the first read time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
