"""Before anything is written: the mapping proposed for a file, and its first
rows parsed as they would be stored, with their problems.

`mapping_propose` answers the mapping remembered for the source, else the
guess of `feedback.intake.guess` over a sample of the file. `import_preview`
(the preview API and the upload page's mapping step) runs the first
`PREVIEW_ROWS` rows through the import's own validation with that mapping, or
with the one given, so what it shows is what the import will store.
"""

import math
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

from feedback.intake.columns import constants_check
from feedback.intake.fields import FIELDS
from feedback.intake.guess import SAMPLE_ROWS, mapping_guess
from feedback.intake.reading import Table, read_table
from feedback.intake.validation import validate_frame
from feedback.selectors.imports import column_mapping_get, source_mapping_get
from feedback.services.pii import pii_region

PREVIEW_ROWS = 20
# The preview shows every field of the feedback contract, in its order.
SHOWN = FIELDS


@dataclass
class Proposal:
    mapping: dict[str, str]  # column -> field
    constants: dict[str, str]  # field -> value
    date_format: str
    confidence: dict[str, float]  # field -> 0..1 (the guess's)
    remembered: bool  # from the source's last import
    skip_empty_text: bool = False  # many rows have no text


def mapping_propose(*, source: str, sample: pd.DataFrame) -> Proposal:
    """The source's remembered mapping, else the guess for this sample."""
    guess = mapping_guess(sample)
    remembered = source_mapping_get(source=source) if source else None
    if remembered is not None:
        return Proposal(
            mapping=dict(remembered.mapping),
            constants=dict(remembered.constants),
            date_format=remembered.date_format,
            confidence=guess.confidence,
            remembered=True,
            skip_empty_text=guess.skip_empty_text,
        )
    return Proposal(
        mapping=guess.mapping,
        constants=guess.constants,
        date_format=guess.date_format,
        confidence=guess.confidence,
        remembered=False,
        skip_empty_text=guess.skip_empty_text,
    )


def _value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    return value


def import_preview(
    *,
    table: Table,
    source: str = "",
    mapping: dict[str, str] | None = None,
    constants: dict[str, str] | None = None,
    date_format: str = "",
    skip_empty_text: bool = False,
) -> dict:
    """`{"columns", "mapping", "constants", "date_format", "confidence",
    "remembered", "rows", "problems"}` for a file read by `read_table`.

    `mapping=None`: the proposal (`mapping_propose`). Each row is
    `{"line", "status": ok|problem|skipped, <field>: value, "problems"}`:
    ok rows as stored, the others as the file gives them. Raises `ValueError`
    for a constant that cannot be.
    """
    proposal = mapping_propose(source=source, sample=table.frame.head(SAMPLE_ROWS))
    if mapping is None:
        mapping = proposal.mapping
        constants = proposal.constants if constants is None else constants
    date_format = date_format or proposal.date_format
    constants = constants_check(constants or {})
    filled = column_mapping_get(
        columns=list(table.frame.columns),
        mapping=mapping,
        constants=constants,
        date_format=date_format or "iso",
    )
    plan = filled.plan
    head = table.frame.head(PREVIEW_ROWS)
    lines = table.lines[: len(head)]
    problems = [dict(e) for e in plan.errors]
    rows = []
    if not plan.errors:
        text_column = plan.columns.get("text")
        empty = set()
        if skip_empty_text and text_column:
            empty = set(lines[(head[text_column].str.strip() == "").to_numpy()])
        keep = [line not in empty for line in lines]
        result = validate_frame(
            head.loc[keep].reset_index(drop=True),
            plan,
            lines=lines[keep],
            date_format=filled.date_format,
            default_source=source,
            max_text_chars=settings.CXPLAN_MAX_TEXT_CHARS,
            pii_region=pii_region(),
        )
        problems += result.errors
        rows = _rows(head, lines, plan, result, empty)
    return {
        "columns": [str(c) for c in table.frame.columns],
        "mapping": {column: name for name, column in plan.columns.items()},
        "constants": constants,
        "date_format": filled.date_format,
        "confidence": proposal.confidence,
        "remembered": proposal.remembered,
        "skip_empty_text_proposed": proposal.skip_empty_text,
        "rows": rows,
        "problems": problems,
    }


def _rows(head, lines, plan, result, empty) -> list[dict]:
    stored = {
        int(line): rec
        for line, rec in zip(result.lines, result.rows.to_dict("records"), strict=True)
    }
    by_line: dict[int, list[str]] = {}
    for error in result.errors:
        by_line.setdefault(error["line"], []).append(
            f"{error['field'] or 'row'}: {error['message']}"
        )
    rows = []
    for pos, line in enumerate(int(x) for x in lines):
        if line in stored:
            rec = stored[line]
            row = {name: _value(rec.get(name)) for name in SHOWN}
            status = "ok"
        else:
            row = {
                name: (
                    head.iloc[pos][plan.columns[name]]
                    if name in plan.columns
                    else plan.constants.get(name)
                )
                for name in SHOWN
            }
            status = "skipped" if line in empty else "problem"
        rows.append(
            {"line": line, "status": status, **row, "problems": by_line.get(line, [])}
        )
    return rows


def preview_read(data: bytes, *, max_columns: int) -> Table:
    """The first rows of a file, enough to guess from and to preview."""
    return read_table(data, nrows=SAMPLE_ROWS, max_columns=max_columns)
