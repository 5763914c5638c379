"""Notifications: each person sees and marks only their own; others' are 404."""

import copy

import pytest
from django.urls import reverse

from feedback.models import Notification
from tests.feedback.factories_ideas import NotificationFactory

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/notifications/"


def test_i_list_only_my_notifications(advisor, other_advisor, as_user):
    mine = NotificationFactory.create_batch(2, user=advisor)
    NotificationFactory(user=other_advisor)
    response = as_user(advisor).get(NOTES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {n["id"] for n in body["results"]} == {n.pk for n in mine}


def test_the_unread_filter_lists_unread_only(advisor, as_user):
    unread = NotificationFactory(user=advisor)
    read = NotificationFactory(user=advisor)
    as_user(advisor).post(f"{NOTES}{read.pk}/read/")
    results = as_user(advisor).get(NOTES, {"unread": "true"}).json()["results"]
    assert [n["id"] for n in results] == [unread.pk]


def test_another_persons_notification_answers_404_and_stays_unread(
    advisor, other_advisor, as_user
):
    theirs = NotificationFactory(user=other_advisor)
    api = as_user(advisor)
    assert api.get(f"{NOTES}{theirs.pk}/").status_code == 404
    assert api.post(f"{NOTES}{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_is_idempotent_and_keeps_the_first_time(advisor, as_user):
    note = NotificationFactory(user=advisor)
    api = as_user(advisor)
    first = api.post(f"{NOTES}{note.pk}/read/").json()
    second = api.post(f"{NOTES}{note.pk}/read/").json()
    assert first["read"] is True
    assert first["read_at"] == second["read_at"]


def test_read_all_marks_only_mine(advisor, other_advisor, as_user):
    NotificationFactory.create_batch(3, user=advisor)
    theirs = NotificationFactory(user=other_advisor)
    response = as_user(advisor).post(f"{NOTES}read-all/")
    assert response.json() == {"marked": 3, "unread": 0}
    assert not Notification.objects.filter(user=advisor, read_at=None).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_people_without_a_role_or_login_get_no_notifications(outsider, as_user):
    assert as_user(outsider).get(NOTES).status_code == 403
    assert as_user(None).get(NOTES).status_code in (401, 403)


def test_the_nav_shows_my_unread_count(client, advisor, settings):
    # Until the processor is in settings.py, add it for this test only.
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if "feedback.context.notifications" not in processors:
        processors.append("feedback.context.notifications")
        settings.TEMPLATES = templates
    NotificationFactory.create_batch(2, user=advisor)
    client.force_login(advisor)
    html = client.get(reverse("idea-list")).content.decode()
    assert '<span class="badge" data-testid="unread-count">2</span>' in html
    assert 'aria-label="Notifications, 2 unread"' in html


def test_the_page_lists_mine_and_opening_one_marks_it_read(
    client, advisor, other_advisor
):
    mine = NotificationFactory(
        user=advisor, message="Your idea is planned", url="/ideas/"
    )
    NotificationFactory(user=other_advisor, message="Not for ada")
    client.force_login(advisor)
    html = client.get(reverse("notification-list")).content.decode()
    assert "Your idea is planned" in html and "Not for ada" not in html
    response = client.post(reverse("notification-open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/ideas/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_the_page_refuses_to_open_someone_elses_notification(
    client, advisor, other_advisor
):
    theirs = NotificationFactory(user=other_advisor)
    client.force_login(advisor)
    assert (
        client.post(reverse("notification-open", args=[theirs.pk])).status_code == 404
    )
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_notification_never_redirects_off_site(client, advisor):
    note = NotificationFactory(user=advisor, url="https://evil.example/")
    client.force_login(advisor)
    response = client.post(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == reverse("notification-list")


def test_read_all_from_the_page(client, advisor):
    NotificationFactory.create_batch(2, user=advisor)
    client.force_login(advisor)
    client.post(reverse("notification-read-all"))
    assert not Notification.objects.filter(read_at=None).exists()
