"""The ranking through its API, its page, the evidence search and the commands."""

import json

import pytest
from django.core.management import call_command

from feedback.models import RankingSnapshot
from feedback.services.ranking_state import ranking_mark_dirty, ranking_state_get
from feedback.tasks import recompute_ranking
from tests.factories import (
    ThemeFactory,
)
from tests.feedback.ranking_helpers import _say

# --- API ---------------------------------------------------------------------


def test_api_shape_and_revenue_hidden_from_advisors(world, as_user, advisor, cx_lead):
    recompute_ranking.apply().get()
    lead = as_user(cx_lead).get("/api/v1/ranking/").json()
    assert lead["themes"][0]["revenue_at_risk"] == pytest.approx(60000)
    assert set(lead) >= {"id", "computed_at", "window", "weights", "themes"}
    assert set(lead["themes"][0]) >= {
        "rank",
        "theme_id",
        "theme",
        "score",
        "customers",
        "mentions",
        "negative_share",
        "revenue_at_risk",
        "trend",
        "votes",
        "p_top3",
        "quotes",
    }
    adv = as_user(advisor).get("/api/v1/ranking/?top=3").json()
    assert len(adv["themes"]) == 3
    assert all(t["revenue_at_risk"] is None for t in adv["themes"])
    assert all("item_id" not in q for q in adv["themes"][0]["quotes"])


def test_api_refuses_anonymous_and_roleless(world, api, as_user, outsider):
    assert api.get("/api/v1/ranking/").status_code in (401, 403)
    assert as_user(outsider).get("/api/v1/ranking/").status_code == 403


def test_api_unknown_snapshot_is_404_and_bad_id_400(world, as_user, cx_lead):
    assert as_user(cx_lead).get("/api/v1/ranking/?snapshot=999").status_code == 404
    bad = as_user(cx_lead).get("/api/v1/ranking/?snapshot=abc")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "snapshot"


def test_recompute_endpoint_is_for_cx_leads(
    world, as_user, cx_lead, advisor, executive
):
    for user in (advisor, executive):
        assert as_user(user).post("/api/v1/ranking/recompute/").status_code == 403
    version = ranking_state_get().inputs_version
    assert as_user(cx_lead).post("/api/v1/ranking/recompute/").status_code == 202
    assert ranking_state_get().inputs_version == version + 1


def test_weights_put_validates_and_is_stored_with_the_next_snapshot(
    world, as_user, cx_lead, advisor
):
    body = {
        "customers": 0,
        "revenue_at_risk": 0,
        "negative_share": 0,
        "trend": 0,
        "votes": 1,
        "window_days": 30,
    }
    assert as_user(advisor).put("/api/v1/ranking/weights/", body).status_code == 403
    zero = {**body, "votes": 0}
    bad = as_user(cx_lead).put("/api/v1/ranking/weights/", zero, format="json")
    assert bad.status_code == 400
    neg = as_user(cx_lead).put(
        "/api/v1/ranking/weights/", {**body, "trend": -1}, format="json"
    )
    assert neg.status_code == 400 and neg.json()["errors"][0]["field"] == "trend"
    ok = as_user(cx_lead).put("/api/v1/ranking/weights/", body, format="json")
    assert ok.status_code == 200 and ok.json()["window_days"] == 30
    recompute_ranking.apply().get()
    snap = RankingSnapshot.objects.latest("computed_at")
    assert snap.weights["votes"] == 1.0 and snap.window_days == 30


def test_evidence_counts_customers_and_items(world, as_user, advisor):
    got = as_user(advisor).get("/api/v1/evidence/?q=slow refunds problem").json()
    assert got["items"] == 8 and got["customers"] == 8
    assert len(got["quotes"]) == 3
    assert as_user(advisor).get("/api/v1/evidence/?q=").status_code == 400


# --- page and commands -------------------------------------------------------


def test_page_shows_top_three_cards_and_hides_revenue_from_advisors(
    world, client, cx_lead, advisor
):
    recompute_ranking.apply().get()
    client.force_login(cx_lead)
    page = client.get("/ranking/").content.decode()
    assert page.count('data-testid="top-card"') == 3
    assert "<dt>Revenue at risk</dt>" in page and "60,000" in page
    assert "weights-form" in page
    top_id = RankingSnapshot.objects.latest("computed_at").themes[0]["theme_id"]
    assert f"/initiatives/new/?theme={top_id}" in page
    client.force_login(advisor)
    page = client.get("/ranking/").content.decode()
    # Advisors see the normalised component bar, never the money.
    assert "<dt>Revenue at risk</dt>" not in page and "60,000" not in page
    assert "weights-form" not in page and "/initiatives/new/" not in page


def test_page_query_count_does_not_grow_with_themes(
    world, client, cx_lead, django_assert_max_num_queries
):
    recompute_ranking.apply().get()
    client.force_login(cx_lead)
    # 13: the slice form's segment choices are one DISTINCT (cached at scale).
    with django_assert_max_num_queries(13):
        assert client.get("/ranking/").status_code == 200
    for i in range(15):
        _say(ThemeFactory(name=f"Extra {i}"), n=2)
    ranking_mark_dirty(enqueue=False)
    recompute_ranking.apply().get()
    with django_assert_max_num_queries(13):
        assert client.get("/ranking/").status_code == 200


def test_page_refuses_anonymous_and_roleless(world, client, outsider):
    assert client.get("/ranking/").status_code == 302
    client.force_login(outsider)
    assert client.get("/ranking/").status_code == 403


def test_page_recompute_and_weights_forms_are_for_cx_leads(
    world, client, executive, cx_lead
):
    client.force_login(executive)
    assert client.post("/ranking/recompute").status_code == 403
    assert client.post("/ranking/weights", {}).status_code == 403
    client.force_login(cx_lead)
    bad = client.post("/ranking/weights", {"customers": "x"})
    assert bad.status_code == 400
    ok = client.post(
        "/ranking/weights",
        {
            "customers": 1,
            "revenue_at_risk": 1,
            "negative_share": 0,
            "trend": 0,
            "votes": 0,
            "window_days": 60,
        },
    )
    assert ok.status_code == 302
    assert ranking_state_get().window_days == 60


def test_commands_recompute_sync_and_print_json(world, capsys):
    call_command("recompute_ranking", "--sync")
    call_command("ranking", "--json", "--top", "2")
    payload = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [t["theme"] for t in payload["themes"]] == ["App log-in", "Slow refunds"]
    call_command("ranking")
    assert "App log-in" in capsys.readouterr().out


def test_evidence_names_the_themes_and_the_search_box_answers(world, client, advisor):
    client.force_login(advisor)
    got = client.get("/api/v1/evidence/?q=log-in problem").json()
    assert got["themes"][0]["theme"] == "App log-in" and got["themes"][0]["items"] == 12
    partial = client.get("/evidence/?q=log-in problem", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'data-testid="evidence-result"' in html and "<html" not in html
    assert "12</strong> customers" in html
    assert "Nobody has said it" in client.get("/evidence/?q=forum").content.decode()
    assert "2 to 200" in client.get("/evidence/?q=x").content.decode()
