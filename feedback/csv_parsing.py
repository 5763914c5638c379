"""Read and validate feedback files: pure pandas, no ORM.

`read_table` turns bytes into a DataFrame of strings (UTF-8 with or without BOM,
Windows-1252 or Latin-1; comma, semicolon, tab or pipe, sniffed from the header).
`column_plan` matches the file's columns to the fields of DESIGN.md
(case-insensitively, through an optional mapping). `validate_frame` checks every
row and returns the clean rows, shaped for `feedback.services.ingest`, plus one
`{"line", "field", "message"}` per problem.

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

FIELDS = (
    "external_id",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer_id",
    "customer_name",
    "segment",
    "annual_revenue",
    "source",
)
REQUIRED = ("text", "created")
CHANNELS = ("survey", "ticket", "review", "chat", "social", "email", "call", "other")
# Words other systems use for our channels (CFPB's "Submitted via", help desks).
CHANNEL_ALIASES = {
    "phone": "call",
    "telephone": "call",
    "voice": "call",
    "e-mail": "email",
    "mail": "email",
    "postal mail": "other",
    "fax": "other",
    "web": "other",
    "referral": "other",
    "web form": "other",
    "live chat": "chat",
    "twitter": "social",
    "facebook": "social",
    "support ticket": "ticket",
    "reviews": "review",
}
SCORE_TYPES = {"nps": (0, 10), "csat": (1, 5), "stars": (1, 5)}
SCORE_TYPE_ALIASES = {"star": "stars", "rating": "stars"}
MAX_LENGTHS = {
    "external_id": 200,
    "text": 10_000,
    "customer_id": 200,
    "customer_name": 300,
    "segment": 100,
    "source": 100,
}
IGNORE = "ignore"
EXTRA = "extra"
DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

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


@dataclass
class ColumnPlan:
    columns: dict[str, str]  # field -> column of the file
    constants: dict[str, str]  # field -> value given in the mapping ("=value")
    extra: list[str]  # columns kept in `extra`
    ignored: list[str]
    errors: list[dict] = field(default_factory=list)

    def label(self, name: str) -> str:
        """What to call a field in an error: the file's column when it has one."""
        return self.columns.get(name, name)


@dataclass
class Validated:
    rows: pd.DataFrame  # clean rows, ready for `feedback_rows_ingest`
    lines: np.ndarray  # record number of each clean row
    errors: list[dict]
    total: int  # rows read (valid or not)

    @property
    def bad_lines(self) -> int:
        return len({e.get("line") for e in self.errors})


def normalise_name(name: str) -> str:
    """`Customer ID` and `customer-id` both become `customer_id`."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


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


def parse_mapping_args(pairs: list[str]) -> dict[str, str]:
    """`["Review Text=text", "=review=channel"]` -> mapping dict.

    The last `=` splits, so a column (or a `=value` constant) may hold one.
    """
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column or not target:
            raise ValueError(f"mapping {pair!r} is not column=field")
        mapping[column] = target.strip()
    return mapping


def column_plan(
    columns: list[str], mapping: dict[str, str] | None = None
) -> ColumnPlan:
    """Decide which column feeds which field.

    `mapping` maps a column (matched case-insensitively) to a field, to `extra`
    or to `ignore`; a key starting with `=` is a constant for every row
    (`{"=review": "channel"}`). Columns not mapped whose name is a field's name
    feed that field; the rest go to `extra`.
    """
    mapping = mapping or {}
    by_lower = {}
    for column in columns:
        by_lower.setdefault(str(column).strip().lower(), column)
    plan = ColumnPlan(columns={}, constants={}, extra=[], ignored=[])
    taken: set[str] = set()
    for key, target in mapping.items():
        target = normalise_name(target) if target else IGNORE
        if target in ("", "-", "none", "skip"):
            target = IGNORE
        if target not in FIELDS and target not in (EXTRA, IGNORE):
            plan.errors.append(
                {
                    "line": 1,
                    "field": key,
                    "message": f"'{target}' is not a field; use one of "
                    + ", ".join(FIELDS)
                    + ", extra or ignore",
                }
            )
            continue
        if key.startswith("="):
            if target in (EXTRA, IGNORE):
                continue
            plan.constants[target] = key[1:]
            continue
        column = by_lower.get(key.strip().lower())
        if column is None:
            plan.errors.append(
                {"line": 1, "field": key, "message": "no such column in the file"}
            )
            continue
        taken.add(column)
        if target == IGNORE:
            plan.ignored.append(column)
        elif target == EXTRA:
            plan.extra.append(column)
        elif target in plan.columns or target in plan.constants:
            plan.errors.append(
                {
                    "line": 1,
                    "field": key,
                    "message": f"{target} is mapped from two columns",
                }
            )
        else:
            plan.columns[target] = column
    for column in columns:
        if column in taken:
            continue
        name = normalise_name(column)
        if name in FIELDS and name not in plan.columns and name not in plan.constants:
            plan.columns[name] = column
        else:
            plan.extra.append(column)
    for name in REQUIRED:
        if name not in plan.columns and name not in plan.constants:
            plan.errors.append(
                {
                    "line": 1,
                    "field": name,
                    "message": f"no column gives the required field {name}; map one",
                }
            )
    return plan


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
        parsed = pd.to_datetime(
            text[todo], format=pattern, utc=True, errors="coerce"
        ).astype("datetime64[ns, UTC]")
        result.loc[todo] = parsed
    return result


class _Errors:
    """Collects errors as (row position, field label, message) arrays."""

    def __init__(self, lines: np.ndarray):
        self.lines = lines
        self.bad = np.zeros(len(lines), dtype=bool)
        self.items: list[tuple[int, str, str]] = []

    def add(self, mask, label: str, message) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        for pos in np.flatnonzero(mask):
            text = message(pos) if callable(message) else message
            self.items.append((int(pos), label, text))

    def as_dicts(self) -> list[dict]:
        return [
            {"line": int(self.lines[pos]), "field": label, "message": message}
            for pos, label, message in self.items
        ]


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def validate_frame(
    frame: pd.DataFrame,
    plan: ColumnPlan,
    *,
    lines: np.ndarray | None = None,
    date_format: str = "iso",
    default_source: str = "",
    derive_ids: bool = False,
) -> Validated:
    """Check every row; return the clean rows and an error per problem.

    `frame` holds strings. The clean rows carry the ingest columns: created as
    UTC timestamps, score and annual_revenue as floats (NaN when empty), extra
    as a dict of the non-empty unknown cells. Two rows with the same source and
    external id, or two rows alike in every cell, are duplicates: the later one
    is an error. With `derive_ids`, rows without an external id get one from a
    hash of their cells, so re-importing the same file updates them.
    """
    n = len(frame)
    lines = np.arange(2, n + 2) if lines is None else np.asarray(lines)
    frame = frame.reset_index(drop=True)
    errors = _Errors(lines)
    blank = pd.Series([""] * n, index=frame.index, dtype=object)

    def cells(name: str) -> pd.Series:
        if name in plan.columns:
            return frame[plan.columns[name]].astype(str).str.strip()
        if name in plan.constants:
            return pd.Series([plan.constants[name].strip()] * n, dtype=object)
        return blank.copy()

    out = pd.DataFrame(index=frame.index)
    for name in ("external_id", "customer_id", "customer_name", "segment", "source"):
        out[name] = cells(name)
    if default_source:
        out.loc[out["source"] == "", "source"] = default_source

    text = cells("text")
    out["text"] = text
    errors.add(text == "", plan.label("text"), "is required")

    for name, limit in MAX_LENGTHS.items():
        series = out[name]
        errors.add(
            series.str.len() > limit,
            plan.label(name),
            f"is longer than {limit:,} characters",
        )

    raw_created = cells("created")
    try:
        created = parse_dates(raw_created, date_format)
        format_label = date_format_name(date_format)
    except ValueError as exc:
        created = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
        format_label = None
        errors.add(np.ones(n, dtype=bool), plan.label("created"), str(exc))
    out["created"] = created
    errors.add(raw_created == "", plan.label("created"), "is required")
    if format_label is not None:
        raw = raw_created.to_numpy()
        errors.add(
            (raw_created != "") & created.isna(),
            plan.label("created"),
            lambda pos: (
                f"'{_short(raw[pos])}' is not a date in the format {format_label}"
            ),
        )

    channel = cells("channel").str.lower().replace(CHANNEL_ALIASES)
    channel = channel.where(channel != "", "other")
    out["channel"] = channel
    raw_channel = channel.to_numpy()
    errors.add(
        ~channel.isin(CHANNELS),
        plan.label("channel"),
        lambda pos: (
            f"'{_short(raw_channel[pos])}' is not a channel; use one of "
            + ", ".join(CHANNELS)
        ),
    )

    raw_score = cells("score").str.replace(",", ".", regex=False)
    score = pd.to_numeric(raw_score, errors="coerce")
    out["score"] = score.astype("float64")
    errors.add((raw_score != "") & score.isna(), plan.label("score"), "is not a number")
    score_type = cells("score_type").str.lower().replace(SCORE_TYPE_ALIASES)
    has_score = score.notna().to_numpy()
    out["score_type"] = score_type.where(has_score, "")
    errors.add(
        (score_type != "") & ~score_type.isin(list(SCORE_TYPES)),
        plan.label("score_type"),
        "must be nps, csat or stars",
    )
    errors.add(
        has_score & (score_type == ""),
        plan.label("score_type"),
        "is required with a score (nps, csat or stars)",
    )
    for kind, (low, high) in SCORE_TYPES.items():
        errors.add(
            has_score & (score_type == kind) & ((score < low) | (score > high)),
            plan.label("score"),
            f"must be between {low} and {high} for {kind}",
        )

    raw_revenue = cells("annual_revenue").str.replace(r"[\s$€£,]", "", regex=True)
    revenue = pd.to_numeric(raw_revenue, errors="coerce")
    out["annual_revenue"] = revenue.astype("float64")
    errors.add(
        (raw_revenue != "") & revenue.isna(),
        plan.label("annual_revenue"),
        "is not a number",
    )
    errors.add(revenue < 0, plan.label("annual_revenue"), "must be 0 or more")

    out["extra"] = _extra_dicts(frame, plan.extra)

    keyed = (out["external_id"] != "").to_numpy()
    key = out["source"] + "\x1f" + out["external_id"]
    _flag_duplicates(
        errors,
        key.where(keyed, None),
        plan.label("external_id"),
        "duplicate of line {first} (same source and external_id)",
    )
    fingerprint = _fingerprints(frame, out)
    _flag_duplicates(
        errors,
        fingerprint.where(~keyed, None),
        "",
        "exact duplicate of line {first}",
    )
    if derive_ids:
        out.loc[~keyed, "external_id"] = "h:" + fingerprint[~keyed]
    out["external_id"] = out["external_id"].where(out["external_id"] != "", None)

    good = ~errors.bad
    all_errors = sorted(plan.errors, key=lambda e: e["line"]) + sorted(
        errors.as_dicts(), key=lambda e: e["line"]
    )
    return Validated(
        rows=out.loc[good].reset_index(drop=True),
        lines=lines[good],
        errors=all_errors,
        total=n,
    )


def _extra_dicts(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    if not columns:
        return [{} for _ in range(len(frame))]
    sub = frame[columns].astype(str)
    return [
        {k: v for k, v in zip(columns, row, strict=True) if v != ""}
        for row in sub.itertuples(index=False, name=None)
    ]


def _fingerprints(frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """A stable 64-bit hash (hex) of a row's cells and its source."""
    cells = frame.astype(str) if len(frame.columns) else out[["text"]].astype(str)
    cells = cells.assign(__source=out["source"].astype(str).to_numpy())
    hashes = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    return pd.Series([f"{h:016x}" for h in hashes], index=frame.index, dtype=object)


def _flag_duplicates(errors: _Errors, keys: pd.Series, label: str, message: str):
    present = keys.notna()
    dup = keys.duplicated(keep="first") & present
    if not dup.any():
        return
    first_pos = {}
    for pos, value in zip(np.flatnonzero(present), keys[present], strict=True):
        first_pos.setdefault(value, pos)
    values = keys.to_numpy()
    errors.add(
        dup.to_numpy(),
        label,
        lambda pos: message.format(first=int(errors.lines[first_pos[values[pos]]])),
    )


def validate_records(
    records: list[dict], *, default_source: str = "", date_format: str = "iso"
) -> Validated:
    """Validate JSON objects (the API, the web form) with the file rules.

    Errors carry `index` (0-based position) instead of a line.
    """
    frame = pd.DataFrame(
        [{k: "" if v is None else str(v) for k, v in rec.items()} for rec in records],
        index=range(len(records)),
    )
    frame = frame.fillna("")
    columns = list(frame.columns)
    plan = column_plan(columns, {c: IGNORE for c in columns if c not in FIELDS})
    plan.errors = [e for e in plan.errors if e["field"] not in REQUIRED]
    for name in REQUIRED:
        if name not in plan.columns:
            frame[name] = ""
            plan.columns[name] = name
    result = validate_frame(
        frame,
        plan,
        lines=np.arange(len(records)),
        date_format=date_format,
        default_source=default_source,
    )
    if not result.rows.empty:
        extras = _json_extra(records)
        result.rows["extra"] = [extras[int(i)] for i in result.lines]
    result.errors = [{"index": e.pop("line"), **e} for e in result.errors]
    return result


def _json_extra(records: list[dict]) -> list[dict]:
    out = []
    for rec in records:
        extra = rec.get("extra") if isinstance(rec, dict) else None
        out.append(dict(extra) if isinstance(extra, dict) else {})
    return out
