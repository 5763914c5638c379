"""Browser journey (issue 21.1/21.2): a CX lead imports each of the four
feedback-like sample exports (BA reviews, clothing reviews, CFPB complaints,
the telecom churn reasons) through the page, taking the guessed mapping plus at
most two choices, at 1366 px.

The sample files are public data sets outside the project (/work/shared/data);
without them the journey skips with the reason, except under CI=true.
"""

from pathlib import Path

import pytest

from feedback.models import FeedbackItem, ImportBatch
from tests.conftest import IN_CI
from tests.e2e.helpers import assert_clean, no_horizontal_scroll

DATA = Path("/work/shared/data")
LAPTOP = {"width": 1366, "height": 768}
# The import runs in the request (eager tasks): 22,641 clothing rows take ~15 s.
IMPORT_MS = 120_000


def sample(name: str) -> bytes:
    path = DATA / name
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"CI=true but sample file {path} is absent")
        print(f"skipping: sample file {path} is absent")
        pytest.skip(f"sample file {path} is absent")
    return path.read_bytes()


def upload(page, live_server, name: str, data: bytes, source: str):
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}],
    )
    page.get_by_label("Source").fill(source)
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()


def field_of(page, column: str) -> str:
    return page.get_by_label(column, exact=True).input_value()


def start(page):
    with page.expect_navigation(timeout=IMPORT_MS):
        page.get_by_role("button", name="Import", exact=True).click(timeout=IMPORT_MS)
    page.wait_for_selector("[data-testid=status]:text-is('done')", timeout=IMPORT_MS)


@pytest.mark.django_db(transaction=True)
def test_lead_imports_the_ba_reviews_with_the_guessed_mapping(
    new_page, login, live_server, cx_lead, screenshot
):
    data = sample("ba_airline_reviews.csv")
    page = new_page(viewport=LAPTOP)
    login(page, cx_lead, next="/imports/")
    upload(page, live_server, "ba_airline_reviews.csv", data, "BA reviews")

    assert field_of(page, "ReviewBody") == "text"
    assert field_of(page, "Datetime") == "created"
    assert field_of(page, "OverallRating") == "score"
    assert page.get_by_label("Every score is").input_value() == "rating"
    assert page.get_by_label("Date format").input_value() == "d month yyyy"
    rows = page.locator("[data-testid=preview] tbody tr")
    assert rows.count() == 20
    assert page.locator("[data-testid=preview] tr[data-status=ok]").count() == 20
    no_horizontal_scroll(page, LAPTOP["width"])
    screenshot(page, "import-mapping-guessed")

    start(page)
    batch = ImportBatch.objects.get()
    assert batch.rows_imported == 3701
    assert page.locator("[data-testid=created]").inner_text() == "3701"
    assert page.locator("[data-testid=status]").count() == 1
    assert set(
        FeedbackItem.objects.exclude(score=None).values_list("score_type", flat=True)
    ) == {"rating"}
    no_horizontal_scroll(page, LAPTOP["width"])
    assert_clean(page)


@pytest.mark.django_db(transaction=True)
def test_lead_imports_the_clothing_reviews_dated_the_import_day(
    new_page, login, live_server, cx_lead, screenshot
):
    data = sample("womens_clothing_ecommerce_reviews.csv")
    page = new_page(viewport=LAPTOP)
    login(page, cx_lead, next="/imports/")
    upload(page, live_server, "clothing.csv", data, "Clothing reviews")

    assert field_of(page, "Review Text") == "text"
    assert page.get_by_label("Dates").input_value() == "import_date"
    assert page.get_by_label("Every score is").input_value() == "stars"
    # Without the option, the rows with no review are problems in the preview.
    page.get_by_label("Skip rows without text").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Preview again").click()
    assert page.locator("[data-testid=preview] tbody tr").count() == 20
    assert page.locator("[data-testid=preview] tr[data-status=problem]").count() == 0
    no_horizontal_scroll(page, LAPTOP["width"])

    start(page)
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert batch.rows_imported == 22641
    note = page.locator("[data-testid=note]").first.inner_text()
    assert "not when the customer wrote it" in note
    no_horizontal_scroll(page, LAPTOP["width"])
    assert_clean(page)
    screenshot(page, "import-result-clothing")


@pytest.mark.django_db(transaction=True)
def test_lead_imports_the_cfpb_complaints_with_their_long_narratives(
    new_page, login, live_server, cx_lead
):
    data = sample("cfpb_complaints_sample.csv")
    page = new_page(viewport=LAPTOP)
    login(page, cx_lead, next="/imports/")
    upload(page, live_server, "cfpb.csv", data, "CFPB complaints")

    assert field_of(page, "Consumer complaint narrative") == "text"
    page.get_by_label("Skip rows without text").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Preview again").click()
    assert page.locator("[data-testid=preview] tr[data-status=problem]").count() == 0
    no_horizontal_scroll(page, LAPTOP["width"])

    start(page)
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert batch.rows_imported == 1532
    longest = max(len(t) for t in FeedbackItem.objects.values_list("text", flat=True))
    assert longest > 10_000
    assert_clean(page)


@pytest.mark.django_db(transaction=True)
def test_lead_imports_the_telecom_churn_reasons_as_survey_answers(
    new_page, login, live_server, cx_lead
):
    data = sample("maven_telecom_customer_churn.csv")
    page = new_page(viewport=LAPTOP)
    login(page, cx_lead, next="/imports/")
    upload(page, live_server, "maven.csv", data, "Churn reasons")

    assert field_of(page, "Churn Reason") == "text"
    assert page.get_by_label("Dates").input_value() == "import_date"
    page.get_by_label("Every row's channel").select_option("survey")
    page.get_by_label("Skip rows without text").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Preview again").click()
    assert page.locator("[data-testid=preview] tr[data-status=problem]").count() == 0

    start(page)
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert batch.rows_imported == 1869
    assert set(FeedbackItem.objects.values_list("channel", flat=True)) == {"survey"}
    assert_clean(page)
