"""Browser journey: a CX lead labels the queue with the keyboard only."""

import pytest

from feedback.models import ThemeAssignment
from tests.factories import PASSWORD, FeedbackItemFactory, ThemeFactory


@pytest.mark.django_db(transaction=True)
def test_digits_pick_themes_enter_saves_and_s_skips(page, live_server, cx_lead):
    billing = ThemeFactory(name="Billing")
    login = ThemeFactory(name="Login")
    first = FeedbackItemFactory(text="Charged twice and locked out")
    second = FeedbackItemFactory(text="Second item")
    # Without a model the newest uncovered item comes first: make `first` newest.
    first.created = second.created.replace(day=2)
    first.save()

    page.goto(f"{live_server.url}/login/?next=/themes/queue/")
    page.fill("input[name=username]", cx_lead.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f'[data-testid="queue-item"][data-item="{first.pk}"]')
    page.wait_for_selector("html[data-labelling-ready]", state="attached")

    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'[data-testid="queue-item"][data-item="{second.pk}"]')
    page.wait_for_selector("html[data-labelling-ready]", state="attached")
    got = set(
        ThemeAssignment.objects.filter(item=first).values_list("theme_id", "method")
    )
    assert got == {(billing.pk, "manual"), (login.pk, "manual")}

    page.keyboard.press("s")
    page.wait_for_selector('[data-testid="queue-empty"]')
    assert not ThemeAssignment.objects.filter(item=second, method="manual").exists()
