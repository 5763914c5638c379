"""The CX lead's triage posts of an idea page that take initiatives: its status
(shipping needs a linked initiative) and its links. The idea page itself is in
feedback.views.ideas; these answer with a message and a redirect back to it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD
from feedback.forms.ideas import StatusForm
from feedback.models import Idea
from feedback.selectors import ideas as selectors
from initiatives.forms.idea_links import IdeaLinksForm
from initiatives.services import idea_links as services


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


def _triage(request, pk: int, run) -> HttpResponse:
    try:
        idea = selectors.idea_get(user=request.user, pk=pk)
    except Idea.DoesNotExist:
        raise Http404("No such idea.") from None
    try:
        message = run(idea)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, message)
    return redirect("idea-detail", pk=pk)


@roles_required(CX_LEAD)
@require_POST
def idea_status(request, pk: int):
    """CX leads: move the idea's status; the author and voters are notified."""

    def run(idea):
        form = StatusForm(request.POST, allowed=list(Idea.Status.values))
        if not form.is_valid():
            raise ValidationError({"status": "Choose a status."})
        idea = services.idea_status_set(
            idea=idea,
            user=request.user,
            status=form.cleaned_data["status"],
            decline_reason=form.cleaned_data["decline_reason"],
        )
        return f"Status set to {idea.get_status_display()}; author and voters told."

    return _triage(request, pk, run)


@roles_required(CX_LEAD)
@require_POST
def idea_links(request, pk: int):
    """CX leads: replace the themes and initiatives the idea is linked to."""

    def run(idea):
        form = IdeaLinksForm(request.POST)
        if not form.is_valid():
            raise ValidationError({"themes": "Choose existing themes and initiatives."})
        services.idea_links_set(
            idea=idea,
            user=request.user,
            theme_ids=[t.pk for t in form.cleaned_data["themes"]],
            initiative_ids=[i.pk for i in form.cleaned_data["initiatives"]],
        )
        return "Links saved."

    return _triage(request, pk, run)
