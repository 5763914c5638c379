import json

from django.core.management.base import BaseCommand, CommandError

from feedback.services.theme_model import theme_model_train


class Command(BaseCommand):
    help = (
        "Train the theme model on the manual labels, store a version with its "
        "cross-validated macro-F1, and predict every unlabelled item."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Random seed.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        result = theme_model_train(seed=options["seed"])
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=str))
        elif result["status"] == "ready":
            f1 = result["cv_macro_f1"]
            self.stdout.write(
                f"Theme model v{result['version']}: "
                f"{result['labelled']} labelled items, "
                f"cross-validated macro-F1 "
                f"{'n/a' if f1 is None else f'{f1:.3f}'}, "
                f"{result['predicted']} model assignments "
                f"({result['duration_ms']} ms)"
            )
        if result["status"] == "failed":
            raise CommandError(f"training failed: {result['error']}")
        if result["status"] == "busy":
            raise CommandError("another training run is in progress; try again later")
