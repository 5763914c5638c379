"""Roles exist, each persona logs in and sees its own navigation."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_are_created_by_a_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"cx_lead", "executive", "advisor"} <= names


def test_login_page_answers_and_logs_a_persona_in(client, advisor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'name="password"' in page.content
    answer = client.post(
        reverse("login"), {"username": "ada", "password": PASSWORD}, follow=True
    )
    assert answer.status_code == 200
    assert answer.wsgi_request.user == advisor


def test_a_wrong_password_is_refused_with_a_message(client, advisor):
    answer = client.post(reverse("login"), {"username": "ada", "password": "nope"})
    assert answer.status_code == 200
    assert not answer.wsgi_request.user.is_authenticated
    assert b"did not match" in answer.content


def test_anonymous_visitors_are_sent_to_login(client):
    answer = client.get(reverse("dashboard"))
    assert answer.status_code == 302
    assert reverse("login") in answer["Location"]


def test_a_user_without_a_role_is_refused_the_dashboard(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("dashboard")).status_code == 403


def test_logout_needs_a_post_and_ends_the_session(client, advisor):
    client.force_login(advisor)
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize(
    "persona, sees, does_not_see",
    [
        (
            "advisor",
            ['data-nav="dashboard"'],
            ['data-nav="imports"', 'data-nav="review"'],
        ),
        ("cx_lead", ['data-nav="dashboard"'], ['data-nav="review"']),
        ("executive", ['data-nav="dashboard"'], ['data-nav="imports"']),
    ],
)
def test_each_role_sees_its_own_navigation(
    client, request, persona, sees, does_not_see
):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard")).content.decode()
    for marker in sees:
        assert marker in html
    for marker in does_not_see:
        assert marker not in html
