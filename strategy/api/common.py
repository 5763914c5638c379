"""Shared pieces of the strategy API: error mapping, user fields, redaction."""

import copy

from django.contrib.auth import get_user_model
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from cxplan.core.api.concurrency import StaleEdit
from cxplan.core.roles import ALL_ROLES
from cxplan.core.visibility import hidden_for, withhold
from strategy import services

User = get_user_model()


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


def call(fn, **kwargs):
    """Run a service, turning its domain exceptions into HTTP answers."""
    try:
        return fn(**kwargs)
    except services.StaleVersion as exc:
        raise StaleEdit() from exc
    except services.AlreadySignedOff as exc:
        raise Conflict(str(exc)) from exc


def visible_ranking(ranking: dict | None, user) -> dict | None:
    """The ranking without the fields `user` may not see (left out, as this
    API always did), as cxplan.core.visibility says (advisors: revenue at
    risk and the score)."""
    hidden = hidden_for(user)
    if not ranking or not hidden:
        return ranking
    ranking = copy.deepcopy(ranking)
    ranking["top"] = [withhold(t, hidden, drop=True) for t in ranking.get("top", [])]
    return ranking


def members():
    return User.objects.filter(is_active=True, groups__name__in=ALL_ROLES).distinct()


class UserField(serializers.PrimaryKeyRelatedField):
    """A user id (an active member) in, the id out."""

    def get_queryset(self):
        return members()
