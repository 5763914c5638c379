"""The self-contained HTML deck: every slide, data or a plain "missing" note."""

import re
from pathlib import Path

import pytest

from charts.layout import CHART_LOADER_JS
from deck import services
from deck.slides import slides_build
from deck.snapshot import snapshot_collect
from tests.deck.factories import deck_world, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

ROOT = Path(__file__).resolve().parents[2]


def _html(deck) -> str:
    with deck.html.open("rb") as handle:
        return handle.read().decode()


def _build(formats=("html",)):
    deck = services.deck_request(user=None, formats=formats, enqueue=False)
    return services.deck_build(deck_id=deck.pk)


def test_it_has_a_section_for_every_slide_in_order():
    """Each slide of the snapshot is one <section class="slide"> with its title."""
    deck_world()
    deck = _build()
    slides = slides_build(deck.data)
    document = _html(deck)
    keys = re.findall(
        r'<section class="slide [^"]*" id="slide-\d+" data-slide="([^"]+)"', document
    )
    assert keys == [s.key for s in slides]
    assert keys == [
        "title",
        "summary",
        "customers",
        "money",
        "improvement-1",
        "improvement-2",
        "improvement-3",
        "funding",
        "portfolio",
        "strategy",
        "metrics",
        "decisions",
        "appendix",
    ]
    for slide in slides:
        assert f"<h1>{slide.title}</h1>" in document


def test_it_works_offline_with_plotly_inlined_and_no_external_source():
    """plotly.js is inside the file and nothing loads from elsewhere."""
    deck_world()
    document = _html(_build())
    assert "Plotly" in document and len(document) > 1_000_000
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="http', document)
    assert "cdn." not in document.split("<script>")[0]
    assert document.count('data-plotly="') >= 8


def test_it_carries_keyboard_navigation_and_presenter_notes():
    deck_world()
    document = _html(_build())
    assert "ArrowRight" in document and "show-notes" in document
    assert document.count('<aside class="notes"') == 13
    assert "Score = 0.35 customers" in document


def test_an_improvement_without_initiative_says_so():
    """The third theme has no initiative: its slide says so instead of a chart."""
    deck_world()
    slides = slides_build(snapshot_collect())
    third = next(s for s in slides if s.key == "improvement-3")
    assert third.missing == ["No initiative answers “Bills” yet."]
    assert third.figures == []
    first = next(s for s in slides if s.key == "improvement-1")
    assert first.subtitle == "Refund tracker (approved)"
    assert any(b.startswith("Range P10–P90: $5k to $14k") for b in first.bullets)
    assert len(first.figures) == 1


def test_with_no_data_every_slide_says_what_is_missing():
    """An empty database still gives a full deck whose slides say what is missing."""
    deck = _build()
    assert deck.status == "done"
    slides = slides_build(deck.data)
    document = _html(deck)
    assert [s.key for s in slides] == [
        "title",
        "summary",
        "customers",
        "money",
        "improvement-1",
        "funding",
        "portfolio",
        "strategy",
        "metrics",
        "decisions",
        "appendix",
    ]
    for slide in slides:
        assert slide.missing, slide.key
        assert slide.figures == []
    assert "No ranking yet" in document
    assert "No funding sources recorded yet." in document
    assert "No decisions requested" in document


def test_the_static_chart_loader_is_the_layout_constant():
    """static/js/charts.js draws the chart divs; it must not drift from layout."""
    text = (ROOT / "static/js/charts.js").read_text()
    assert text.endswith(CHART_LOADER_JS)
