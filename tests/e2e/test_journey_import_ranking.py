"""Browser journey: a CX lead uploads a CSV, watches the import finish and sees
the top three change.

The baseline ranks three themes on top; the uploaded file brings twelve unhappy
customers on a fourth theme (matched by its keyword rule), which must rise to #1.
The import's task is held back when the upload is accepted, so the page really
shows a pending batch whose progress bar htmx polls; the test then plays the
worker and the bar must reach 100 % and stop polling on its own.
"""

from datetime import UTC, datetime

import pytest

from feedback.models import ImportBatch
from feedback.services import imports as import_services
from feedback.services.ranking import ranking_recompute
from feedback.services.themes import assignments_apply_rules
from feedback.tasks import import_feedback_batch
from tests.e2e.helpers import DESKTOP, assert_clean, requests_held
from tests.factories import FeedbackItemFactory, ThemeFactory

BASELINE = (
    ("Slow refunds", "refund", 6),
    ("Long waits on the phone", "hold", 5),
    ("Password resets", "password", 4),
    ("Late deliveries", "delivery", 1),
)


def _baseline() -> None:
    for name, keyword, count in BASELINE:
        ThemeFactory(name=name, keywords=[keyword])
        for day in range(1, count + 1):
            FeedbackItemFactory(
                text=f"Unhappy about the {keyword} again, day {day}.",
                created=datetime(2026, 11, day, 12, tzinfo=UTC),
            )
    assignments_apply_rules()
    ranking_recompute(force=True)


def _csv() -> bytes:
    lines = [
        "external_id,text,created,channel,score,score_type,customer_id,annual_revenue"
    ]
    for n in range(1, 13):
        lines.append(
            f"D{n},My delivery is two weeks late and nobody answers ({n}),"
            f"2026-11-{10 + n % 5:02d},survey,1,csat,C{n:03d},{1000 * n}"
        )
    return ("\n".join(lines) + "\n").encode()


def _top_three(page) -> list[str]:
    return page.locator("[data-testid=top-card] h2").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_lead_uploads_a_csv_watches_it_finish_and_sees_the_top_three_change(
    new_page, login, live_server, cx_lead, monkeypatch, screenshot
):
    _baseline()
    held = []
    monkeypatch.setattr(
        import_services, "send_on_commit", lambda task, *ids: held.append(ids)
    )
    page = new_page(viewport=DESKTOP)
    login(page, cx_lead, next="/ranking/")
    before = _top_three(page)
    assert before == ["Slow refunds", "Long waits on the phone", "Password resets"]

    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "november.csv", "mimeType": "text/csv", "buffer": _csv()},
        ],
    )
    page.get_by_label("Source").fill("November survey")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    preview = page.locator("[data-testid=preview]")
    assert "My delivery is two weeks late" in preview.inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()

    batch = ImportBatch.objects.get()
    assert held == [(batch.pk,)]
    progress = page.locator("[data-testid=import-progress]")
    assert progress.locator("[data-testid=status]").inner_text() == "pending"
    assert progress.get_attribute("hx-get")  # htmx polls while it is busy
    assert page.locator("progress").get_attribute("value") == "0"

    with requests_held(page) as held:
        import_feedback_batch(batch.pk)  # the worker picks the batch up
    assert held, "the progress bar stopped polling while the batch was pending"

    page.wait_for_selector(
        "[data-testid=import-progress] [data-testid=status]:text-is('done')"
    )
    assert page.locator("progress").get_attribute("value") == "100"
    progress = page.locator("[data-testid=import-progress]")
    assert progress.get_attribute("hx-get") is None  # polling stopped
    assert "12 of 12 rows imported" in progress.inner_text()

    page.goto(f"{live_server.url}/ranking/")
    after = _top_three(page)
    assert after == ["Late deliveries", "Slow refunds", "Long waits on the phone"]
    first = page.locator("[data-testid=top-card]").first
    assert first.locator(".move").inner_text() == "▲3"
    assert_clean(page)
    screenshot(page, "cx-lead-import-ranking")
