"""Competency maturity: every role rates, the latest rating of each person counts,
role averages show the spread, and the two lowest become holes."""

import pytest
from django.urls import reverse

from strategy.models import CompetencyRating
from tests.factories import UserFactory
from tests.strategy.factories import competency

pytestmark = pytest.mark.django_db


def rate(client, key, score, **extra):
    return client.post(
        f"/api/v1/strategy/competencies/{competency(key).pk}/rate/",
        {"score": score, **extra},
        format="json",
    )


def listed(client):
    body = client.get("/api/v1/strategy/competencies/").json()
    return {c["key"]: c for c in body["results"]}


def test_the_role_comes_from_the_users_group(as_user, advisor, executive):
    assert rate(as_user(advisor), "listening_path", 2).json()["role"] == "advisor"
    assert rate(as_user(executive), "listening_path", 4).json()["role"] == "executive"


def test_role_averages_use_each_persons_latest_rating_and_show_the_spread(
    as_user, advisor, other_advisor, executive
):
    rate(as_user(advisor), "listening_path", 5)
    rate(as_user(advisor), "listening_path", 1)  # changed their mind: 1 counts
    rate(as_user(other_advisor), "listening_path", 2)
    rate(as_user(executive), "listening_path", 4)
    c = listed(as_user(advisor))["listening_path"]
    assert c["role_averages"] == {"cx_lead": None, "executive": 4.0, "advisor": 1.5}
    assert c["role_raters"] == {"cx_lead": 0, "executive": 1, "advisor": 2}
    assert c["spread"] == 2.5
    assert c["average"] == pytest.approx((1 + 2 + 4) / 3, abs=0.01)
    assert c["raters"] == 3
    assert CompetencyRating.objects.count() == 4  # history is kept


def test_the_spread_is_null_while_only_one_role_has_rated(as_user, advisor):
    rate(as_user(advisor), "one_company", 3)
    assert listed(as_user(advisor))["one_company"]["spread"] is None


def test_the_two_lowest_rated_competencies_are_the_holes(as_user, cx_lead):
    client = as_user(cx_lead)
    scores = {
        "customers_as_assets": 4,
        "align_around_experience": 2,
        "listening_path": 5,
        "proactive_reliability": 1,
        "one_company": 3,
    }
    for key, score in scores.items():
        rate(client, key, score)
    holes = {k for k, c in listed(client).items() if c["is_hole"]}
    assert holes == {"align_around_experience", "proactive_reliability"}


def test_a_user_with_several_roles_rates_as_the_role_they_choose(as_user):
    both = UserFactory(username="both", role="advisor")
    both.groups.add(*UserFactory(username="tmp", role="cx_lead").groups.all())
    client = as_user(both)
    assert rate(client, "one_company", 3).json()["role"] == "cx_lead"
    assert rate(client, "one_company", 2, role="advisor").json()["role"] == "advisor"


def test_rating_as_a_role_you_do_not_hold_is_refused(as_user, advisor):
    answer = rate(as_user(advisor), "one_company", 3, role="executive")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "role"
    assert not CompetencyRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "high", None, 2.5])
def test_a_score_outside_one_to_five_is_a_400_and_records_nothing(
    as_user, advisor, score
):
    answer = rate(as_user(advisor), "one_company", score)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "score"
    assert not CompetencyRating.objects.exists()


def test_history_averages_ratings_by_month_and_role(as_user, advisor, executive):
    rate(as_user(advisor), "listening_path", 2)
    rate(as_user(advisor), "listening_path", 4)
    rate(as_user(executive), "listening_path", 5)
    key = competency("listening_path").pk
    points = (
        as_user(advisor)
        .get(f"/api/v1/strategy/competencies/{key}/history/")
        .json()["results"]
    )
    by_role = {p["role"]: (p["average"], p["ratings"]) for p in points}
    assert by_role == {"advisor": (3.0, 2), "executive": (5.0, 1)}


def test_the_page_form_rates_several_competencies_at_once(client, advisor):
    client.force_login(advisor)
    answer = client.post(
        reverse("strategy-rate"),
        {
            f"score_{competency('listening_path').pk}": "2",
            f"score_{competency('one_company').pk}": "4",
            f"score_{competency('customers_as_assets').pk}": "",
        },
    )
    assert answer.status_code == 302
    assert sorted(
        CompetencyRating.objects.values_list("competency__key", "score", "role")
    ) == [("listening_path", 2, "advisor"), ("one_company", 4, "advisor")]


def test_the_rating_form_refuses_users_without_a_role(client, outsider):
    client.force_login(outsider)
    answer = client.post(
        reverse("strategy-rate"), {f"score_{competency('one_company').pk}": "4"}
    )
    assert answer.status_code == 403
    assert not CompetencyRating.objects.exists()


def test_the_competency_list_query_count_does_not_grow_with_ratings(
    as_user, advisor, django_assert_max_num_queries
):
    client = as_user(advisor)
    rate(client, "one_company", 3)
    for i in range(15):
        user = UserFactory(username=f"rater{i}", role="advisor")
        rate(as_user(user), "one_company", 1 + i % 5)
        rate(as_user(user), "listening_path", 1 + i % 5)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/strategy/competencies/").status_code == 200
