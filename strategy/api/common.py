"""Shared pieces of the strategy API: error mapping, user fields, redaction."""

import copy

from django.contrib.auth import get_user_model
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from cxplan.core.api.concurrency import StaleEdit
from cxplan.core.roles import ALL_ROLES, can_see_customers
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
    """Advisors see the ranking without revenue (DESIGN.md, Roles)."""
    if not ranking or can_see_customers(user):
        return ranking
    ranking = copy.deepcopy(ranking)
    for theme in ranking.get("top", []):
        theme.pop("revenue_at_risk", None)
    return ranking


def members():
    return User.objects.filter(is_active=True, groups__name__in=ALL_ROLES).distinct()


class UserField(serializers.PrimaryKeyRelatedField):
    """A user id (an active member) in, the id out."""

    def get_queryset(self):
        return members()
