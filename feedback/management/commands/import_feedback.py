"""Import a feedback CSV through the same path as the upload page and the API."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feedback.intake.columns import parse_mapping_args
from feedback.intake.dates import DATE_FORMATS, date_format_name
from feedback.intake.reading import TooManyColumns
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
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows; list and skip the bad ones.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        source = options["source"] or path.stem
        try:
            # `--mapping` with no pairs is a mapping given: match by name only.
            filled = column_mapping_get(
                source=source,
                mapping=(
                    parse_mapping_args(options["mapping"])
                    if options["mapping"] is not None
                    else None
                ),
                date_format=options["date_format"],
            )
            date_format_name(filled.date_format)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            batch = services.import_batch_create(
                file=path.read_bytes(),
                source=source,
                mapping=filled.mapping,
                date_format=filled.date_format,
                skip_invalid=options["skip_invalid"],
                original_name=path.name,
                enqueue=False,
                check_size=False,
            )
        except TooManyColumns as exc:
            raise CommandError(f"{path.name} cannot be imported: {exc}.") from exc
        summary = services.import_batch_run(batch_id=batch.pk)
        batch.refresh_from_db()
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
