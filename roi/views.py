"""The assumptions page: every member sees the figures every result uses;
CX leads save a new set (never an edit of the old one)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cxplan.core.access import members_only
from cxplan.core.roles import CX_LEAD, has_role
from roi.forms import AssumptionsForm
from roi.selectors import (
    assumptions_as_dict,
    assumptions_current,
    assumptions_history,
)
from roi.services import assumptions_set


@members_only
@require_http_methods(["GET", "POST"])
def assumptions(request):
    can_edit = has_role(request.user, CX_LEAD)
    current = assumptions_as_dict(assumptions_current())
    initial = {
        **current,
        "ramp": ", ".join(f"{v:g}" for v in current["ramp"]),
        "note": "",
    }
    form = AssumptionsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only CX leads change the assumptions.")
        if form.is_valid():
            values = dict(form.cleaned_data)
            note = values.pop("note", "")
            try:
                saved = assumptions_set(actor=request.user, note=note, **values)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"Assumptions #{saved.pk} saved; "
                    "every initiative's case is recomputed.",
                )
                return redirect("assumptions")
    context = {
        "form": form,
        "current": current,
        "history": assumptions_history(),
        "can_edit": can_edit,
    }
    return render(
        request,
        "roi/assumptions.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )
