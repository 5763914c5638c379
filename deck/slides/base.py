"""The slide record and the small formatting helpers every slide uses."""

from dataclasses import dataclass, field

import plotly.graph_objects as go

TOP = 3
SHOWN_ON_FUNDING = 8


@dataclass
class Slide:
    key: str
    title: str
    subtitle: str = ""
    bullets: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: str = ""


def percent_text(value, *, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:+.0f} %" if signed else f"{value * 100:.0f} %"


def months_text(value) -> str:
    return "not within the horizon" if value is None else f"{value:.0f} months"


def ranked_themes(data: dict) -> list[dict]:
    return list(((data.get("ranking") or {}).get("themes")) or [])


def answering_initiative(theme: dict, initiatives: list[dict]) -> dict | None:
    """The initiative that answers a theme: linked to it, not rejected, best NPV."""
    linked = [
        i
        for i in initiatives
        if theme.get("theme_id") in (i.get("theme_ids") or [])
        and i.get("status") != "rejected"
    ]
    linked.sort(key=lambda i: -(i.get("npv") if i.get("npv") is not None else -1e18))
    return linked[0] if linked else None
