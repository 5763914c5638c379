"""The ideas list: filters and sorting for everyone, my ideas, constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Idea
from tests.factories import IdeaFactory, ThemeFactory
from tests.feedback.factories_ideas import IdeaCommentFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/ideas/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [i["id"] for i in response.json()["results"]]


def aged(idea, days):
    Idea.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return idea


def test_the_list_filters_by_theme_and_status(advisor, as_user):
    refunds = ThemeFactory(name="Refunds")
    a, b, c = IdeaFactory(), IdeaFactory(status="planned"), IdeaFactory()
    a.themes.add(refunds)
    b.themes.add(refunds)
    api = as_user(advisor)
    assert set(ids(api.get(IDEAS, {"theme": refunds.pk}))) == {a.pk, b.pk}
    assert ids(api.get(IDEAS, {"theme": refunds.pk, "status": "planned"})) == [b.pk]
    assert set(ids(api.get(IDEAS, {"status": "new"}))) == {a.pk, c.pk}


def test_the_list_sorts_newest_or_most_voted(advisor, as_user):
    old = aged(IdeaFactory(vote_count=5), 3)
    middle = aged(IdeaFactory(vote_count=1), 2)
    new = aged(IdeaFactory(vote_count=1), 1)
    api = as_user(advisor)
    assert ids(api.get(IDEAS)) == [new.pk, middle.pk, old.pk]
    assert ids(api.get(IDEAS, {"sort": "votes"})) == [old.pk, new.pk, middle.pk]


def test_a_bad_filter_answers_400(advisor, as_user):
    response = as_user(advisor).get(IDEAS, {"status": "finished"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_my_ideas_show_only_mine_with_their_status(client, advisor, other_advisor):
    IdeaFactory(author=advisor, title="Mine, planned", status="planned")
    IdeaFactory(author=other_advisor, title="Someone else's")
    client.force_login(advisor)
    html = client.get(reverse("idea-mine")).content.decode()
    assert "Mine, planned" in html
    assert "Someone else" not in html
    assert ">Planned</span>" in html


def test_the_list_page_filters_and_answers_htmx_with_the_results_only(
    client, executive
):
    refunds = ThemeFactory(name="Refunds")
    IdeaFactory(title="Refund tracker").themes.add(refunds)
    IdeaFactory(title="Faster login")
    client.force_login(executive)
    full = client.get(reverse("idea-list")).content.decode()
    assert "Refund tracker" in full and "Faster login" in full
    assert "<html" in full
    part = client.get(
        reverse("idea-list"), {"theme": refunds.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Refund tracker" in part and "Faster login" not in part
    assert "<html" not in part


def make_ideas(n):
    theme = ThemeFactory(name="Refunds")
    initiative = InitiativeFactory()
    for idea in IdeaFactory.create_batch(n):
        idea.themes.add(theme)
        initiative.ideas.add(idea)
        IdeaCommentFactory(idea=idea)


def test_the_api_list_query_count_does_not_grow_with_ideas(
    advisor, as_user, django_assert_max_num_queries
):
    api = as_user(advisor)
    make_ideas(2)
    with django_assert_max_num_queries(8) as few:
        api.get(IDEAS, {"sort": "votes"})
    make_ideas(30)
    with django_assert_max_num_queries(len(few)):
        assert len(ids(api.get(IDEAS, {"sort": "votes"}))) == 32


def test_the_list_page_query_count_does_not_grow_with_ideas(
    client, advisor, django_assert_max_num_queries
):
    client.force_login(advisor)
    make_ideas(2)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("idea-list"))
    make_ideas(30)
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("idea-list")).status_code == 200
