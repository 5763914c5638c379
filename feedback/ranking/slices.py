"""A slice of the feedback: a date range and item filters (segment, channel).

Pure: the standard library. The ranking's SQL takes the filter as constant
fragments with placeholders (`ItemFilter.sql`), never as text built from the
values, and the ORM takes the same filter as lookups (`ItemFilter.lookups`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from feedback.ranking.formula import Window


@dataclass(frozen=True)
class ItemFilter:
    """Which items count: those of one segment and/or one channel (None: any)."""

    segment: str | None = None
    channel: str | None = None

    @property
    def empty(self) -> bool:
        return self.segment is None and self.channel is None

    def sql(self, alias: str = "i") -> tuple[str, list[str]]:
        """(` AND i.segment = %s ...`, [values]): appended to a WHERE clause.

        Only the fragments below are ever added to the SQL; the values travel
        as query parameters."""
        fragments, params = [], []
        if self.segment is not None:
            fragments.append(f" AND {alias}.segment = %s")
            params.append(self.segment)
        if self.channel is not None:
            fragments.append(f" AND {alias}.channel = %s")
            params.append(self.channel)
        return "".join(fragments), params

    def lookups(self, prefix: str = "") -> dict[str, str]:
        """ORM lookups of the same filter (`prefix` e.g. "item__")."""
        out = {}
        if self.segment is not None:
            out[f"{prefix}segment"] = self.segment
        if self.channel is not None:
            out[f"{prefix}channel"] = self.channel
        return out


def slice_window(start: date, end: date) -> Window:
    """The ranking window of the days `start` to `end`, both inclusive.

    Its newest third is round(days / 3) whole days (at least one), as in
    `formula.window_bounds`; a one-day window is all newest third. Raises
    ValueError when end is before start.
    """
    if end < start:
        raise ValueError("end is before start")
    days = (end - start).days + 1
    stop = end + timedelta(days=1)
    recent = max(1, round(days / 3))
    return Window(start=start, end=stop, recent_start=stop - timedelta(days=recent))


# Three years of days, a leap day included: a longer slice is refused.
MAX_DAYS = 3 * 365 + 1


def slice_errors(*, start: date, end: date) -> dict[str, str]:
    """What is wrong with the range `start`..`end` (inclusive), by field:
    {} when nothing is. The message names `end` for both checks, since the
    range is read from start."""
    if end < start:
        return {"end": "The end date is before the start date."}
    if (end - start).days + 1 > MAX_DAYS:
        return {"end": f"A slice spans at most 3 years ({MAX_DAYS} days)."}
    return {}
