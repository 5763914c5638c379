"""Deck pages: versions with build progress, one version with its changes, and
the files. CX leads build; CX leads and executives view and download."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from charts.layout import to_html
from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD, EXECUTIVE, has_role
from deck import selectors, services
from deck.exporters import FORMATS, chromium_executable
from deck.exporters.html import script_hashes
from deck.files import deck_file_response, missing_file_message
from deck.slides import slides_build

VIEWERS = (CX_LEAD, EXECUTIVE)


def _deck_or_404(pk: int):
    deck = selectors.deck_get(deck_id=pk)
    if deck is None:
        raise Http404("No such deck.")
    return deck


@require_GET
@roles_required(*VIEWERS)
def deck_list(request):
    """Every version, newest first, with the build button for CX leads."""
    decks = list(selectors.deck_list())
    return render(
        request,
        "deck/list.html",
        {
            "decks": decks,
            "in_flight": next(
                (d for d in decks if d.status in ("pending", "building")), None
            ),
            "can_build": has_role(request.user, CX_LEAD),
            "chromium": bool(chromium_executable()),
            "formats": FORMATS,
        },
    )


@require_POST
@roles_required(CX_LEAD)
def deck_build(request):
    """Request a new version; htmx gets the progress panel, others a redirect."""
    chosen = [f for f in request.POST.getlist("formats") if f in FORMATS] or None
    deck = services.deck_request(user=request.user, formats=chosen)
    if request.headers.get("HX-Request"):
        return render(request, "deck/_progress.html", {"deck": deck})
    messages.success(request, f"Deck v{deck.version} is being built.")
    return redirect("deck-list")


@require_GET
@roles_required(*VIEWERS)
def deck_progress(request, pk: int):
    """The progress panel (polled by htmx every second while the build runs)."""
    return render(request, "deck/_progress.html", {"deck": _deck_or_404(pk)})


@require_GET
@roles_required(*VIEWERS)
def deck_detail(request, pk: int):
    """One version: who built it and when, what changed, and its slides."""
    deck = _deck_or_404(pk)
    slides = slides_build(deck.data) if deck.data else []
    # The same chart functions as the exported deck, drawn by static/js/charts.js.
    previews = [(slide, [to_html(fig) for fig in slide.figures]) for slide in slides]
    return render(
        request,
        "deck/detail.html",
        {
            "deck": deck,
            "previous": selectors.deck_previous(deck=deck),
            "slides": previews,
            "has_charts": any(charts for _, charts in previews),
            "files": selectors.deck_files(deck),
        },
    )


@require_GET
@roles_required(*VIEWERS)
def deck_file(request, pk: int, file_format: str):
    """A version's file: the HTML deck opens in the browser (its inline scripts
    allowed by hash only), PDF and PPTX download."""
    deck = _deck_or_404(pk)
    inline = file_format == "html" and "download" not in request.GET
    response = deck_file_response(deck, file_format, attachment=not inline)
    if response is None:
        raise Http404(missing_file_message(deck, file_format))
    if file_format == "html":
        # A handle of its own: the FieldFile's is the response body, and closing
        # it here would send an empty deck.
        field = selectors.deck_file(deck=deck, file_format="html")
        with field.storage.open(field.name, "rb") as handle:
            document = handle.read().decode("utf-8")
        response._csp_update = {"script-src": script_hashes(document)}
    return response
