"""A write the database cannot lock in time answers 503 with Retry-After, never
500: the API in its error shape, the pages as plain text; nothing is written.

The failure is raised where the real one comes from: the database cursor, on
the INSERT of a feedback item, with SQLite's own message.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client

from feedback.models import FeedbackItem
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ITEM = {"text": "The checkout keeps failing", "created": "2026-10-01"}


@contextmanager
def locked_on_insert(
    message: str = "database is locked", table: str = "feedback_feedbackitem"
):
    """The cursor refuses every INSERT or UPDATE of `table`."""
    real = CursorWrapper.execute

    def execute(self, sql, params=None):
        verb = sql.lstrip().split(" ", 1)[0].upper()
        if verb in {"INSERT", "UPDATE"} and table in sql:
            raise OperationalError(message)
        return real(self, sql, params)

    with mock.patch.object(CursorWrapper, "execute", execute):
        yield


@pytest.mark.parametrize("message", ["database is locked", "database table is locked"])
def test_the_api_answers_503_with_retry_after_and_saves_nothing(
    cx_lead, as_user, message
):
    with locked_on_insert(message):
        response = as_user(cx_lead).post("/api/v1/feedback/", ITEM, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "busy" in response.json()["detail"]
    assert message not in response.content.decode()
    assert FeedbackItem.objects.count() == 0
    # The same request sent again, once the lock is free, is saved.
    again = as_user(cx_lead).post("/api/v1/feedback/", ITEM, format="json")
    assert again.status_code == 201
    assert FeedbackItem.objects.count() == 1


def test_a_page_answers_503_with_retry_after_and_saves_nothing(cx_lead):
    client = Client()
    assert client.login(username=cx_lead.username, password=PASSWORD)
    form = {
        "text": "Waited 40 minutes on hold",
        "created": "2026-11-20T10:30",
        "channel": "call",
    }
    with locked_on_insert():
        response = client.post("/feedback/new/", form)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "busy" in response.content.decode()
    assert FeedbackItem.objects.count() == 0
    assert client.post("/feedback/new/", form).status_code == 302


def test_another_operational_error_is_not_dressed_up_as_busy(cx_lead, as_user):
    """Only the lock timeout means "try again": a broken query still fails loudly."""
    client = as_user(cx_lead)
    broken = locked_on_insert("no such table: feedback_feedbackitem")
    with broken, pytest.raises(OperationalError):
        client.post("/api/v1/feedback/", ITEM, format="json")


def test_a_page_is_still_served_when_only_its_session_refresh_is_locked(cx_lead):
    """Every request re-saves the session (the idle timeout); that write failing
    loses the refresh, not the page."""
    client = Client()
    assert client.login(username=cx_lead.username, password=PASSWORD)
    with locked_on_insert(table="django_session"):
        response = client.get("/feedback/new/")
    assert response.status_code == 200
    assert "Cookie" in response["Vary"]
    assert client.get("/feedback/new/").status_code == 200  # still signed in


def test_a_sign_in_whose_session_cannot_be_written_answers_503(cx_lead):
    form = {"username": cx_lead.username, "password": PASSWORD}
    with locked_on_insert(table="django_session"):
        response = Client().post("/login/", form)
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert Client().post("/login/", form).status_code == 302
