"""API tokens with a lifecycle: made, used, listed, revoked, expired.

The key is `secrets.token_urlsafe(32)` (256 random bits) and is shown once; the
database keeps its SHA-256 only. A key is found by looking its hash up, so no
secret is ever compared character by character, and a stolen table holds no key.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cxplan.core.models import ApiToken

# last_used_at is refreshed at most this often: one UPDATE a minute per token,
# not one per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)
MAX_ID = 2**63 - 1  # a bigger id from a URL is no token, not a database error


class TokenRefused(Exception):
    """The key is unknown, revoked or expired, or its user may not sign in."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the only time the key exists outside the caller's hands


def key_hash(key: str) -> str:
    """The stored form of a key: its SHA-256, hex."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user, name: str = "") -> NewToken:
    """A new token for `user`, named `name` (default "API token <date>"), expiring
    after settings.CXPLAN_TOKEN_DAYS. Returns the row and the key, shown once."""
    now = timezone.now()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or f"API token {now:%Y-%m-%d}",
        prefix=key[:8],
        key_hash=key_hash(key),
        expires_at=now + timedelta(days=settings.CXPLAN_TOKEN_DAYS),
    )
    return NewToken(token=token, key=key)


def token_authenticate(*, key: str) -> ApiToken:
    """The live token for `key` (with its user), marking it used; else TokenRefused
    with a message fit for the caller."""
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    )
    if token is None:
        raise TokenRefused("Invalid token.")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("Token revoked.")
    if token.expires_at <= now:
        raise TokenRefused("Token expired.")
    if not token.user.is_active:
        raise TokenRefused("User inactive or deleted.")
    stale = now - LAST_USED_GRANULARITY
    if token.last_used_at is None or token.last_used_at < stale:
        # Conditional, so concurrent requests write it once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_for(*, user) -> QuerySet[ApiToken]:
    """Every token of `user`, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user)


def token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens. False when `user` has no such token
    (someone else's id is the same as a missing one)."""
    if not 0 < token_id <= MAX_ID:
        return False
    token = tokens_for(user=user).filter(pk=token_id).first()
    if token is None:
        return False
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return True


def tokens_revoke_all(*, user) -> int:
    """Revoke every live token of `user` (a new password, a deactivated account).
    Returns how many were revoked."""
    return (
        tokens_for(user=user)
        .filter(revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
