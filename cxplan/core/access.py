"""Who may use a page: small decorators on function views (healthchecks style)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cxplan.core.roles import has_role, is_member


def members_only(view):
    """Any of the three roles (or a superuser); anonymous users go to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_member(request.user):
            raise PermissionDenied("You have no CXPlan role yet; ask a CX lead.")
        return view(request, *args, **kwargs)

    return wrapper


def roles_required(*roles: str):
    """Only the named roles; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your role may not use this page.")
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator
