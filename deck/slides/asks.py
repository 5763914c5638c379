"""Honest asks: which proposed initiatives the deck asks approval for.

An initiative whose median simulated NPV (P50; the point NPV without a Monte
Carlo run) is negative, or whose ROI is under the hurdle (the snapshot's
`roi_hurdle`, settings.CXPLAN_ROI_HURDLE), is *below the hurdle*. It is asked
for only with the reason a CX lead wrote (`ask_reason`), shown next to it;
without one it is held back and the deck says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charts.layout import format_money
from deck.slides.base import percent_text

DEFAULT_HURDLE = 0.10


@dataclass
class Ask:
    initiative: dict
    shortfalls: list[str] = field(default_factory=list)

    @property
    def below_hurdle(self) -> bool:
        return bool(self.shortfalls)

    @property
    def asked(self) -> bool:
        return not self.shortfalls or bool(self.initiative.get("ask_reason"))


def median_npv(initiative: dict) -> float | None:
    spread = initiative.get("range") or {}
    if spread.get("p50") is not None:
        return spread["p50"]
    return initiative.get("npv")


def shortfalls(initiative: dict, hurdle: float) -> list[str]:
    """Why an initiative is below the hurdle, in words ([] when it is not)."""
    out = []
    npv = median_npv(initiative)
    if npv is not None and npv < 0:
        out.append(f"P50 NPV {format_money(npv)}")
    roi = initiative.get("roi")
    if roi is not None and roi < hurdle:
        out.append(f"ROI {percent_text(roi)} under the {percent_text(hurdle)} hurdle")
    return out


def asks(data: dict) -> list[Ask]:
    """Every proposed initiative with its shortfalls, in the deck's order."""
    hurdle = data.get("roi_hurdle")
    hurdle = DEFAULT_HURDLE if hurdle is None else hurdle
    return [
        Ask(i, shortfalls(i, hurdle))
        for i in data.get("initiatives") or []
        if i.get("status") == "proposed"
    ]
