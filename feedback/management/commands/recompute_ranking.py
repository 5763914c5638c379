from django.core.management.base import BaseCommand

from feedback.services.ranking import ranking_recompute, ranking_request


class Command(BaseCommand):
    help = (
        "Recompute the top-three ranking. Without --sync the work is queued for "
        "a worker (or runs at once when tasks run eagerly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sync", action="store_true", help="Compute here and wait for it."
        )

    def handle(self, *args, **options):
        if options["sync"]:
            outcome = ranking_recompute(force=True)
            if outcome["status"] == "busy":
                self.stderr.write("Another recompute holds the lock; try later.")
                raise SystemExit(1)
            self.stdout.write(
                f"Ranking snapshot {outcome.get('snapshot_id')} computed "
                f"({outcome.get('themes', 0)} themes, "
                f"{outcome.get('duration_ms', 0)} ms)."
            )
            return
        ranking_request()
        self.stdout.write("Recompute requested.")
