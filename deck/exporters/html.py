"""The self-contained HTML deck: plotly.js and the scripts inlined, no network."""

import base64
import hashlib
import re
from functools import cache

import plotly.graph_objects as go
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from charts.layout import to_html

SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@cache
def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _inline(js: str) -> str:
    # "</script" inside a script would end the tag early.
    return mark_safe(js.replace("</script", "<\\/script"))  # noqa: S308


def _chart(fig: go.Figure, div_id: str) -> str:
    # On a slide the chart fills its box, so the page height the chart set goes.
    copy = go.Figure(fig)
    copy.update_layout(height=None, width=None, autosize=True)
    return mark_safe(to_html(copy, div_id=div_id))  # noqa: S308


def deck_html(slides, *, meta: dict, title: str = "", brand: dict | None = None) -> str:
    """The whole deck as one HTML document (about 5 MB, mostly plotly.js) that
    opens offline: one `<section class="slide">` per slide, keyboard navigation
    and presenter notes (N). `meta` has `version`, `built_at`, `built_by`."""
    rows = []
    for number, slide in enumerate(slides, start=1):
        rows.append(
            {
                "key": slide.key,
                "title": slide.title,
                "subtitle": slide.subtitle,
                "bullets": slide.bullets,
                "quotes": slide.quotes,
                "missing": slide.missing,
                "notes": slide.notes,
                "charts": [
                    _chart(fig, f"slide-{number}-chart-{i}")
                    for i, fig in enumerate(slide.figures, start=1)
                ],
            }
        )
    return render_to_string(
        "deck/export.html",
        {
            "slides": rows,
            "meta": meta,
            "brand": brand or {},
            "deck_title": title or (slides[0].title if slides else "Deck"),
            "plotly_js": _inline(_plotly_js()),
            "loader_js": _inline(_static_text("js/charts.js")),
            "present_js": _inline(_static_text("js/deck_present.js")),
        },
    )


def script_hashes(document: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline script of a deck,
    so the app can serve the deck with inline scripts allowed by hash only."""
    return [
        "'sha256-"
        + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        + "'"
        for body in SCRIPT.findall(document)
    ]
