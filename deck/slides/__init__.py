"""The deck's slides, built from a snapshot dict alone (no ORM, no I/O).

`slides_build(data)` returns the slides in presentation order. Each slide has a
title, short bullets, quotes, figures drawn by the shared chart functions, and
presenter notes; when its data is missing, `missing` says so plainly and the
slide shows that sentence instead of a chart. Every exporter (HTML, PDF, PPTX)
renders the same list, so the three formats always agree.
"""

from deck.slides.appendix import appendix_slide
from deck.slides.base import Slide
from deck.slides.evidence import (
    customers_slide,
    improvement_slides,
    money_slide,
    title_slide,
)
from deck.slides.plan import (
    decisions_slide,
    funding_slide,
    metrics_slide,
    portfolio_slide,
    strategy_slide,
)
from deck.slides.summary import summary_slide

__all__ = ["Slide", "slides_build"]


def slides_build(data: dict) -> list[Slide]:
    """Every slide of the deck for a snapshot `data` (see snapshot_collect)."""
    return [
        title_slide(data),
        summary_slide(data),
        customers_slide(data),
        money_slide(data),
        *improvement_slides(data),
        funding_slide(data),
        portfolio_slide(data),
        strategy_slide(data),
        metrics_slide(data),
        decisions_slide(data),
        appendix_slide(data),
    ]
