"""The Content-Security-Policy forbids <base> and sends forms only to this site."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) + [""] for part in policy.split(";"))
    return {name: value for name, value, *_ in parts if name}


def test_a_signed_in_page_forbids_base_and_foreign_form_targets(client, cx_lead):
    client.force_login(cx_lead)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_the_login_page_forbids_them_too(client):
    directives = _directives(client.get("/login/")["Content-Security-Policy"])
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
