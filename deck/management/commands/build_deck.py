"""`manage.py build_deck [--format html|pdf|pptx] [--out PATH]`: build a new deck
version now, in this process (no worker), and optionally copy a file out."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deck import services
from deck.exporters import FORMATS


class Command(BaseCommand):
    help = (
        "Build a new leadership deck version synchronously from the live data. "
        "Without --format all three formats are built; --out copies the file (one "
        "format) or the files (several, into a directory)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            choices=FORMATS,
            help="html, pdf or pptx; repeat for several (default: all three).",
        )
        parser.add_argument("--out", help="File (one format) or directory to write.")

    def handle(self, *args, **options):
        formats = options["formats"] or list(FORMATS)
        deck = services.deck_request(user=None, formats=formats, enqueue=False)
        deck = services.deck_build(deck_id=deck.pk)
        built = [f for f in FORMATS if getattr(deck, f)]
        listed = ", ".join(built) or "nothing"
        self.stdout.write(f"Deck v{deck.version}: {deck.status}; built {listed}.")
        if options["out"]:
            self._copy_out(deck, built, formats, Path(options["out"]))
        missing = [f for f in formats if f not in built]
        if missing:
            raise CommandError(
                f"Could not build {', '.join(missing)}: {deck.error or 'unknown error'}"
            )

    def _copy_out(self, deck, built, formats, out: Path) -> None:
        if len(formats) == 1:
            targets = {formats[0]: out}
        else:
            out.mkdir(parents=True, exist_ok=True)
            targets = {f: out / f"cx-deck-v{deck.version}.{f}" for f in formats}
        for fmt, target in targets.items():
            if fmt not in built:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with getattr(deck, fmt).open("rb") as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            self.stdout.write(f"Wrote {target}")
