"""Validate feedback rows: pure pandas, no ORM.

`validate_frame` checks every row of a file read by `feedback.intake.reading`
through a `ColumnPlan` and returns the clean rows, shaped for
`feedback.services.ingest`, plus one `{"line", "field", "message"}` per problem.
`validate_records` applies the same rules to JSON objects (the API, the form).
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from feedback.intake.columns import ColumnPlan, column_plan
from feedback.intake.dates import date_format_name, parse_dates
from feedback.intake.fields import (
    CHANNEL_ALIASES,
    CHANNELS,
    FIELDS,
    IGNORE,
    MAX_LENGTHS,
    REQUIRED,
    SCORE_TYPE_ALIASES,
    SCORE_TYPES,
)
from feedback.intake.redaction import (
    redact_errors,
    redact_json,
    redact_many,
    zero_counts,
)


@dataclass
class Validated:
    rows: pd.DataFrame  # clean rows, ready for `feedback_rows_ingest`
    lines: np.ndarray  # record number of each clean row
    errors: list[dict]
    total: int  # rows read (valid or not)
    # Personal data replaced in the clean rows: {"email", "phone", "card"}.
    redacted: dict = field(default_factory=zero_counts)

    @property
    def bad_lines(self) -> int:
        return len({e.get("line") for e in self.errors})


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
    max_text_chars: int | None = None,
    pii_region: str | None = "US",
) -> Validated:
    """Check every row; return the clean rows and an error per problem.

    `frame` holds strings. The clean rows carry the ingest columns: created as
    UTC timestamps, score and annual_revenue as floats (NaN when empty), extra
    as a dict of the non-empty unknown cells. Two rows with the same source and
    external id, or two rows alike in every cell, are duplicates: the later one
    is an error. With `derive_ids`, rows without an external id get one from a
    hash of their cells, so re-importing the same file updates them.
    `max_text_chars` replaces the default text limit (a setting's value). A
    `created` given as a constant is read as ISO, whatever the file's format.
    Unless `pii_region` is None, e-mails, phone numbers (national formats of
    that region, or international) and card numbers in the text, the extra
    cells and the error messages are replaced by placeholders
    (`feedback.intake.redaction`); `redacted` counts them.
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

    limits = dict(MAX_LENGTHS)
    if max_text_chars:
        limits["text"] = int(max_text_chars)
    for name, limit in limits.items():
        series = out[name]
        errors.add(
            series.str.len() > limit,
            plan.label(name),
            f"is longer than {limit:,} characters",
        )

    raw_created = cells("created")
    if "created" in plan.constants:
        date_format = "iso"
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
        "must be nps, csat, stars or rating",
    )
    errors.add(
        has_score & (score_type == ""),
        plan.label("score_type"),
        "is required with a score (nps, csat, stars or rating)",
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
    rows = out.loc[good].reset_index(drop=True)
    redacted = zero_counts()
    if pii_region is not None:
        # Only the rows kept are counted: the others are never stored.
        all_errors = redact_errors(all_errors, region=pii_region)
        clean, redacted = redact_many(rows["text"].tolist(), region=pii_region)
        rows["text"] = pd.Series(clean, index=rows.index, dtype=object)
        if plan.extra:
            rows["extra"] = redact_json(list(rows["extra"]), pii_region, redacted)
    return Validated(
        rows=rows,
        lines=lines[good],
        errors=all_errors,
        total=n,
        redacted=redacted,
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
    records: list[dict],
    *,
    default_source: str = "",
    date_format: str = "iso",
    max_text_chars: int | None = None,
    pii_region: str | None = "US",
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
        max_text_chars=max_text_chars,
        pii_region=pii_region,
    )
    if not result.rows.empty:
        every = _json_extra(records)
        extras = [every[int(i)] for i in result.lines]
        if pii_region is not None:
            extras = redact_json(extras, pii_region, result.redacted)
        result.rows["extra"] = extras
    result.errors = [{"index": e.pop("line"), **e} for e in result.errors]
    return result


def _json_extra(records: list[dict]) -> list[dict]:
    out = []
    for rec in records:
        extra = rec.get("extra") if isinstance(rec, dict) else None
        out.append(dict(extra) if isinstance(extra, dict) else {})
    return out
