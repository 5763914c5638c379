"""Chart images for the PDF and PPTX decks, rendered in one Chromium session."""

import plotly.graph_objects as go

from charts.layout import figures_to_png
from deck.exporters import ExportError, require_chromium

WIDTH = 960
HEIGHT = 600


def slide_images(slides, *, fmt: str = "pdf", keep=None) -> list[list]:
    """PNG bytes of every figure, grouped per slide (same order as `slides`);
    with `keep(figure) -> bool`, only of the figures kept (None for the others).

    All figures go through one kaleido call because starting Chromium costs
    about as much as several renders. Raises ExportUnavailable without Chromium
    and ExportError when rendering fails."""
    path = require_chromium(fmt)
    chosen = [f for s in slides for f in s.figures if keep is None or keep(f)]
    if not chosen:
        return [[None] * len(s.figures) for s in slides]
    try:
        pngs = iter(
            figures_to_png(
                [_sized(f) for f in chosen],
                width=WIDTH,
                height=HEIGHT,
                browser_path=path,
            )
        )
    except Exception as exc:  # kaleido wraps browser failures in many types
        raise ExportError(f"Rendering the charts with Chromium failed: {exc}") from exc
    return [
        [next(pngs) if keep is None or keep(f) else None for f in slide.figures]
        for slide in slides
    ]


def _sized(fig: go.Figure) -> go.Figure:
    # The charts set a height for pages; an image fills its fixed box instead.
    copy = go.Figure(fig)
    copy.update_layout(height=HEIGHT, width=WIDTH)
    return copy
