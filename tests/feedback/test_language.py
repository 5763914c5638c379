"""Each item's language, told at ingest: items not in the theme model's language
get no rule or model theme, and the ranking and the import count them."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.intake.language import languages_detect
from feedback.models import ThemeAssignment
from feedback.services.ranking import ranking_recompute
from feedback.tasks import train_themes
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    labelled_corpus,
)
from tests.feedback.intake_helpers import media  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/feedback/"

ENGLISH = "The wifi in my room never works and nobody at the desk could help."
FRENCH = "Le wifi de ma chambre ne marche jamais et personne ne m'a aidé."
GERMAN = "Das WLAN und der wifi Zugang im Zimmer funktionieren nie, sehr ärgerlich."


def test_the_detector_tells_english_french_and_german_and_not_two_words():
    got = languages_detect([ENGLISH, FRENCH, GERMAN, "Great service", "", None])
    assert got == ["en", "fr", "de", "", "", ""]


def test_short_english_texts_are_not_taken_for_another_language():
    # Churn reasons of a telecom file: the low-accuracy mode called a third of
    # these French or Italian.
    texts = [
        "Competitor made better offer",
        "Competitor had better devices",
        "Attitude of support person",
        "Price too high",
        "Product dissatisfaction",
        "Network reliability",
        "Long distance charges",
    ]
    assert set(languages_detect(texts)) <= {"en", ""}


def _post(client, texts, **fields):
    items = [
        {"text": t, "created": f"2026-10-{i + 1:02d}", **fields}
        for i, t in enumerate(texts)
    ]
    response = client.post(URL, items, format="json")
    assert response.status_code == 201, response.content
    return response


def test_items_get_their_language_and_the_api_shows_and_filters_it(
    cx_lead, advisor, as_user
):
    _post(as_user(cx_lead), [ENGLISH, FRENCH, GERMAN, "ok thanks"])
    body = as_user(advisor).get(URL).json()
    by_text = {r["text"]: r["language"] for r in body["results"]}
    assert by_text == {ENGLISH: "en", FRENCH: "fr", GERMAN: "de", "ok thanks": ""}
    french = as_user(advisor).get(URL, {"language": "fr"}).json()["results"]
    assert [r["text"] for r in french] == [FRENCH]
    other = as_user(advisor).get(URL, {"language": "other"}).json()["results"]
    assert sorted(r["text"] for r in other) == sorted([FRENCH, GERMAN])
    assert as_user(advisor).get(URL, {"language": "french!"}).status_code == 400


def test_keyword_rules_theme_only_the_theme_models_language(cx_lead, as_user):
    wifi = ThemeFactory(name="Wifi", keywords=["wifi"])
    _post(as_user(cx_lead), [ENGLISH, FRENCH, GERMAN])
    themed = set(
        ThemeAssignment.objects.filter(theme=wifi).values_list("item__text", flat=True)
    )
    assert themed == {ENGLISH}


def test_the_theme_language_is_a_setting(cx_lead, as_user, settings):
    settings.CXPLAN_THEME_LANGUAGE = "fr"
    wifi = ThemeFactory(name="Wifi", keywords=["wifi"])
    _post(as_user(cx_lead), [ENGLISH, FRENCH])
    themed = ThemeAssignment.objects.filter(theme=wifi)
    assert list(themed.values_list("item__text", flat=True)) == [FRENCH]


def test_the_model_predicts_no_theme_for_another_language():
    themes, _, _ = labelled_corpus()
    words = "invoice refund charged billing overcharged fee refund invoice"
    english = FeedbackItemFactory(text=f"my {words} again", language="en")
    french = FeedbackItemFactory(text=f"my {words} again", language="fr")
    assert train_themes.delay().get()["status"] == "ready"
    predicted = ThemeAssignment.objects.filter(method="model")
    assert predicted.filter(item=english, theme=themes["Billing"]).exists()
    assert not predicted.filter(item=french).exists()


def test_the_ranking_counts_the_other_languages(cx_lead, advisor, as_user, client):
    _post(as_user(cx_lead), [ENGLISH, FRENCH, GERMAN, "Lovely staff, thanks a lot"])
    ThemeFactory(name="Wifi", keywords=["wifi"])
    ranking_recompute(force=True)
    coverage = as_user(advisor).get("/api/v1/ranking/").json()["coverage"]
    assert coverage["other_language"] == 2
    assert coverage["in_window"] == 4
    assert coverage["themed"] + coverage["unthemed"] == coverage["in_window"]
    client.force_login(advisor)
    html = client.get("/ranking/").content.decode()
    assert 'data-testid="coverage-other-language"><strong>2</strong>' in html


@pytest.mark.usefixtures("media")
def test_an_import_counts_its_items_in_another_language(
    cx_lead, as_user, client, django_capture_on_commit_callbacks
):
    rows = [ENGLISH, FRENCH, GERMAN]
    data = "text,created\n" + "".join(
        f'"{t}",2026-10-0{i + 1}\n' for i, t in enumerate(rows)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(cx_lead).post(
            "/api/v1/imports/",
            {
                "file": SimpleUploadedFile("hotel.csv", data.encode()),
                "source": "hotel",
                "mapping": json.dumps({"text": "text", "created": "created"}),
            },
            format="multipart",
        )
    assert response.status_code == 202, response.content
    batch = as_user(cx_lead).get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert batch["status"] == "done"
    assert batch["other_language"] == 2
    assert batch["redacted"] == {"email": 0, "phone": 0, "card": 0}
    client.force_login(cx_lead)
    html = client.get(f"/imports/{batch['id']}/").content.decode()
    assert (
        '<dd data-testid="other-language"><a href="/feedback/?language=other">2</a>'
        in html
    )
