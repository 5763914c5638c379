"""Bulk data for the fault tests: enough feedback that a recompute takes a while."""

import random
from datetime import UTC, datetime, timedelta

from feedback.models import Customer, FeedbackItem, Theme, ThemeAssignment

NEWEST = datetime(2026, 11, 20, 12, tzinfo=UTC)
THEMES = (
    "App log-in",
    "Slow refunds",
    "Billing errors",
    "Delivery delays",
    "Rude staff",
    "Hidden fees",
    "Search is broken",
    "Checkout crashes",
)


def seed_ranking_world(*, items: int = 3000, customers: int = 600, seed: int = 7):
    """Themes, customers and items with assignments, written in bulk."""
    rng = random.Random(seed)
    themes = [Theme.objects.create(name=name) for name in THEMES]
    people = Customer.objects.bulk_create(
        Customer(
            external_id=f"R{n:05d}",
            name=f"Customer {n}",
            segment=rng.choice(["consumer", "business"]),
            annual_revenue=rng.choice([500, 1000, 5000, 20000]),
        )
        for n in range(customers)
    )
    rows = []
    for n in range(items):
        negative = rng.random() < 0.6
        rows.append(
            FeedbackItem(
                source="reliability",
                external_id=f"RI{n:06d}",
                text=f"Feedback number {n} about something that matters to me",
                created=NEWEST - timedelta(days=rng.randint(0, 120), minutes=n % 60),
                channel="survey",
                customer=rng.choice(people) if rng.random() < 0.9 else None,
                polarity="negative" if negative else "positive",
                sentiment=-0.5 if negative else 0.5,
            )
        )
    made = FeedbackItem.objects.bulk_create(rows)
    # Skewed theme popularity so the ranking has a clear order.
    weights = [len(THEMES) - i for i in range(len(THEMES))]
    assignments = []
    for item in made:
        for theme in set(rng.choices(themes, weights=weights, k=rng.randint(1, 2))):
            assignments.append(ThemeAssignment(item=item, theme=theme, method="rule"))
    ThemeAssignment.objects.bulk_create(assignments)
    return themes
