"""Chart images for the PDF and PPTX decks, rendered in one Chromium session."""

import plotly.graph_objects as go

from charts.layout import figures_to_png
from deck.exporters import ExportError, require_chromium

WIDTH = 960
HEIGHT = 600


def slide_images(slides, *, fmt: str = "pdf") -> list[list[bytes]]:
    """PNG bytes of every figure, grouped per slide (same order as `slides`).

    All figures go through one kaleido call because starting Chromium costs
    about as much as several renders. Raises ExportUnavailable without Chromium
    and ExportError when rendering fails."""
    path = require_chromium(fmt)
    figures = [_sized(f) for s in slides for f in s.figures]
    if not figures:
        return [[] for _ in slides]
    try:
        pngs = figures_to_png(figures, width=WIDTH, height=HEIGHT, browser_path=path)
    except Exception as exc:  # kaleido wraps browser failures in many types
        raise ExportError(f"Rendering the charts with Chromium failed: {exc}") from exc
    out, index = [], 0
    for slide in slides:
        out.append(pngs[index : index + len(slide.figures)])
        index += len(slide.figures)
    return out


def _sized(fig: go.Figure) -> go.Figure:
    # The charts set a height for pages; an image fills its fixed box instead.
    copy = go.Figure(fig)
    copy.update_layout(height=HEIGHT, width=WIDTH)
    return copy
