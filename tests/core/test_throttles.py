"""ExpensiveThrottle: per user, on the endpoints that start expensive work.

The suite runs with a high rate (cxplan/settings_test.py); these tests set a
low one and check the 429, its Retry-After and its error shape, that the count
is per user and shared by the expensive endpoints, that reads are not limited,
and that a cache that does not answer lets the call through.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.feedback.intake_helpers import GOOD_ROWS, csv_bytes, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
ROI = "/api/v1/roi/evaluate/"
FLOWS = {"costs": [100, 0], "benefits": [0, 150]}


def low_rate(rate: str):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "expensive": rate}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    )


@pytest.fixture
def fresh(db):
    """Forget the throttle history of a user (the cache may outlive a test)."""

    def forget(user):
        cache.delete(f"throttle_expensive_{user.pk}")
        return user

    return forget


def csv_upload():
    return {"file": SimpleUploadedFile("t.csv", csv_bytes(*GOOD_ROWS))}


EXPENSIVE = [
    ("roi evaluate", ROI, lambda: FLOWS, "json"),
    ("deck build", "/api/v1/decks/build/", lambda: {"formats": ["html"]}, "json"),
    ("import", "/api/v1/imports/", csv_upload, "multipart"),
    ("ranking recompute", "/api/v1/ranking/recompute/", dict, "json"),
    ("theme training", "/api/v1/themes/train/", dict, "json"),
]


@pytest.mark.parametrize(
    "name, url, body, fmt", EXPENSIVE, ids=[e[0] for e in EXPENSIVE]
)
def test_the_third_call_in_a_minute_answers_429_with_retry_after(
    cx_lead, as_user, fresh, name, url, body, fmt
):
    client = as_user(fresh(cx_lead))
    with low_rate("2/min"):
        first = [client.post(url, body(), format=fmt).status_code for _ in range(2)]
        refused = client.post(url, body(), format=fmt)
    assert 429 not in first and all(code < 300 for code in first), first
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    assert refused.json() == {
        "errors": [
            {
                "field": "non_field_errors",
                "message": "Too many requests of this kind; try again in "
                f"{wait} seconds.",
            }
        ]
    }


def test_the_count_is_per_user_and_shared_by_the_expensive_endpoints(
    cx_lead, advisor, as_user, fresh
):
    lead, other = as_user(fresh(cx_lead)), as_user(fresh(advisor))
    with low_rate("2/min"):
        assert lead.post(ROI, FLOWS, format="json").status_code == 200
        assert lead.post("/api/v1/ranking/recompute/").status_code == 202
        assert lead.post(ROI, FLOWS, format="json").status_code == 429
        assert other.post(ROI, FLOWS, format="json").status_code == 200


def test_reading_imports_is_not_limited(cx_lead, as_user, fresh):
    client = as_user(fresh(cx_lead))
    with low_rate("1/min"):
        for _ in range(3):
            assert client.get("/api/v1/imports/").status_code == 200


def test_a_cache_that_fails_lets_the_call_through(cx_lead, as_user, fresh):
    client = as_user(fresh(cx_lead))
    broken = mock.Mock(get=mock.Mock(side_effect=ConnectionError("redis down")))
    with (
        low_rate("1/min"),
        mock.patch("cxplan.core.api.throttles.ExpensiveThrottle.cache", broken),
    ):
        codes = [client.post(ROI, FLOWS, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
