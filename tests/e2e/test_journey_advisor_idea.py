"""Browser journey: an advisor on a phone submits an idea and later sees it shipped.

The advisor works on a 390 x 844 viewport (nothing may scroll sideways); the
initiative that answers the idea is approved and shipped through the services;
a CX lead then links the idea to it and ships the idea from the triage form in
a desktop browser; the advisor's "My ideas" shows it shipped, and by what.
"""

from datetime import date

import pytest

from feedback.models import Idea
from initiatives.services.decisions import initiative_decide
from initiatives.services.initiatives import initiative_update
from tests.e2e.helpers import (
    DESKTOP,
    assert_clean,
    funded_initiative,
    no_horizontal_scroll,
)
from tests.factories import ThemeFactory

TITLE = "Show refund status in the app"


def _ship_initiative(*, lead, executive):
    initiative = funded_initiative(lead=lead, title="Refund tracker")
    initiative_decide(actor=executive, initiative_id=initiative.pk, verdict="approve")
    return initiative_update(
        actor=lead, initiative=initiative, status="shipped", shipped_on=date.today()
    )


def _triage(page, button: str, said: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    page.get_by_text(said).wait_for()


@pytest.mark.django_db(transaction=True)
def test_advisor_submits_an_idea_on_a_phone_and_sees_it_shipped(
    new_page, login, live_server, advisor, cx_lead, executive, screenshot
):
    ThemeFactory(name="Slow refunds", keywords=["refund"])
    phone = new_page()
    login(phone, advisor, next="/ideas/new/")
    assert phone.url.endswith("/ideas/new/")
    no_horizontal_scroll(phone)
    # As the advisor types, known themes are suggested (one request per pause;
    # each is awaited, so none is still running when the form is sent).
    with phone.expect_response("**/ideas/suggest-themes?*title=Show*"):
        phone.get_by_label("Title").fill(TITLE)
    with phone.expect_response("**/ideas/suggest-themes?*body=Customers*"):
        phone.locator("textarea[name=body]").fill(
            "Customers call three or four times to ask where their refund is."
        )
    suggested = phone.get_by_test_id("theme-suggestions")
    assert "Slow refunds" in suggested.inner_text()
    no_horizontal_scroll(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send idea").click()
    idea = Idea.objects.get(title=TITLE)
    assert idea.author == advisor and idea.status == "new"
    assert phone.url.endswith(f"/ideas/{idea.pk}/")

    phone.goto(f"{live_server.url}/ideas/mine/")
    card = phone.locator("[data-testid=idea]", has_text=TITLE)
    assert card.locator("[data-testid=idea-status]").inner_text() == "New"
    no_horizontal_scroll(phone)

    # The initiative that answers it ships; a CX lead links the idea and ships it.
    initiative = _ship_initiative(lead=cx_lead, executive=executive)
    desk = new_page(viewport=DESKTOP)
    login(desk, cx_lead, next=f"/ideas/{idea.pk}/")
    desk.select_option("select[name=initiatives]", str(initiative.pk))
    _triage(desk, "Save links", "Links saved.")
    desk.select_option("select[name=status]", "planned")
    _triage(desk, "Change status", "Status set to planned")
    desk.select_option("select[name=status]", "shipped")
    _triage(desk, "Change status", "Status set to shipped")
    idea.refresh_from_db()
    assert idea.status == "shipped"

    phone.reload()
    card = phone.locator("[data-testid=idea]", has_text=TITLE)
    assert card.locator("[data-testid=idea-status]").inner_text() == "Shipped"
    assert "Delivered by Refund tracker" in card.inner_text()
    no_horizontal_scroll(phone)
    card.get_by_role("link", name=TITLE).click()
    phone.wait_for_selector("[data-testid=shipped-by]")
    assert "Refund tracker" in phone.inner_text("[data-testid=shipped-by]")
    no_horizontal_scroll(phone)
    screenshot(phone, "advisor-idea-shipped")
    phone.goto(f"{live_server.url}/notifications/")
    said = f'Your idea "{TITLE}" has shipped, delivered by Refund tracker.'
    phone.get_by_text(said).wait_for()
    no_horizontal_scroll(phone)
    assert_clean(phone)
    assert_clean(desk)
