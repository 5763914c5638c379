from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cxplan import demo


class Command(BaseCommand):
    help = (
        "Load the demo company (users, feedback, themes, ideas, initiatives, "
        "strategy). Idempotent: a second run adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=3000)
        parser.add_argument("--customers", type=int, default=1500)
        parser.add_argument(
            "--password",
            help="Password for newly created demo users (default: a random one, "
            "printed once).",
        )

    def handle(self, *args, **options):
        try:
            out = demo.seed(
                n_items=options["items"],
                n_customers=options["customers"],
                password=options["password"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Demo data: {out['feedback_written']} feedback items written, "
            f"{out['ideas_created']} ideas created."
        )
        if out["password"]:
            users = ", ".join(f"{u} ({r})" for r, u in out["users"].items())
            self.stdout.write(
                self.style.WARNING(
                    f"Demo users {users} share the password: {out['password']}\n"
                    "It is shown once; keep it."
                )
            )
        else:
            self.stdout.write("Demo users already existed; passwords unchanged.")
