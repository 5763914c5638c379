"""One feedback item by hand (a CX lead typing up a call), validated like a CSV row."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD
from feedback.forms.imports import FeedbackItemForm
from feedback.intake.validation import validate_records
from feedback.services.ingest import feedback_rows_ingest
from feedback.services.pii import pii_region

FORM_SOURCE = "form"


@require_http_methods(["GET", "POST"])
@roles_required(CX_LEAD)
def feedback_new(request):
    form = FeedbackItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = validate_records(
            [form.record()],
            default_source=FORM_SOURCE,
            max_text_chars=settings.CXPLAN_MAX_TEXT_CHARS,
            pii_region=pii_region(),
        )
        for error in result.errors:
            name = error["field"] if error["field"] in form.fields else None
            form.add_error(name, error["message"])
        if not result.errors:
            feedback_rows_ingest(rows=result.rows, user=request.user)
            messages.success(request, "Feedback saved.")
            try:
                return redirect(reverse("feedback-list"))
            except NoReverseMatch:
                return redirect("feedback-new")
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/new.html", {"form": form}, status=status)
