"""DRF permission classes mirroring the role table of DESIGN.md."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE, has_role, is_member


class IsMember(BasePermission):
    """Any of the three roles: ranking, feedback text, themes, ideas."""

    def has_permission(self, request, view):
        return is_member(request.user)


class CanSeeCustomers(BasePermission):
    """Customer identity and revenue: CX leads and executives."""

    def has_permission(self, request, view):
        return has_role(request.user, CX_LEAD, EXECUTIVE)


class IsCxLead(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, CX_LEAD)


class IsExecutive(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, EXECUTIVE)


class MembersReadCxLeadWrite(BasePermission):
    """Members read; CX leads write (themes, initiatives, strategy, assumptions)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return is_member(request.user)
        return has_role(request.user, CX_LEAD)


class ManagersReadCxLeadWrite(BasePermission):
    """CX leads and executives read; CX leads write (customers, funding)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return has_role(request.user, CX_LEAD, EXECUTIVE)
        return has_role(request.user, CX_LEAD)


ALL = (ADVISOR, CX_LEAD, EXECUTIVE)
