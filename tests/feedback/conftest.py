"""Fixtures of the feedback tests."""

import pytest

from feedback.services.ranking_state import ranking_mark_dirty
from tests.factories import ThemeFactory
from tests.feedback.ranking_helpers import _say


@pytest.fixture
def world(db):
    logins = ThemeFactory(name="App log-in")
    refunds = ThemeFactory(name="Slow refunds")
    bills = ThemeFactory(name="Billing errors")
    quiet = ThemeFactory(name="Quiet theme")
    _say(logins, n=12, revenue=5000)
    _say(refunds, n=8, revenue=1000)
    _say(bills, n=5, negative=False)
    _say(quiet, n=1, days_ago=200)  # outside the 90-day window
    ranking_mark_dirty(enqueue=False)
    return {"logins": logins, "refunds": refunds, "bills": bills, "quiet": quiet}
