"""Browser journey: a CX lead reviews a candidate theme model and accepts it."""

import pytest

from feedback.models import ThemeAssignment, ThemeModelVersion
from feedback.tasks import train_themes
from tests.e2e.helpers import assert_clean
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import label, labelled_corpus


@pytest.mark.django_db(transaction=True)
def test_a_cx_lead_sees_the_candidates_diff_and_accepts_it(
    page, live_server, login, cx_lead, screenshot
):
    labelled_corpus()
    staff = ThemeFactory(name="Staff")  # active, 2 labels: the candidate waits
    for text in ("rude staff member today", "the staff were rude again"):
        label(FeedbackItemFactory(text=text), staff)
    version = train_themes.delay().get()["version"]
    assert not ThemeAssignment.objects.filter(method="model").exists()

    login(page, cx_lead, next="/themes/model/")
    candidate = page.locator('[data-testid="candidate"]')
    assert f"Version {version} · candidate" in candidate.inner_text()
    changed = int(page.inner_text('[data-testid="candidate-items-changed"] strong'))
    assert changed > 0
    assert "Staff has 2" in page.inner_text('[data-testid="candidate-reason"]')
    assert page.locator('[data-testid="candidate-per-theme"] tbody tr').count() == 4
    assert "95% interval" in page.inner_text('[data-testid="candidate-ci"]')
    assert page.locator('[data-testid="no-applied"]').is_visible()
    screenshot(page, "theme-model-candidate")

    with page.expect_navigation():
        page.click('[data-testid="candidate-accept"]')

    assert f"Version {version} · applied" in page.inner_text('[data-testid="applied"]')
    assert page.locator('[data-testid="no-candidate"]').is_visible()
    assert ThemeModelVersion.objects.get(version=version).state == "applied"
    items = ThemeAssignment.objects.filter(method="model").values("item").distinct()
    assert items.count() == changed
    assert_clean(page)
