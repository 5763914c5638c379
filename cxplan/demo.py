"""The demo company that `seed_demo` loads: users, feedback, themes, ideas,
initiatives and strategy progress. Every part is idempotent."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE
from feedback import demo_generator
from feedback.models import FeedbackItem, Idea, Theme, Vote

DEMO_USERS = (
    ("clara", "Clara", "Lead", CX_LEAD),
    ("evan", "Evan", "Exec", EXECUTIVE),
    ("ada", "Ada", "Advisor", ADVISOR),
)

DEMO_IDEAS = (
    (
        "Show refund status in the app",
        "Customers call us three or four times to ask where their refund is.",
        "A refund tracker in the app with the expected date.",
        ("Slow refunds",),
    ),
    (
        "Call-back instead of holding",
        "People wait on hold for ages in the evening peak and give up.",
        "Offer a call-back slot when the queue is longer than ten minutes.",
        ("Long waits on the phone",),
    ),
    (
        "Fix the password reset email",
        "The reset email often lands in spam or never arrives at all.",
        "Send the reset code by text message as well.",
        ("App log-in problems",),
    ),
    (
        "Explain the first bill",
        "The first bill is always higher because of part-months; customers think "
        "they were overcharged.",
        "Send a short explainer with the first bill.",
        ("Billing errors",),
    ),
    (
        "Community forum",
        "Some customers like to swap tips with each other.",
        "Build a community forum.",
        (),
    ),
)


def users_ensure(*, password: str | None = None) -> tuple[dict, str | None]:
    """Create the three demo users; return them and the password if newly set.

    A `password` given must pass AUTH_PASSWORD_VALIDATORS (ValidationError
    otherwise, before any user is created), as one typed at a prompt would.
    """
    if password is not None:
        validate_password(password)
    User = get_user_model()
    users = {}
    new_password = None
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
            },
        )
        if created:
            # 12 random bytes are 16 characters, past the validators' 12.
            new_password = new_password or password or secrets.token_urlsafe(12)
            user.set_password(new_password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    return users, new_password


def themes_ensure() -> dict[str, Theme]:
    """The demo themes with their keyword rules."""
    themes = {}
    for t in demo_generator.THEMES:
        theme, _ = Theme.objects.get_or_create(
            name=t.name,
            defaults={"description": t.description, "keywords": list(t.keywords)},
        )
        themes[t.name] = theme
    return themes


def feedback_ensure(*, n_items: int = 3000, n_customers: int = 1500) -> int:
    """Generate and ingest the demo feedback once; returns items written."""
    from feedback.services.ingest import feedback_rows_ingest

    if FeedbackItem.objects.filter(source="demo").exists():
        return 0
    rows = demo_generator.generate_feedback(
        n_items=n_items, n_customers=n_customers, end=timezone.now()
    )
    rows["created"] = rows["created"].map(lambda s: s)
    result = feedback_rows_ingest(rows=rows, default_source="demo")
    return result.total


def ideas_ensure(*, users: dict, themes: dict[str, Theme]) -> int:
    """Advisor ideas with a few votes."""
    made = 0
    for title, body, fix, theme_names in DEMO_IDEAS:
        idea, created = Idea.objects.get_or_create(
            title=title,
            defaults={"body": body, "suggested_fix": fix, "author": users[ADVISOR]},
        )
        if created:
            made += 1
            idea.themes.set([themes[n] for n in theme_names if n in themes])
            for role in (ADVISOR, CX_LEAD):
                if theme_names:
                    Vote.objects.get_or_create(idea=idea, user=users[role])
            idea.vote_count = idea.votes.count()
            idea.save(update_fields=["vote_count"])
    return made


# (title, theme, cost lines as (kind, label, low, likely, high), extra drivers)
DEMO_INITIATIVES = (
    (
        "Refund tracker in the app",
        "Slow refunds",
        (
            ("one_time", "Build the tracker and refund API", 60000, 80000, 110000),
            ("recurring", "Run and support", 8000, 10000, 14000),
        ),
    ),
    (
        "Reliable app log-in and password reset",
        "App log-in problems",
        (
            ("one_time", "Rebuild sign-in, text-message reset", 90000, 120000, 170000),
            ("internal_effort", "Security review", 10000, 15000, 20000),
            ("recurring", "Text messages and support", 12000, 15000, 20000),
        ),
    ),
    (
        "Right first bill",
        "Billing errors",
        (
            ("one_time", "Billing rules fixes and explainer", 70000, 95000, 140000),
            ("recurring", "Billing quality checks", 15000, 20000, 25000),
        ),
    ),
    (
        "Community forum",
        None,
        (
            ("one_time", "Forum platform and launch", 90000, 120000, 160000),
            ("recurring", "Moderation", 30000, 40000, 50000),
        ),
    ),
)


def initiatives_ensure(*, users: dict, themes: dict[str, Theme]) -> int:
    """Costed initiatives for three ranked themes and one pet project with no
    evidence; a 2027 budget that fully funds the log-in fix, so it can be approved."""
    from feedback.services.ranking import ranking_recompute
    from initiatives.models import Initiative
    from initiatives.selectors.funding import initiative_flows
    from initiatives.selectors.initiatives import theme_prefill
    from initiatives.services.funding import allocation_set, funding_source_create
    from initiatives.services.initiatives import initiative_create

    if Initiative.objects.exists():
        return 0
    # The demo's feedback is a sample: about one customer in SAMPLE writes to us,
    # so the prefilled volumes (customers, contacts) are scaled up to the base.
    sample = 20
    ranking_recompute(force=True)  # prefill reads the theme's ranking numbers
    lead = users[CX_LEAD]
    made = []
    for title, theme_name, lines in DEMO_INITIATIVES:
        theme = themes.get(theme_name) if theme_name else None
        drivers = theme_prefill(theme=theme)["drivers"] if theme else []
        for driver in drivers:
            for name in ("customers_affected", "contacts_per_year"):
                if name in driver["inputs"]:
                    driver["inputs"][name] = [
                        v * sample for v in driver["inputs"][name]
                    ]
        if not drivers:
            drivers = [
                {
                    "kind": "custom",
                    "label": "Fewer calls from forum self-help (a guess)",
                    "inputs": {"amount_per_year": [5000, 15000, 30000]},
                }
            ]
        made.append(
            initiative_create(
                actor=lead,
                title=title,
                problem=f"Customers tell us: {theme_name.lower()}."
                if theme_name
                else "An idea from the team; no customer theme asks for it.",
                themes=[theme] if theme else [],
                owner=lead,
                cost_lines=[
                    {"kind": k, "label": label, "low": lo, "likely": li, "high": hi}
                    for k, label, lo, li, hi in lines
                ],
                drivers=drivers,
            )
        )
    funded = made[1]
    needed = [float(v) for v in initiative_flows(funded).needed]
    budget = funding_source_create(
        actor=lead,
        name="CX budget 2027",
        kind="budget",
        amounts={year: round(value * 1.5, 2) for year, value in enumerate(needed)},
        note="Agreed with finance for the first year of the strategy.",
    )
    for year, value in enumerate(needed):
        if value:
            allocation_set(
                actor=lead, source=budget, initiative=funded, year=year, amount=value
            )
    return len(made)


def strategy_ensure(*, users: dict) -> None:
    """A strategy with a presentation date a month out and early progress."""
    from strategy.models import (
        STEP_KEYS,
        MissionVersion,
        StepStatus,
        Strategy,
        StrategyStep,
    )

    strategy, created = Strategy.objects.get_or_create(
        pk=1,
        defaults={
            "name": "Brightline customer experience strategy",
            "presentation_date": timezone.localdate() + timedelta(days=30),
            "corporate_strategy": "Grow broadband share in small business while "
            "cutting the cost to serve by a fifth over three years.",
            "who_we_are": "The provider that picks up the phone and fixes it first "
            "time.",
        },
    )
    if not created:
        return
    MissionVersion.objects.create(
        strategy=strategy,
        text="Make every customer's connection something they never have to "
        "think about, and every contact with us worth their time.",
        created_by=users[CX_LEAD],
    )
    statuses = (StepStatus.DONE, StepStatus.DONE, StepStatus.IN_PROGRESS)
    for order, (key, _name) in enumerate(STEP_KEYS, start=1):
        StrategyStep.objects.get_or_create(
            strategy=strategy,
            order=order,
            defaults={
                "key": key,
                "status": statuses[order - 1]
                if order <= len(statuses)
                else StepStatus.NOT_STARTED,
                "owner": users[CX_LEAD] if order < 5 else users[EXECUTIVE],
                "due_date": timezone.localdate() + timedelta(days=6 * order),
            },
        )


# Each role's 1-5 view of the five competencies: leaders rate themselves higher
# than the front line does, which is the spread the strategy page shows.
DEMO_RATINGS = {
    CX_LEAD: (3, 2, 2, 2, 2),
    EXECUTIVE: (4, 3, 3, 3, 3),
    ADVISOR: (2, 1, 2, 1, 2),
}
DEMO_METRICS = (
    ("Net Promoter Score", "nps", "points", -12.0, 5.0, "up"),
    ("Customer churn", "churn", "% a year", 14.0, 11.0, "down"),
    ("Cost to serve", "cost_to_serve", "$ per customer", 48.0, 40.0, "down"),
)


def strategy_measures_ensure(*, users: dict) -> None:
    """Competency ratings by each role and three success metrics with targets."""
    from strategy.models import Competency, CompetencyRating, SuccessMetric
    from strategy.services import competency_rate, metric_create

    if not CompetencyRating.objects.exists():
        competencies = list(Competency.objects.order_by("order"))
        for role, scores in DEMO_RATINGS.items():
            for competency, score in zip(competencies, scores, strict=False):
                competency_rate(
                    competency=competency, actor=users[role], score=score, role=role
                )
    for name, kind, unit, baseline, target, direction in DEMO_METRICS:
        if not SuccessMetric.objects.filter(name=name).exists():
            metric_create(
                actor=users[CX_LEAD],
                data={
                    "name": name,
                    "kind": kind,
                    "unit": unit,
                    "baseline": baseline,
                    "target": target,
                    "current": baseline,
                    "direction": direction,
                    "owner": users[CX_LEAD],
                },
            )


@transaction.atomic
def seed(*, n_items: int = 3000, n_customers: int = 1500, password=None) -> dict:
    """Load the whole demo company; safe to run again (nothing is duplicated)."""
    users, new_password = users_ensure(password=password)
    themes = themes_ensure()
    written = feedback_ensure(n_items=n_items, n_customers=n_customers)
    ideas = ideas_ensure(users=users, themes=themes)
    initiatives = initiatives_ensure(users=users, themes=themes)
    strategy_ensure(users=users)
    from strategy.services import strategy_ensure as strategy_complete

    strategy_complete()  # starter actions for the five competencies
    strategy_measures_ensure(users=users)
    return {
        "users": {role: u.username for role, u in users.items()},
        "password": new_password,
        "feedback_written": written,
        "ideas_created": ideas,
        "initiatives_created": initiatives,
    }
