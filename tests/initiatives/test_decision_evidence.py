"""Decisions keep their evidence: what an initiative was decided on is frozen,
and an import or a retrain afterwards shows as a change since, never as a
rewrite (API, the initiative page)."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Theme
from feedback.services.ranking import ranking_recompute
from feedback.tasks import train_themes
from initiatives.models import Decision
from tests.factories import FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    label,
    text_about,
)
from tests.feedback.intake_helpers import csv_bytes, media  # noqa: F401
from tests.initiatives.factories_funding import (
    add_custom_benefit,
    initiative_costing,
)
from tests.initiatives.factories_initiatives import theme_with_feedback
from tests.initiatives.test_decisions import decide_url, funded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def decided(as_user, executive, django_capture_on_commit_callbacks):
    """An initiative on a theme 6 customers raised, approved by an executive."""
    theme = theme_with_feedback("Login fails", customers=6)
    Theme.objects.filter(pk=theme.pk).update(keywords=["log in"])
    initiative = initiative_costing(10_000, title="Fix log-in")
    initiative.themes.set([theme])
    add_custom_benefit(initiative, 20_000)
    funded(initiative)
    ranking_recompute(force=True)
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(executive).post(decide_url(initiative), {"verdict": "approve"})
    assert answer.status_code == 201, answer.content
    return {"initiative": initiative, "theme": theme, "decision": answer.json()["id"]}


def _detail(client, decision_id):
    answer = client.get(f"/api/v1/decisions/{decision_id}/")
    assert answer.status_code == 200, answer.content
    return answer.json()


def _import(client, capture, rows):
    file = SimpleUploadedFile("more.csv", csv_bytes(*rows), content_type="text/csv")
    with capture(execute=True):
        answer = client.post(
            "/api/v1/imports/", {"file": file, "source": "survey"}, format="multipart"
        )
    assert answer.status_code == 202, answer.content


def _retrain_and_apply():
    """Labels for three more themes and the login theme; the model is applied."""
    rng = random.Random(4)
    for name in ("Billing", "Delivery"):
        theme = ThemeFactory(name=name)
        for _ in range(6):
            label(FeedbackItemFactory(text=text_about(rng, name)), theme)
    login = Theme.objects.get(name="Login fails")
    for _ in range(6):
        label(FeedbackItemFactory(text=text_about(rng, "Login")), login)
    result = train_themes.delay().get()
    assert result["state"] == "applied", result


def test_the_decision_freezes_its_evidence(as_user, executive, decided):
    body = _detail(as_user(executive), decided["decision"])
    evidence = body["evidence"]
    assert evidence["items"] == 6 and evidence["customers"] == 6
    # The ranking's own revenue at risk of the linked theme.
    ranking = as_user(executive).get("/api/v1/ranking/").json()
    entry = next(t for t in ranking["themes"] if t["theme_id"] == decided["theme"].pk)
    assert evidence["revenue_at_risk"] == pytest.approx(entry["revenue_at_risk"])
    assert evidence["revenue_at_risk"] > 0
    assert 1 <= len(evidence["quotes"]) <= 3
    assert len({q["text"] for q in evidence["quotes"]}) == len(evidence["quotes"])
    assert evidence["model_version"] is None
    assert evidence["window"][0] == ranking["window"]["start"]
    assert body["since_decision"]["changed"] is False
    assert body["since_decision"]["message"] == "Unchanged since the decision."


def test_an_import_and_a_retrain_change_nothing_frozen_and_show_as_since(
    as_user, executive, cx_lead, decided, django_capture_on_commit_callbacks
):
    client = as_user(executive)
    frozen = _detail(client, decided["decision"])["evidence"]
    rows = [
        f"n{i},I cannot log in at all ({i}),2026-11-2{i % 9},survey,2,nps,NC{i},smb"
        for i in range(5)
    ]
    _import(as_user(cx_lead), django_capture_on_commit_callbacks, rows)
    _retrain_and_apply()
    ranking_recompute(force=True)

    body = _detail(client, decided["decision"])
    assert body["evidence"] == frozen
    assert Decision.objects.get(pk=decided["decision"]).figures["evidence"] == frozen
    since = body["since_decision"]
    assert since["changed"] is True
    assert since["items"] >= 5 and since["customers"] >= 5
    assert since["revenue_at_risk"] != 0 or since["items"] > 0
    assert since["model_changed"] is True
    assert since["message"].startswith(f"Since the decision: +{since['items']} items")
    assert "theme model v- -> v" in since["message"]
    # The list carries the same frozen evidence.
    listed = client.get(f"/api/v1/decisions/?initiative={decided['initiative'].pk}")
    assert listed.json()["results"][0]["evidence"] == frozen


def test_the_initiative_page_shows_the_frozen_evidence_and_the_change(
    client, executive, cx_lead, as_user, decided, django_capture_on_commit_callbacks
):
    rows = [
        f"p{i},Still cannot log in ({i}),2026-11-1{i},survey,1,nps,PC{i},smb"
        for i in range(3)
    ]
    _import(as_user(cx_lead), django_capture_on_commit_callbacks, rows)
    ranking_recompute(force=True)
    client.force_login(executive)
    html = client.get(f"/initiatives/{decided['initiative'].pk}/").content.decode()
    assert 'data-testid="decided-evidence"' in html
    assert "Approved on: 6 items from 6 customers" in html
    assert "Since the decision: +3 items, +3 customers" in html


def test_decisions_of_initiatives_an_advisor_cannot_read_are_404(
    as_user, advisor, decided
):
    answer = as_user(advisor).get(f"/api/v1/decisions/{decided['decision']}/")
    assert answer.status_code == 404


def test_the_deck_shows_the_frozen_figures_and_the_change(
    as_user, cx_lead, decided, django_capture_on_commit_callbacks
):
    from deck.slides import slides_build
    from deck.snapshot import snapshot_collect

    rows = [
        f"d{i},Cannot log in again ({i}),2026-11-1{i},survey,1,nps,DC{i},smb"
        for i in range(4)
    ]
    _import(as_user(cx_lead), django_capture_on_commit_callbacks, rows)
    ranking_recompute(force=True)
    data = snapshot_collect()
    entry = next(i for i in data["initiatives"] if i["title"] == "Fix log-in")
    assert entry["decided"]["evidence"]["items"] == 6
    slide = next(s for s in slides_build(data) if s.key == "improvement-1")
    text = " ".join(slide.bullets)
    assert "on 6 items from 6 customers" in text
    assert "Since the decision: +4 items, +4 customers" in text


def test_an_advisor_sees_the_frozen_counts_but_not_the_revenue(
    as_user, advisor, decided
):
    from tests.factories import IdeaFactory

    IdeaFactory(author=advisor).initiatives.add(decided["initiative"])
    body = _detail(as_user(advisor), decided["decision"])
    assert body["evidence"]["items"] == 6
    assert body["evidence"]["revenue_at_risk"] is None
    assert all(t["revenue_at_risk"] is None for t in body["evidence"]["themes"])
    assert body["since_decision"]["revenue_at_risk"] is None
    frozen = Decision.objects.get(pk=decided["decision"]).figures["evidence"]
    assert str(int(frozen["revenue_at_risk"])) not in str(body["evidence"])
