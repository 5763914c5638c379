import json

from django.core.management.base import BaseCommand

from feedback.selectors.ranking import ranking_payload, ranking_view


class Command(BaseCommand):
    help = "Print the latest ranking snapshot (the top N themes with their numbers)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--top", type=int, default=None, help="Only the top N.")

    def handle(self, *args, **options):
        top = options["top"]
        if top is not None and top < 1:
            self.stderr.write("--top must be at least 1")
            raise SystemExit(2)
        payload = ranking_payload(view=ranking_view(), hidden=frozenset(), top=top)
        if options["json"]:
            self.stdout.write(json.dumps(payload, indent=2))
            return
        if payload["id"] is None:
            self.stdout.write("No ranking yet: run `recompute_ranking --sync`.")
            return
        window = payload["window"]
        self.stdout.write(
            f"Ranking {payload['id']} of {payload['computed_at']} "
            f"(window {window['start']} .. {window['end']}, {window['items']} items)"
        )
        for t in payload["themes"]:
            p = "-" if t["p_top3"] is None else f"{t['p_top3']:.0%}"
            self.stdout.write(
                f"{t['rank']:>2}. {t['theme']:<30} score {t['score']:.3f}  "
                f"customers {t['customers']:>5}  negative {t['negative_share']:.0%}  "
                f"revenue at risk {t['revenue_at_risk']:>12,.0f}  "
                f"trend {t['trend']:+.0%}  votes {t['votes']}  P(top 3) {p}"
            )
