"""Theme management through the API: create, edit, merge, archive, access."""

import pytest

from feedback.models import Theme, ThemeAssignment
from feedback.services.ranking_state import ranking_state_get
from tests.factories import FeedbackItemFactory, IdeaFactory, ThemeFactory
from tests.feedback.factories_themes import _fresh_cache  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/themes/"


def test_cx_lead_creates_a_theme_and_its_rules_apply(as_user, cx_lead):
    hit = FeedbackItemFactory(text="My refunds are always late")
    miss = FeedbackItemFactory(text="Lovely staff")
    response = as_user(cx_lead).post(
        URL,
        {"name": "Late refunds", "keywords": ["refund", " refund "]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["keywords"] == ["refund"]
    assert body["feedback_count"] == 1
    theme = Theme.objects.get(pk=body["id"])
    assert ThemeAssignment.objects.get(item=hit).theme == theme
    assert not ThemeAssignment.objects.filter(item=miss).exists()


def test_a_duplicate_name_is_refused_whatever_its_case(as_user, cx_lead):
    ThemeFactory(name="Late refunds")
    response = as_user(cx_lead).post(URL, {"name": "late REFUNDS"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_changing_keywords_reapplies_the_rules(as_user, cx_lead):
    theme = ThemeFactory(name="Login", keywords=["password"])
    old = FeedbackItemFactory(text="I forgot my password")
    new = FeedbackItemFactory(text="Two-factor codes never arrive")
    as_user(cx_lead).post(URL, {"name": "Other", "keywords": ["x"]}, format="json")
    assert ThemeAssignment.objects.filter(item=old, theme=theme).exists()
    before = ranking_state_get().inputs_version
    response = as_user(cx_lead).patch(
        f"{URL}{theme.pk}/", {"keywords": ["codes"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert not ThemeAssignment.objects.filter(item=old).exists()
    assert ThemeAssignment.objects.get(item=new).method == "rule"
    assert ranking_state_get().inputs_version > before


def test_a_stale_edit_answers_409(as_user, cx_lead):
    theme = ThemeFactory(name="Login", version=3)
    response = as_user(cx_lead).patch(
        f"{URL}{theme.pk}/", {"description": "x", "version": 2}, format="json"
    )
    assert response.status_code == 409


def test_merge_moves_every_assignment_and_keeps_the_stronger_duplicate(
    as_user, cx_lead
):
    source = ThemeFactory(name="Log-in", keywords=["log in"])
    target = ThemeFactory(name="Login", keywords=["password"])
    only_source = FeedbackItemFactory()
    both = FeedbackItemFactory()
    both_manual = FeedbackItemFactory()
    only_target = FeedbackItemFactory()
    make = ThemeAssignment.objects.create
    make(item=only_source, theme=source, method="model", confidence=0.7)
    make(item=both, theme=source, method="manual", confidence=1.0, assigned_by=cx_lead)
    make(item=both, theme=target, method="model", confidence=0.6)
    make(item=both_manual, theme=source, method="rule", confidence=0.9)
    make(item=both_manual, theme=target, method="manual", confidence=1.0)
    make(item=only_target, theme=target, method="rule", confidence=0.9)
    idea = IdeaFactory()
    idea.themes.add(source)

    response = as_user(cx_lead).post(
        f"{URL}{source.pk}/merge/", {"into": target.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["feedback_count"] == 4
    assert not ThemeAssignment.objects.filter(theme=source).exists()
    got = {
        a.item_id: (a.method, a.assigned_by_id)
        for a in ThemeAssignment.objects.filter(theme=target)
    }
    assert got == {
        only_source.pk: ("model", None),
        both.pk: ("manual", cx_lead.pk),
        both_manual.pk: ("manual", None),
        only_target.pk: ("rule", None),
    }
    source.refresh_from_db()
    target.refresh_from_db()
    assert not source.is_active and source.merged_into == target
    assert target.keywords == ["password", "log in"]
    assert list(idea.themes.all()) == [target]


def test_a_theme_cannot_be_merged_into_itself(as_user, cx_lead):
    theme = ThemeFactory(name="Login")
    response = as_user(cx_lead).post(
        f"{URL}{theme.pk}/merge/", {"into": theme.pk}, format="json"
    )
    assert response.status_code == 400


def test_archive_keeps_manual_labels_and_drops_guesses(as_user, cx_lead):
    theme = ThemeFactory(name="Login")
    manual, guessed = FeedbackItemFactory(), FeedbackItemFactory()
    ThemeAssignment.objects.create(item=manual, theme=theme, method="manual")
    ThemeAssignment.objects.create(
        item=guessed, theme=theme, method="model", confidence=0.8
    )
    response = as_user(cx_lead).delete(f"{URL}{theme.pk}/")
    assert response.status_code == 204
    theme.refresh_from_db()
    assert not theme.is_active
    assert list(ThemeAssignment.objects.values_list("item_id", flat=True)) == [
        manual.pk
    ]
    listed = as_user(cx_lead).get(URL).json()["results"]
    assert theme.pk not in [t["id"] for t in listed]
    archived = as_user(cx_lead).get(URL, {"archived": "true"}).json()["results"]
    assert theme.pk in [t["id"] for t in archived]


def test_members_read_themes_but_only_cx_leads_write(
    as_user, advisor, executive, outsider
):
    theme = ThemeFactory(name="Login")
    for user in (advisor, executive):
        client = as_user(user)
        assert client.get(URL).status_code == 200
        assert client.get(f"{URL}{theme.pk}/").status_code == 200
        assert client.post(URL, {"name": "X"}, format="json").status_code == 403
        assert client.patch(f"{URL}{theme.pk}/", {}, format="json").status_code == 403
        assert client.delete(f"{URL}{theme.pk}/").status_code == 403
        merge = client.post(f"{URL}{theme.pk}/merge/", {"into": 1}, format="json")
        assert merge.status_code == 403
    assert as_user(outsider).get(URL).status_code == 403
    assert as_user(None).get(URL).status_code in (401, 403)


def test_the_theme_list_counts_feedback_in_constant_queries(
    as_user, advisor, django_assert_max_num_queries
):
    client = as_user(advisor)

    def grow(n):
        for _ in range(n):
            theme = ThemeFactory()
            for _ in range(3):
                ThemeAssignment.objects.create(
                    item=FeedbackItemFactory(), theme=theme, method="rule"
                )

    grow(2)
    with django_assert_max_num_queries(5):
        assert client.get(URL).status_code == 200
    grow(10)
    with django_assert_max_num_queries(5):
        body = client.get(URL).json()
    assert body["count"] == 12
    assert {t["feedback_count"] for t in body["results"]} == {3}
