"""A decision e-mail stays one message with one subject line, whatever the title."""

import pytest
from django.core import mail

from initiatives.models import Allocation
from tests.factories import UserFactory
from tests.initiatives.factories_funding import (
    add_custom_benefit,
    initiative_costing,
    source_with,
)

pytestmark = pytest.mark.django_db


def test_a_title_with_cr_lf_adds_no_header_to_the_decision_email(
    as_user, executive, django_capture_on_commit_callbacks
):
    """The e-mail is sent (Django would refuse a subject with a newline), its
    subject is one line, and the title's "Bcc:" is text, not a header."""
    owner = UserFactory(username="olga", role="cx_lead")
    initiative = initiative_costing(10_000, title="A\r\nBcc: x@evil", owner=owner)
    add_custom_benefit(initiative, 20_000)
    source = source_with({0: 10_000})
    Allocation.objects.create(
        source=source, initiative=initiative, year=0, amount=10_000
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(executive).post(
            f"/api/v1/initiatives/{initiative.pk}/decide/", {"verdict": "approve"}
        )
    assert response.status_code == 201
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [owner.email]
    assert email.bcc == []
    assert "\r" not in email.subject and "\n" not in email.subject
    assert email.subject == "[CXPlan] Initiative approved: A Bcc: x@evil"
    message = email.message()
    assert message.get_all("Bcc") is None
    assert "x@evil" not in email.recipients()
    assert message.as_string().count("\nSubject:") == 1
