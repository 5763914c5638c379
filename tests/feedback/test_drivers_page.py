"""The drivers page (issue 23.6): members see the sorted chart and the table."""

import pytest
from django.core.cache import cache

from tests.feedback.drivers_generator import planted, store


@pytest.fixture(autouse=True)
def _no_cached_answers():
    cache.clear()


@pytest.mark.django_db
def test_it_shows_the_score_drivers_chart_and_table(client, advisor):
    store(planted(11, 800))
    client.force_login(advisor)
    response = client.get("/drivers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="drivers-chart"' in html and "plotly" in html.lower()
    assert html.count('data-testid="driver"') == 4
    assert "no clear effect" in html  # D, the frequent theme of no effect


@pytest.mark.django_db
def test_it_shows_churn_ratios_and_hides_revenue_from_advisors(
    client, advisor, cx_lead
):
    store(planted(12, 1500))
    client.force_login(advisor)
    html = client.get("/drivers/", {"metric": "churn"}).content.decode()
    assert "odds ratio" in html and "hidden" in html
    client.force_login(cx_lead)
    html = client.get("/drivers/", {"metric": "churn"}).content.decode()
    assert "measured excess churn" in html


@pytest.mark.django_db
def test_bad_parameters_answer_400_naming_the_field(client, cx_lead):
    client.force_login(cx_lead)
    response = client.get("/drivers/", {"metric": "mood"})
    assert response.status_code == 400
    assert "metric:" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/drivers/")
    assert response.status_code == 302 and "login" in response["Location"]
