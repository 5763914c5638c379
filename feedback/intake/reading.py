"""Read a feedback file's bytes into a table of strings: pure pandas, no ORM.

`read_table` turns bytes into a DataFrame of strings (UTF-8 with or without BOM,
Windows-1252 or Latin-1; comma, semicolon, tab or pipe, sniffed from the header).

Line numbers count records, the header being line 1: what a spreadsheet shows,
even when a quoted text spans several physical lines.

`header_width` counts the header's cells from the file's first bytes only, so a
file far too wide is refused before pandas parses (or a page renders) its body.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_UNNAMED = re.compile(r"^Unnamed: (\d+)$")
# The header is looked for in the first bytes only; a header longer than this
# is counted as far as it goes.
HEADER_SCAN_BYTES = 1024 * 1024


class FileError(ValueError):
    """The file as a whole cannot be read (not text, no header, empty)."""


class TooManyColumns(FileError):
    """The header has more cells than the cap."""

    def __init__(self, count: int, cap: int):
        self.count, self.cap = count, cap
        super().__init__(
            f"its header has {count:,} columns; the limit is {cap:,}. "
            "Remove the columns you do not import and upload it again"
        )


@dataclass
class Table:
    frame: pd.DataFrame  # every cell a str ("" when empty)
    lines: np.ndarray  # the record number of each row (header = 1)
    encoding: str
    delimiter: str
    errors: list[dict] = field(default_factory=list)  # ragged rows


def decode(data: bytes) -> tuple[str, str]:
    """Text of the file and the encoding that read it (BOM dropped)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileError("the file is not text in UTF-8 or Latin-1")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate it holds most of."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best
    try:
        return (
            csv.Sniffer().sniff(text[:20_000], delimiters="".join(DELIMITERS)).delimiter
        )
    except csv.Error:
        return ","


def header_width(head: bytes) -> int:
    """How many cells the first record of `head` has, with the delimiter that
    gives the most (so never fewer than `read_table` will see).

    Reads at most `HEADER_SCAN_BYTES`. Latin-1 decodes any bytes, and keeps the
    ASCII delimiters and quotes where every supported encoding has them.
    """
    text = head[:HEADER_SCAN_BYTES].decode("latin-1")
    widest = 0
    for delimiter in DELIMITERS:
        try:
            first = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
            width = len(first)
        except csv.Error:  # a cell over csv's field size limit
            width = text.split("\n", 1)[0].count(delimiter) + 1
        widest = max(widest, width)
    return widest


def check_width(head: bytes, *, max_columns: int) -> None:
    """Raise `TooManyColumns` when the header is wider than `max_columns`."""
    width = header_width(head)
    if width > max_columns:
        raise TooManyColumns(width, max_columns)


def read_table(
    data: bytes, *, nrows: int | None = None, max_columns: int | None = None
) -> Table:
    """Parse CSV bytes into strings; rows with too many cells become errors.

    Rows with too few cells are padded with empty strings; blank lines are
    dropped. `nrows` reads only the first rows (the preview). A header wider
    than `max_columns` raises `TooManyColumns` before the body is parsed.
    """
    if not data or not data.strip():
        raise FileError("the file is empty")
    if b"\x00" in data[:8192]:
        raise FileError("the file is not a CSV text file")
    if max_columns is not None:
        check_width(data, max_columns=max_columns)
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                on_bad_lines="warn",
                nrows=nrows,
                engine="c",
            )
        except pd.errors.EmptyDataError as exc:
            raise FileError("the file has no header row") from exc
        except pd.errors.ParserError as exc:
            raise FileError(f"the file is not valid CSV: {exc}") from exc
    errors = []
    bad: list[int] = []
    for warning in caught:
        for match in re.finditer(
            r"Skipping line (\d+): expected (\d+) fields, saw (\d+)",
            str(warning.message),
        ):
            line, expected, saw = (int(g) for g in match.groups())
            bad.append(line)
            errors.append(
                {
                    "line": line,
                    "field": "",
                    "message": f"has {saw} cells where the header has {expected}",
                }
            )
    frame = frame.rename(columns=_name_unnamed(list(frame.columns)))
    frame = frame.fillna("")
    lines = _record_numbers(len(frame), sorted(bad))
    blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else None
    if blank is not None and blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        lines = lines[~blank]
    return Table(frame, lines, encoding, delimiter, errors)


def _name_unnamed(columns: list[str]) -> dict[str, str]:
    """An empty header cell gets `column_N` (1-based), not pandas' `Unnamed: N`."""
    renames = {}
    for name in columns:
        match = _UNNAMED.match(str(name))
        if match:
            renames[name] = f"column_{int(match.group(1)) + 1}"
    return renames


def _record_numbers(kept: int, bad: list[int]) -> np.ndarray:
    numbers = np.arange(2, kept + len(bad) + 2)
    if bad:
        numbers = numbers[~np.isin(numbers, bad)]
    return numbers[:kept]
