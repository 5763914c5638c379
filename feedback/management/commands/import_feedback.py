"""Import a feedback CSV through the same path as the upload page and the API."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feedback.intake.columns import constants_check, parse_mapping_args
from feedback.intake.dates import DATE_FORMATS, date_format_name
from feedback.intake.reading import FileError, TooManyColumns
from feedback.selectors.import_preview import mapping_propose, preview_read
from feedback.selectors.imports import column_mapping_get
from feedback.services import imports as services


class Command(BaseCommand):
    help = (
        "Import a feedback CSV. Validates the whole file first: every bad row is "
        "printed as line, column and message, and nothing is imported (exit 1) "
        "unless --skip-invalid. Re-running updates items by (source, external_id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--source", default="", help="Source name (default: the file name)."
        )
        parser.add_argument(
            "--mapping",
            nargs="*",
            default=None,
            metavar="COLUMN=FIELD",
            help="Map a column to a field, `extra` or `ignore`; `=VALUE=FIELD` "
            "sets a constant (e.g. `=review=channel`). Default: the mapping "
            "remembered for the source, else matching names.",
        )
        parser.add_argument(
            "--date-format",
            default=None,
            help="One of: " + ", ".join(DATE_FORMATS) + ", or a "
            "strptime pattern (default: remembered for the source, else iso).",
        )
        parser.add_argument(
            "--constant",
            action="append",
            default=None,
            metavar="FIELD=VALUE",
            help="A value for every row, e.g. `score_type=rating`, "
            "`channel=review`, `created=import_date` (dated today, with a note "
            "on the batch) or `created=2024-01-31`. Repeatable.",
        )
        parser.add_argument(
            "--guess",
            action="store_true",
            help="Propose the mapping, constants and date format from the "
            "file's headers and first rows (feedback/intake/guess.py) for what "
            "is not given; printed before the import.",
        )
        parser.add_argument(
            "--skip-empty-text",
            action="store_true",
            help="Count rows without text as skipped instead of as errors.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows; list and skip the bad ones.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        source = options["source"] or path.stem
        data = path.read_bytes()
        try:
            constants = (
                None
                if options["constant"] is None
                else constants_check(dict(_pair(p) for p in options["constant"]))
            )
            # `--mapping` with no pairs is a mapping given: match by name only.
            filled = column_mapping_get(
                source=source,
                mapping=(
                    parse_mapping_args(options["mapping"])
                    if options["mapping"] is not None
                    else None
                ),
                date_format=options["date_format"],
                constants=constants,
            )
            mapping, constants = filled.mapping, filled.constants
            date_format = filled.date_format
            if options["guess"]:
                table = preview_read(data, max_columns=services.columns_cap())
                proposal = mapping_propose(source="", sample=table.frame)
                if options["mapping"] is None:
                    mapping = proposal.mapping
                if options["constant"] is None:
                    constants = proposal.constants
                if options["date_format"] is None:
                    date_format = proposal.date_format
                self.stdout.write(
                    f"Guessed: mapping {mapping}, constants {constants}, "
                    f"dates {date_format}"
                )
            date_format_name(date_format)
        except (ValueError, FileError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            batch = services.import_batch_create(
                file=data,
                source=source,
                mapping=mapping,
                constants=constants,
                date_format=date_format,
                skip_invalid=options["skip_invalid"],
                skip_empty_text=options["skip_empty_text"],
                original_name=path.name,
                enqueue=False,
                check_size=False,
            )
        except TooManyColumns as exc:
            raise CommandError(f"{path.name} cannot be imported: {exc}.") from exc
        summary = services.import_batch_run(batch_id=batch.pk)
        batch.refresh_from_db()
        for note in batch.notes:
            self.stdout.write(f"Note: {note}")
        for error in batch.errors:
            line = "-" if error.get("line") is None else error["line"]
            column = error.get("field") or "-"
            self.stderr.write(f"line {line}, column {column}: {error['message']}")
        if summary["status"] != "done":
            raise CommandError(
                f"{len(batch.errors)} error(s) in {path.name}; nothing was imported "
                "(fix the rows, or pass --skip-invalid)."
            )
        self.stdout.write(
            f"Imported {batch.rows_imported} of {batch.rows_total} rows from "
            f"{path.name} as source {batch.source}: {batch.rows_created} new, "
            f"{batch.rows_updated} updated, {batch.rows_skipped} skipped "
            f"(batch {batch.pk})."
        )


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"constant {text!r} is not field=value")
    return name.strip(), value.strip()
