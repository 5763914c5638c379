"""Browser journey: an executive approves a funded initiative and downloads the deck.

A CX lead's costed initiative is fully funded (through the services); the
executive approves it with a comment from the review page (htmx swaps the row),
sees the decision on the row and, after a reload, in "since your last visit".
A deck is then built (as a CX lead would, through the deck services); the
executive opens it from /decks/ and downloads the HTML deck, which must hold
every slide's title and the approved initiative.
"""

import html
from pathlib import Path

import pytest

from deck.models import Deck
from deck.services import deck_request
from deck.slides import slides_build
from initiatives.models import Decision
from tests.e2e.helpers import DESKTOP, assert_clean, funded_initiative

TITLE = "Call-back instead of holding"
COMMENT = "Funded from the 2027 CX budget; go."


@pytest.mark.django_db(transaction=True)
def test_executive_approves_a_funded_initiative_and_downloads_the_deck(
    new_page, login, live_server, cx_lead, executive, screenshot
):
    initiative = funded_initiative(lead=cx_lead, title=TITLE)
    page = new_page(viewport=DESKTOP)
    login(page, executive, next="/review/")
    row = page.locator(f"#review-{initiative.pk}")
    assert "fully funded" in row.locator("[data-testid=funding-state]").inner_text()
    assert row.locator("[data-testid=status]").inner_text().lower() == "proposed"

    row.get_by_label("Comment").fill(COMMENT)
    with page.expect_response(f"**/review/{initiative.pk}/**"):
        row.get_by_role("button", name="Approve").click()
    row = page.locator(f"#review-{initiative.pk}")
    row.locator("[role=status]", has_text="approve recorded").wait_for()
    assert row.locator("[data-testid=status]").inner_text().lower() == "approved"
    decision = Decision.objects.get(initiative=initiative)
    assert (decision.verdict, decision.comment, decision.decided_by) == (
        "approve",
        COMMENT,
        executive,
    )
    page.reload()
    changes = page.locator("[data-testid=changes]").inner_text()
    assert f"{TITLE}: approve by {executive.get_username()}" in changes
    assert COMMENT in changes

    deck = deck_request(user=cx_lead, formats=["html"])  # built eagerly on commit
    deck.refresh_from_db()
    assert deck.status == Deck.Status.DONE, deck.error
    page.get_by_role("link", name="Deck", exact=True).click()
    page.wait_for_url("**/decks/")
    page.locator("[data-testid=deck-row]").get_by_role("link", name="v1").click()
    page.wait_for_url(f"**/decks/{deck.pk}/")
    titles = [slide.title for slide in slides_build(deck.data)]
    shown = page.locator("[data-testid=deck-slides]").inner_text()
    assert all(title in shown for title in titles)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "cx-deck-v1.html"
    content = Path(download.path()).read_text(encoding="utf-8")
    missing = [t for t in titles if html.escape(t, quote=False) not in content]
    assert not missing, missing
    assert len(titles) >= 5
    assert html.escape(TITLE, quote=False) in content
    assert_clean(page)
    screenshot(page, "executive-review-deck")

    # Presented in the browser, its inline scripts run under the hashed CSP.
    page.goto(f"{live_server.url}/decks/{deck.pk}/html/")
    assert page.locator("section.slide").count() == len(titles)
    page.keyboard.press("ArrowRight")
    counter = page.locator("#deck-counter")
    counter.filter(has_text=f"2 / {len(titles)}").wait_for()
    assert_clean(page)
