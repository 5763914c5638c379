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
    """0.125 -> "12.5%", 0.66 -> "66%", signed -> "+12.5%"; None -> "n/a"."""
    if value is None:
        return "n/a"
    shown = round(value * 100, 1)
    text = f"{shown:+.1f}" if signed else f"{shown:.1f}"
    return text.removesuffix(".0") + "%"


def months_text(value) -> str:
    return "not within the horizon" if value is None else f"{value:.0f} months"


def ranked_themes(data: dict) -> list[dict]:
    return list(((data.get("ranking") or {}).get("themes")) or [])


def improvements(data: dict) -> list[dict]:
    """Ranked themes customers complain about: praise themes (more positive
    than negative items) are strengths, not improvements."""
    return [t for t in ranked_themes(data) if not t.get("praise")]


def strengths(data: dict) -> list[dict]:
    return [t for t in ranked_themes(data) if t.get("praise")]


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
