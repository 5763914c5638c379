"""Browser journey (issue 24.5): an advisor's idea is linked by a CX lead to an
initiative; when the initiative ships (the CX lead records it through the API
from her browser session), the advisor logs in, sees the unread badge and the
notification, and opens it onto the initiative."""

import json
from datetime import date

import pytest

from feedback.services.ideas import idea_create
from initiatives.services.decisions import initiative_decide
from tests.e2e.helpers import (
    DESKTOP,
    assert_clean,
    funded_initiative,
    no_horizontal_scroll,
)

TITLE = "Tell customers where their refund is"


@pytest.mark.django_db(transaction=True)
def test_the_advisor_hears_that_the_initiative_behind_her_idea_shipped(
    new_page, login, live_server, advisor, cx_lead, executive, screenshot
):
    idea = idea_create(
        author=advisor, title=TITLE, body="Customers call to ask about refunds."
    )
    initiative = funded_initiative(lead=cx_lead, title="Refund tracker")
    initiative_decide(actor=executive, initiative_id=initiative.pk, verdict="approve")

    desk = new_page(viewport=DESKTOP)
    login(desk, cx_lead, next=f"/ideas/{idea.pk}/")
    desk.select_option("select[name=initiatives]", str(initiative.pk))
    with desk.expect_navigation():
        desk.get_by_role("button", name="Save links").click()
    desk.get_by_text("Links saved.").wait_for()

    # The CX lead records the ship date through the API, in her session.
    token = next(c["value"] for c in desk.context.cookies() if c["name"] == "csrftoken")
    shipped = desk.request.patch(
        f"{live_server.url}/api/v1/initiatives/{initiative.pk}/",
        data=json.dumps({"status": "shipped", "shipped_on": date.today().isoformat()}),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert shipped.status == 200, shipped.text()
    assert shipped.json()["status"] == "shipped"

    phone = new_page()
    login(phone, advisor, next="/")
    assert phone.get_by_test_id("unread-count").inner_text() == "1"
    phone.goto(f"{live_server.url}/notifications/")
    today = date.today()
    said = (
        f"\u201cRefund tracker\u201d shipped on {today.day} {today:%b %Y}; "
        "we will measure its effect."
    )
    note = phone.get_by_test_id("notification").filter(has_text=said)
    note.wait_for()
    no_horizontal_scroll(phone)
    screenshot(phone, "advisor-initiative-shipped-notification")
    with phone.expect_navigation():
        note.get_by_role("button").click()
    assert phone.url.endswith(f"/initiatives/{initiative.pk}/")
    phone.get_by_text("Refund tracker").first.wait_for()
    assert_clean(phone)
    assert_clean(desk)
