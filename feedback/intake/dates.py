"""Named date formats, and strings parsed into UTC timestamps: pure pandas."""

import re

import pandas as pd

# Named date formats: each name tries its strptime patterns in turn.
DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "iso": ("ISO8601",),
    "yyyy/m/d": ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"),
    "m/d/yyyy HH:MM": ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"),
    "d/m/yyyy": ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"),
    "d month yyyy": ("%d %B %Y", "%d %b %Y"),
}
DATE_FORMAT_ALIASES = {
    "iso8601": "iso",
    "ordinal": "d month yyyy",
    "19th november 2023": "d month yyyy",
    "yyyy/mm/dd": "yyyy/m/d",
    "m/d/yyyy": "m/d/yyyy HH:MM",
}
DATE_FORMAT_LABELS = {
    "iso": "ISO 8601 (2023-11-19 or 2023-11-19T14:30:00+01:00)",
    "yyyy/m/d": "yyyy/m/d (2020/3/18)",
    "m/d/yyyy HH:MM": "m/d/yyyy HH:MM (11/19/2023 14:30)",
    "d/m/yyyy": "d/m/yyyy (19/11/2023)",
    "d month yyyy": "d month yyyy (19th November 2023)",
}
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def date_format_name(name: str | None) -> str:
    """The canonical name of a date format, or the strptime pattern given."""
    name = (name or "iso").strip()
    if "%" in name:
        return name
    key = DATE_FORMAT_ALIASES.get(name.lower(), name)
    for known in DATE_FORMATS:
        if known.lower() == key.lower():
            return known
    raise ValueError(
        f"unknown date format {name!r}; use one of {', '.join(DATE_FORMATS)} "
        "or a strptime pattern such as %d.%m.%Y"
    )


def parse_dates(values: pd.Series, date_format: str = "iso") -> pd.Series:
    """Parse strings into UTC timestamps (naive ones are taken as UTC); NaT if not."""
    name = date_format_name(date_format)
    patterns = DATE_FORMATS.get(name, (name,))
    text = values.astype(str).str.strip()
    if name == "d month yyyy":
        text = text.str.replace(_ORDINAL, r"\1", regex=True)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    for pattern in patterns:
        todo = result.isna() & (text != "")
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=pattern, utc=True, errors="coerce")
        # A year such as 6513 parses but does not fit nanoseconds: not a date.
        years = parsed.dt.year
        parsed = parsed.where((years > 1677) & (years < 2262))
        result.loc[todo] = parsed.astype("datetime64[ns, UTC]")
    return result
