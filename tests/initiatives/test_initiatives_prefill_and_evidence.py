"""Creating an initiative from a ranked theme pre-fills its drivers from the
data; an initiative with little customer evidence is flagged with the numbers."""

import pytest

from initiatives.models import Initiative
from initiatives.services.results import initiatives_evidence_refresh
from tests.factories import FeedbackItemFactory
from tests.initiatives.factories_initiatives import (
    make_initiative,
    snapshot_for,
    theme_with_feedback,
)

URL = "/api/v1/initiatives/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked_theme():
    # 6 customers on tickets + 3 anonymous chats in the window; a survey item
    # and an old ticket do not count as contacts in the window.
    theme = theme_with_feedback("Password reset", customers=6, extra_items=3)
    from datetime import UTC, datetime

    from feedback.models import ThemeAssignment

    for item in (
        FeedbackItemFactory(channel="survey"),
        FeedbackItemFactory(channel="ticket", created=datetime(2025, 1, 1, tzinfo=UTC)),
    ):
        ThemeAssignment.objects.create(item=item, theme=theme, method="manual")
    snapshot_for(
        [
            {
                "rank": 1,
                "theme_id": theme.pk,
                "customers": 8,
                "revenue_at_risk": 24000.0,
                "mentions": 11,
            }
        ]
    )
    return theme


def test_prefill_takes_customers_revenue_and_annualised_contacts(
    as_user, cx_lead, ranked_theme
):
    data = as_user(cx_lead).get(f"{URL}prefill/?theme={ranked_theme.pk}").json()
    churn, contacts = data["drivers"]
    assert churn["inputs"]["customers_affected"] == [8, 8, 8]
    assert churn["inputs"]["revenue_per_customer"] == [3000.0] * 3  # 24000 / 8
    # 9 contacts (6 tickets + 3 chats) in a 90-day window: 9 x 365 / 90 = 36.5 a year.
    assert data["source"]["contacts_in_window"] == 9
    assert contacts["inputs"]["contacts_per_year"] == [36.5] * 3
    assert data["themes"] == [ranked_theme.pk]


def test_creating_from_a_theme_stores_the_prefilled_case(
    as_user, cx_lead, ranked_theme
):
    response = as_user(cx_lead).post(
        URL, {"from_theme": ranked_theme.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get()
    assert initiative.title == "Fix: Password reset"
    assert [d.kind for d in initiative.benefit_drivers.all()] == [
        "churn_avoided",
        "contacts_avoided",
    ]
    assert list(initiative.themes.all()) == [ranked_theme]
    # churn: 8 x 2% x 3000 x 0.6 = 288 a year; contacts: 36.5 x 0.2 x 5.5 = 40.15.
    assert response.json()["pv_costs"] == "0.00"
    assert initiative.result["cashflows"]["benefits"][3] == pytest.approx(328.15)


def test_the_new_page_is_prefilled_from_a_theme(client, cx_lead, ranked_theme):
    client.force_login(cx_lead)
    page = client.get(f"/initiatives/new/?theme={ranked_theme.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Fix: Password reset"' in html
    assert 'value="36.5"' in html
    assert "$24,000 revenue at risk" in html


def test_no_linked_theme_is_little_evidence(cx_lead):
    initiative = make_initiative(cx_lead)
    evidence = initiative.result["evidence"]
    assert evidence["little"] is True
    assert (
        evidence["message"] == "Little customer evidence: linked to no customer theme."
    )


def test_few_customers_is_little_evidence_with_the_numbers(as_user, cx_lead):
    theme = theme_with_feedback("Rare", customers=2, extra_items=1)
    snapshot_for(
        [{"rank": 1, "theme_id": theme.pk, "customers": 3, "revenue_at_risk": 0}]
    )
    initiative = make_initiative(cx_lead, themes=[theme.pk])
    evidence = as_user(cx_lead).get(f"{URL}{initiative.pk}/").json()["evidence"]
    assert (evidence["customers"], evidence["items"], evidence["little"]) == (
        3,
        3,
        True,
    )
    assert "3 customers (3 items) raised the linked themes" in evidence["message"]
    assert "at least 5 expected" in evidence["message"]


def test_enough_customers_is_not_flagged(cx_lead):
    theme = theme_with_feedback("Common", customers=6)
    initiative = make_initiative(cx_lead, themes=[theme.pk])
    assert initiative.result["evidence"]["little"] is False
    assert initiative.evidence_customers == 6


def test_the_flag_is_shown_on_list_detail_and_compare(client, cx_lead):
    weak = make_initiative(cx_lead, title="Weak")
    strong = make_initiative(
        cx_lead, title="Strong", themes=[theme_with_feedback("Big").pk]
    )
    client.force_login(cx_lead)
    for url in (
        "/initiatives/",
        f"/initiatives/{weak.pk}/",
        f"/initiatives/compare/?ids={weak.pk}&ids={strong.pk}",
    ):
        html = client.get(url).content.decode()
        assert html.count('data-testid="little-evidence"') == 1, url
        assert "linked to no customer theme" in html


def test_evidence_refresh_follows_new_feedback(cx_lead):
    theme = theme_with_feedback("Growing", customers=2)
    initiative = make_initiative(cx_lead, themes=[theme.pk])
    assert initiative.result["evidence"]["little"] is True
    from feedback.models import ThemeAssignment
    from tests.factories import CustomerFactory

    for _ in range(4):
        item = FeedbackItemFactory(customer=CustomerFactory())
        ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
    assert initiatives_evidence_refresh() == 1
    initiative.refresh_from_db()
    assert initiative.evidence_customers == 6
    assert initiative.result["evidence"]["little"] is False


def test_the_list_offers_ranked_themes_to_cx_leads_only(
    client, cx_lead, advisor, ranked_theme
):
    client.force_login(cx_lead)
    html = client.get("/initiatives/").content.decode()
    assert f'<option value="{ranked_theme.pk}">#1' in html
    client.force_login(advisor)
    assert (
        'data-testid="from-theme"' not in client.get("/initiatives/").content.decode()
    )


def test_without_a_ranking_contacts_come_from_the_last_90_days(as_user, cx_lead):
    theme = theme_with_feedback("Unranked", customers=6, channel="call")
    data = as_user(cx_lead).get(f"{URL}prefill/?theme={theme.pk}").json()
    # No ranking entry: no churn driver; 6 calls in 90 days = 24.3 a year.
    assert [d["kind"] for d in data["drivers"]] == ["contacts_avoided"]
    assert data["drivers"][0]["inputs"]["contacts_per_year"] == [24.3] * 3


def test_a_new_ranking_refreshes_the_evidence_of_initiatives(
    cx_lead, django_capture_on_commit_callbacks
):
    from feedback.models import ThemeAssignment
    from feedback.services.ranking import ranking_recompute
    from feedback.services.ranking_state import ranking_mark_dirty
    from tests.factories import CustomerFactory, ThemeFactory

    theme = ThemeFactory(name="Refunds")
    initiative = make_initiative(actor=cx_lead, themes=[theme])
    assert initiative.result["evidence"]["little"] is True
    for _ in range(7):
        item = FeedbackItemFactory(customer=CustomerFactory())
        ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
    ranking_mark_dirty(enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_recompute()
    initiative.refresh_from_db()
    assert initiative.result["evidence"]["customers"] == 7
    assert initiative.result["evidence"]["little"] is False
