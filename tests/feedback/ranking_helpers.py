"""Helpers shared by the ranking tests: feedback said by paying customers."""

from datetime import UTC, datetime, timedelta

from feedback.models import ThemeAssignment
from tests.factories import CustomerFactory, FeedbackItemFactory

NEWEST = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _say(theme, *, n, negative=True, revenue=1000, days_ago=1, text=None):
    for i in range(n):
        customer = CustomerFactory(annual_revenue=revenue)
        item = FeedbackItemFactory(
            customer=customer,
            created=NEWEST - timedelta(days=days_ago, minutes=i),
            polarity="negative" if negative else "positive",
            text=text or f"{theme.name} problem number {i} keeps happening to me",
        )
        ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
