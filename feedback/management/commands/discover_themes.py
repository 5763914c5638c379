import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from feedback.selectors.themes import suggestions_open
from feedback.services.theme_admin import theme_discovery_run


class Command(BaseCommand):
    help = (
        "Propose candidate themes from the negative feedback no theme covers "
        "(replaces the open suggestions)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--k", type=int, default=5, help="How many candidates (1-30, default 5)."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        try:
            theme_discovery_run(k=options["k"], seed=options["seed"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        views = suggestions_open()
        if options["json"]:
            payload = [
                {
                    "id": v.suggestion.pk,
                    "name": v.suggestion.name,
                    "terms": v.suggestion.terms,
                    "size": v.suggestion.size,
                    "quotes": [i.text for i in v.examples],
                }
                for v in views
            ]
            self.stdout.write(json.dumps(payload, indent=2))
            return
        if not views:
            self.stdout.write("No uncovered negative feedback to group.")
        for v in views:
            self.stdout.write(
                f"#{v.suggestion.pk} {v.suggestion.name} ({v.suggestion.size} items): "
                + ", ".join(v.suggestion.terms)
            )
            for item in v.examples:
                self.stdout.write(f"    “{item.text[:160]}”")
