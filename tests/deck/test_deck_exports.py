"""PDF and PPTX: one page / slide per deck slide; without Chromium they say so."""

import io
import re

import pytest
from pptx import Presentation

from deck import services
from deck.slides import slides_build
from tests.conftest import need
from tests.deck.factories import deck_world, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _build(formats):
    deck = services.deck_request(user=None, formats=formats, enqueue=False)
    return services.deck_build(deck_id=deck.pk)


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def pdf_pages(data: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        # Each page object is "/Type /Page" (the tree root is "/Type /Pages").
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def built():
    need("chromium")
    deck_world()
    return _build(["pdf", "pptx"])


def test_the_pdf_has_one_page_per_slide(built):
    slides = slides_build(built.data)
    data = _read(built.pdf)
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == len(slides) == 13


def test_the_pptx_opens_with_the_slide_titles_and_notes(built):
    slides = slides_build(built.data)
    prs = Presentation(io.BytesIO(_read(built.pptx)))
    assert [s.shapes.title.text for s in prs.slides] == [s.title for s in slides]
    # Every figure is there, as a native chart (or a picture where PowerPoint
    # has no such chart: none in this deck).
    drawn = [
        sum(1 for shape in s.shapes if shape.has_chart or shape.shape_type == 13)
        for s in prs.slides
    ]
    assert drawn == [len(s.figures) for s in slides]
    customers = next(i for i, s in enumerate(slides) if s.key == "customers")
    notes = prs.slides[customers].notes_slide.notes_text_frame.text
    assert notes.startswith("Score = 0.35 customers")


def test_without_chromium_the_pdf_fails_clearly_and_html_and_pptx_work(
    settings, monkeypatch
):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    monkeypatch.setenv("PATH", "/nonexistent")
    deck_world()
    deck = _build(["html", "pdf", "pptx"])
    assert deck.status == "done"
    # The PPTX draws native charts, so it needs no Chromium.
    assert deck.html and not deck.pdf and deck.pptx
    assert deck.error == (
        "PDF export needs Chromium, which was not found at /nonexistent/chromium "
        "(set CHROMIUM_PATH or install chromium); the HTML deck works without it."
    )


def test_a_pdf_only_deck_without_chromium_fails(settings, monkeypatch):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    monkeypatch.setenv("PATH", "/nonexistent")
    deck = _build(["pdf"])
    assert deck.status == "failed"
    assert "needs Chromium" in deck.error
