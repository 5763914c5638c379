"""The labelling queue: the items the model is least sure about, one at a time.

Keyboard (static/js/labelling.js): digits toggle themes, Enter saves, s skips.
Skipped items are remembered in the session so they do not come straight back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD
from feedback.forms.themes import LabelForm
from feedback.models import FeedbackItem
from feedback.selectors import themes as selectors
from feedback.services.labels import labels_set
from feedback.views.themes import error_text

SKIP_KEY = "theme_queue_skipped"
MAX_SKIPPED = 500
UPCOMING = 10
SHORTCUTS = 9


@require_GET
@roles_required(CX_LEAD)
def theme_queue(request):
    skipped = set(request.session.get(SKIP_KEY, []))
    items = selectors.labelling_queue(limit=UPCOMING + 1, skip=skipped)
    themes = selectors.active_themes()
    context = {
        "item": items[0] if items else None,
        "upcoming": items[1:],
        "themes": [
            (str(n) if n <= SHORTCUTS else "", theme)
            for n, theme in enumerate(themes, start=1)
        ],
        "progress": selectors.label_progress(),
        "target": selectors.TARGET_LABELS,
        "quality": selectors.theme_model_quality(),
        "skipped": len(skipped),
    }
    return render(request, "themes/queue.html", context)


@roles_required(CX_LEAD)
@require_POST
def theme_queue_label(request, pk: int):
    item = get_object_or_404(FeedbackItem.objects.only("pk"), pk=pk)
    form = LabelForm(request.POST, themes=selectors.active_themes())
    if not form.is_valid() or not form.cleaned_data["themes"]:
        messages.error(request, "Pick at least one theme, or skip the item.")
        return redirect("theme-queue")
    try:
        labels_set(
            item_ids=[item.pk], theme_ids=form.cleaned_data["themes"], user=request.user
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("theme-queue")


@roles_required(CX_LEAD)
@require_POST
def theme_queue_skip(request, pk: int):
    skipped = [p for p in request.session.get(SKIP_KEY, []) if p != pk]
    request.session[SKIP_KEY] = [*skipped, pk][-MAX_SKIPPED:]
    return redirect("theme-queue")


@roles_required(CX_LEAD)
@require_POST
def theme_queue_reset(request):
    request.session.pop(SKIP_KEY, None)
    return redirect("theme-queue")
