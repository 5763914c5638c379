"""The feedback list: every member reads feedback text with its themes; CX leads
also see the customer and label selected items. Filters update via htmx."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import members_only, roles_required
from cxplan.core.queries import safe_next
from cxplan.core.roles import CX_LEAD, has_role
from cxplan.core.visibility import may_see
from feedback.forms.themes import FeedbackFilterForm, LabelForm
from feedback.selectors import feedback_list as selectors
from feedback.selectors.counts import FeedbackPaginator
from feedback.selectors.themes import active_themes
from feedback.services.labels import labels_set
from feedback.views.themes import error_text

PAGE_SIZE = 50


@require_GET
@members_only
def feedback_list(request):
    themes = active_themes()
    form = FeedbackFilterForm(
        request.GET or None, themes=themes, segments=selectors.feedback_segments()
    )
    show_customer = may_see(request.user, "customer")
    items = selectors.feedback_items(**form.filters(), with_customer=show_customer)
    page = FeedbackPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "themes": themes,
        "show_customer": show_customer,
        "can_label": has_role(request.user, CX_LEAD),
        "next_url": request.get_full_path(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "feedback/_results.html", context)
    return render(request, "feedback/list.html", context)


@roles_required(CX_LEAD)
@require_POST
def feedback_label(request):
    """Label the selected items: add (default) or replace their manual themes."""
    form = LabelForm(request.POST, themes=active_themes())
    # ASCII digits only: `"²".isdigit()` is true and `int("²")` fails; 18 digits
    # still fit a bigint.
    items = [
        int(pk)
        for pk in request.POST.getlist("items")
        if pk.isascii() and pk.isdigit() and len(pk) <= 18
    ]
    target = safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        messages.error(request, "Choose themes from the list.")
    else:
        try:
            result = labels_set(
                item_ids=items,
                theme_ids=form.cleaned_data["themes"],
                mode=form.cleaned_data["mode"] or "add",
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            n = len(result["items"])
            messages.success(request, f"{n} item{'s' if n != 1 else ''} labelled.")
    # Never `redirect(target)`: it would try a bare word as a view name.
    return HttpResponseRedirect(target) if target else redirect("feedback-list")
