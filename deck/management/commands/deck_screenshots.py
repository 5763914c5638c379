"""`manage.py deck_screenshots [--out DIR]`: build a new HTML deck from the
live data, then save a picture of every slide at 1920x1080 (docs/deck/ by
default) and a README listing them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deck import services
from deck.exporters import ExportError
from deck.exporters.screenshots import readme_text, slide_screenshots
from deck.slides import slides_build


class Command(BaseCommand):
    help = "Save one picture per deck slide at 1920x1080, with a README."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="docs/deck", help="Folder to write.")

    def handle(self, *args, **options):
        out = Path(options["out"])
        deck = services.deck_request(user=None, formats=["html"], enqueue=False)
        deck = services.deck_build(deck_id=deck.pk)
        if not deck.html:
            raise CommandError(f"Could not build the HTML deck: {deck.error}")
        html = Path(deck.html.path)
        try:
            files = slide_screenshots(html, out)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        titles = [s.title for s in slides_build(deck.data)]
        built = (deck.finished_at or deck.created_at).strftime("%Y-%m-%d")
        (out / "README.md").write_text(
            readme_text(files, titles, version=deck.version, built_at=built),
            encoding="utf-8",
        )
        for path in files:
            self.stdout.write(f"Wrote {path} ({path.stat().st_size // 1024} KB)")
