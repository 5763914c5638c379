"""The executive review: ranked initiatives with their figures and funding,
one-click decisions with a comment (htmx), and what changed since the last
visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import roles_required
from cxplan.core.roles import EXECUTIVE
from initiatives.forms.funding import DecisionForm
from initiatives.models import Initiative
from initiatives.selectors import review as selectors
from initiatives.services import decisions as services


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


@roles_required(EXECUTIVE)
@require_GET
def review(request):
    since = selectors.last_visit(request.user)
    context = {
        "rows": selectors.review_rows(since=since),
        "changes": selectors.review_changes(since=since),
        "since": since,
    }
    response = render(request, "initiatives/review.html", context)
    services.review_visit_record(user=request.user)
    return response


@roles_required(EXECUTIVE)
@require_POST
def review_decide(request, pk: int):
    """Record a decision; htmx gets the re-rendered row (or it with the
    refusal), a plain form post goes back to the page with a message."""
    if not Initiative.objects.filter(pk=pk).exists():
        raise Http404("No such initiative.")
    form = DecisionForm(request.POST)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.initiative_decide(
                actor=request.user,
                initiative_id=pk,
                verdict=data["verdict"],
                comment=data["comment"],
                seen_version=data["version"],
            )
        except services.StaleDecision:
            error = "The initiative changed since you loaded the page; reload it."
        except ValidationError as refused:
            error = _error_text(refused)
        else:
            done = f"“{decision.initiative.title}”: {decision.verdict} recorded."
    else:
        error = " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    if _is_htmx(request):
        # 200 even on a refusal: htmx does not swap 4xx answers by default, and
        # the row itself shows why.
        row = next(
            (r for r in selectors.review_rows() if r["initiative"].pk == pk), None
        )
        context = {
            "row": row,
            "initiative": Initiative.objects.get(pk=pk),
            "error": error,
            "done": None if error else done,
        }
        return render(request, "initiatives/_review_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("review")
