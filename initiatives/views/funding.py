"""Funding pages: the plan (CX leads and executives), a new source and an
allocation (CX leads). Thin callers of the funding selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charts.funding_waterfall import funding_waterfall
from charts.layout import to_html
from cxplan.core.access import roles_required
from cxplan.core.queries import query_params
from cxplan.core.roles import CX_LEAD, EXECUTIVE, has_role
from initiatives.forms.funding import AllocationForm, FundingSourceForm
from initiatives.forms.queries import FundingPlanQuery
from initiatives.selectors import funding as selectors
from initiatives.services import funding as services


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


@require_GET
@roles_required(CX_LEAD, EXECUTIVE)
def funding_plan(request):
    """Per year: needed, funded and from where, the gap; the sources; the
    waterfall (all years, or `?year=t`); the self-funding ratio."""
    year = query_params(request, FundingPlanQuery)["year"]
    plan = selectors.funding_plan(year=year)
    title = "Funding: sources, needs and the gap"
    if year is not None:
        title += f" (year {year})"
    chart = to_html(funding_waterfall(plan["waterfall"], title=title))
    context = {
        "plan": plan,
        "chart": chart,
        "year": year,
        "can_fund": has_role(request.user, CX_LEAD),
        "allocation_form": AllocationForm(),
    }
    return render(request, "initiatives/funding.html", context)


@roles_required(CX_LEAD)
@require_http_methods(["GET", "POST"])
def funding_source_new(request):
    assumptions = selectors.current_assumptions()
    years = (assumptions.horizon if assumptions else 3) + 1
    form = FundingSourceForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.funding_source_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                savings_of=data["savings_of"],
                note=data["note"],
                amounts=form.amounts(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"Funding source “{source.name}” added.")
            return redirect("funding-plan")
    status = 400 if form.errors else 200
    return render(
        request, "initiatives/funding_source_form.html", {"form": form}, status=status
    )


@roles_required(CX_LEAD)
@require_POST
def allocation_new(request):
    form = AllocationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Allocation not saved: "
            + " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
        )
        return redirect(reverse("funding-plan") + "#allocate")
    data = form.cleaned_data
    try:
        services.allocation_set(
            actor=request.user,
            source=data["source"],
            initiative=data["initiative"],
            year=data["year"],
            amount=data["amount"],
        )
    except ValidationError as error:
        messages.error(request, "Allocation refused: " + _error_text(error))
    else:
        messages.success(
            request,
            f"{data['source'].name} gives {data['initiative'].title} "
            f"${data['amount']:,.2f} in year {data['year']}.",
        )
    return redirect(reverse("funding-plan") + "#allocate")
