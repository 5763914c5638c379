"""Reads for imports: which column of a file feeds which field, in which format.

`column_mapping_get` is the one place that fills a column mapping, for the
upload page, its form, the API, the command and the batch run alike: the
mapping given, else the one remembered for the source, then, once the file's
columns are known, the columns left over matched to fields by name
(case-insensitively, `feedback.intake.columns.column_plan`).
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils import timezone

from feedback.export_format import neutralise
from feedback.intake.columns import ColumnPlan, column_plan, with_constants
from feedback.intake.errors import error_kind
from feedback.models import ImportBatch, SourceMapping

DEFAULT_DATE_FORMAT = "iso"


@dataclass(frozen=True)
class ColumnMapping:
    mapping: dict[str, str]  # column -> field (or `=value` -> field), as stored
    date_format: str  # as given or remembered, not yet checked
    remembered: SourceMapping | None  # what the source remembered, if looked up
    plan: ColumnPlan | None  # with the file's columns: every column placed
    constants: dict[str, str] = field(default_factory=dict)  # field -> value


def source_mapping_get(*, source: str) -> SourceMapping | None:
    """The mapping and date format last used for `source`, or None."""
    return SourceMapping.objects.filter(source=source).first()


def column_mapping_get(
    *,
    source: str = "",
    columns: list[str] | None = None,
    mapping: dict[str, str] | None = None,
    date_format: str | None = None,
    constants: dict[str, str] | None = None,
    import_date: str = "",
) -> ColumnMapping:
    """Fill a column mapping and a date format: given, else remembered, else by name.

    `mapping=None` and an empty `date_format` mean "not given": the source's
    remembered `SourceMapping` fills them (`{}` and "iso" when there is none;
    `source=""` looks nothing up). With `columns`, `plan` places every column of
    the file: the mapping first, then names matching a field, the rest in extra.
    `constants=None` is "not given" too (the remembered ones, else none); in
    the plan each constant replaces a column mapped to its field, and
    `created=import_date` stands for `import_date` (ISO; default today).
    """
    remembered = None
    if source and (mapping is None or not date_format or constants is None):
        remembered = source_mapping_get(source=source)
    if mapping is None:
        mapping = remembered.mapping if remembered else {}
    if constants is None:
        constants = remembered.constants if remembered else {}
    if not date_format:
        date_format = remembered.date_format if remembered else DEFAULT_DATE_FORMAT
    plan = None
    if columns is not None:
        day = import_date or timezone.localdate().isoformat()
        plan = column_plan(columns, with_constants(mapping, constants, import_date=day))
    return ColumnMapping(
        mapping=mapping,
        date_format=date_format,
        remembered=remembered,
        plan=plan,
        constants=constants,
    )


def import_errors_csv(*, batch: ImportBatch) -> str:
    """Every error kept on the batch as CSV (line, column, kind, message),
    formula cells neutralised like the feedback export's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["line", "column", "kind", "message"])
    for error in batch.errors:
        line = error.get("line")
        writer.writerow(
            [
                "" if line is None else line,
                neutralise(str(error.get("field") or "")),
                neutralise(error_kind(error)),
                neutralise(str(error.get("message", ""))),
            ]
        )
    return buffer.getvalue()
