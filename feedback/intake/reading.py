"""Read a feedback file's bytes into a table of strings: pure pandas, no ORM.

`read_table` turns bytes into a DataFrame of strings (UTF-8 with or without BOM,
Windows-1252 or Latin-1; comma, semicolon, tab or pipe, sniffed from the header).

Line numbers count records, the header being line 1: what a spreadsheet shows,
even when a quoted text spans several physical lines.
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


class FileError(ValueError):
    """The file as a whole cannot be read (not text, no header, empty)."""


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


def read_table(data: bytes, *, nrows: int | None = None) -> Table:
    """Parse CSV bytes into strings; rows with too many cells become errors.

    Rows with too few cells are padded with empty strings; blank lines are
    dropped. `nrows` reads only the first rows (the preview).
    """
    if not data or not data.strip():
        raise FileError("the file is empty")
    if b"\x00" in data[:8192]:
        raise FileError("the file is not a CSV text file")
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
