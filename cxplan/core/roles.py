"""The three roles of DESIGN.md ("Roles") and the checks views and the API share."""

from django.contrib.auth.models import AnonymousUser

CX_LEAD = "cx_lead"
EXECUTIVE = "executive"
ADVISOR = "advisor"
ALL_ROLES = (CX_LEAD, EXECUTIVE, ADVISOR)


def roles_of(user) -> frozenset[str]:
    """Return the role names a user holds; a superuser holds all three."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset(ALL_ROLES)
    cached = getattr(user, "_cxplan_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True)
        )
        user._cxplan_roles = cached
    return cached


def has_role(user, *names: str) -> bool:
    """True when the user holds any of the named roles."""
    return bool(roles_of(user) & set(names))


def can_see_customers(user) -> bool:
    """Customer identity and revenue: CX leads and executives only."""
    return has_role(user, CX_LEAD, EXECUTIVE)


def is_member(user) -> bool:
    """Any of the three roles: may see ranking, feedback text, themes and ideas."""
    return bool(roles_of(user))
