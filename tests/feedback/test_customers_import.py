"""Customer outcomes (issue 23.2): a CSV with a mapping, all or nothing."""

import json
from datetime import date

import pytest

from feedback.models import Customer
from tests.factories import CustomerFactory

URL = "/api/v1/customers/import/"


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("customers.csv", text.encode(), "text/csv")


@pytest.mark.django_db
def test_it_creates_and_updates_customers_with_their_outcomes(as_user, cx_lead):
    CustomerFactory(external_id="K1", segment="consumer", annual_revenue=10)
    body = "Account,Lost,Lost on,ARR\nK1,yes,2026-03-01,1200.50\nK2,no,,300\nK3,,,\n"
    mapping = json.dumps(
        {
            "Account": "external_id",
            "Lost": "churned",
            "Lost on": "churned_on",
            "ARR": "annual_revenue",
        }
    )
    response = as_user(cx_lead).post(
        URL, {"file": _csv(body), "mapping": mapping}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2, "updated": 1}
    k1 = Customer.objects.get(external_id="K1")
    assert (k1.churned, k1.churned_on) == (True, date(2026, 3, 1))
    assert str(k1.annual_revenue) == "1200.50"
    assert k1.segment == "consumer"  # not in the file: kept
    assert Customer.objects.get(external_id="K2").churned is False
    assert Customer.objects.get(external_id="K3").churned is None
    listed = as_user(cx_lead).get("/api/v1/customers/", {"external_id": "K1"}).json()
    (row,) = listed["results"]
    assert row["churned"] is True and row["churned_on"] == "2026-03-01"


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_line_and_field(as_user, cx_lead):
    body = (
        "external_id,churned,churned_on,annual_revenue\n"
        "K1,yes,2026-03-01,100\n"
        "K2,maybe,,100\n"
        "K3,no,2026-02-01,100\n"
        "K4,yes,March,-5\n"
        "K1,no,,1\n"
    )
    response = as_user(cx_lead).post(URL, {"file": _csv(body)}, format="multipart")
    assert response.status_code == 400
    errors = {(e["line"], e["field"]) for e in response.json()["errors"]}
    assert errors == {
        (3, "churned"),
        (4, "churned_on"),
        (5, "churned_on"),
        (5, "annual_revenue"),
        (6, "external_id"),
    }
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_a_file_without_external_ids_or_with_a_bad_mapping_is_refused(as_user, cx_lead):
    client = as_user(cx_lead)
    response = client.post(
        URL, {"file": _csv("who,churned\nK1,yes\n")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_id"
    response = client.post(
        URL,
        {"file": _csv("who\nK1\n"), "mapping": '{"who": "shoe_size"}'},
        format="multipart",
    )
    assert response.status_code == 400 and "shoe_size" in str(response.json())
    response = client.post(URL, {"file": _csv("")}, format="multipart")
    assert response.status_code == 400


@pytest.mark.django_db
def test_only_cx_leads_may_import(api, as_user, advisor, executive):
    body = "external_id,churned\nK1,yes\n"
    assert api.post(URL, {"file": _csv(body)}, format="multipart").status_code in (
        401,
        403,
    )
    for user in (advisor, executive):
        response = as_user(user).post(URL, {"file": _csv(body)}, format="multipart")
        assert response.status_code == 403
    assert not Customer.objects.exists()
