"""The model page: the applied theme model and the candidate waiting for a
decision, with its quality, what it would change and the top three after.
Members read; CX leads accept or discard a candidate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.roles import CX_LEAD
from feedback.forms.themes import ModelVersionForm
from feedback.selectors.theme_models import theme_model_overview
from feedback.services import theme_candidates
from feedback.views.themes import error_text


@require_GET
@members_only
def theme_model_page(request):
    return render(request, "themes/model.html", {"models": theme_model_overview()})


def _decide(request, act, done: str):
    form = ModelVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a candidate version.")
        return redirect("theme-model")
    try:
        row = act(version=form.cleaned_data["version"], user=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done.format(version=row.version))
    return redirect("theme-model")


@roles_required(CX_LEAD)
@require_POST
def theme_model_accept(request):
    return _decide(
        request,
        theme_candidates.candidate_accept,
        "Version {version} is applied; its themes are being written to the items.",
    )


@roles_required(CX_LEAD)
@require_POST
def theme_model_discard(request):
    return _decide(
        request,
        theme_candidates.candidate_discard,
        "Version {version} is discarded; nothing it predicted is used.",
    )
