from cxplan.core.roles import roles_of


def roles(request):
    """Expose the user's roles to templates as `roles` (a set of group names)."""
    user = getattr(request, "user", None)
    return {"roles": roles_of(user) if user is not None else frozenset()}
