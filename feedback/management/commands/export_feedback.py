"""Export feedback items with theme names and sentiment, as CSV or JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand

from feedback import export_format
from feedback.selectors.feedback import feedback_export_rows


class Command(BaseCommand):
    help = (
        "Export every feedback item with its themes (names joined by ';', most "
        "confident first), sentiment and polarity. CSV cells that would run as a "
        "spreadsheet formula are neutralised."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--out", default=None, help="File to write (default: stdout)."
        )

    def handle(self, *args, **options):
        rows = feedback_export_rows()
        if options["format"] == "json":
            body = export_format.to_json(rows)
        else:
            body = export_format.to_csv(rows)
        if options["out"]:
            Path(options["out"]).write_text(body, encoding="utf-8")
            self.stderr.write(f"Wrote {len(rows)} items to {options['out']}.")
        else:
            self.stdout.write(body, ending="")
