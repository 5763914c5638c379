"""The dashboard shows real counts from the database."""

import pytest
from django.urls import reverse

from tests.factories import FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_dashboard_counts_come_from_the_database(client, cx_lead):
    FeedbackItemFactory.create_batch(3, polarity="negative")
    FeedbackItemFactory.create_batch(2, polarity="positive")
    ThemeFactory(name="Billing")
    client.force_login(cx_lead)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="feedback-count">5<' in html
    assert "3 negative" in html
    assert "1 themes" in html


def test_dashboard_query_count_does_not_grow_with_rows(
    client, cx_lead, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cx_lead)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    FeedbackItemFactory.create_batch(40)
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("dashboard")).status_code == 200
    assert len(few) <= 25
