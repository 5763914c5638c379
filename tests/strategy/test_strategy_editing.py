"""A CX lead edits the strategy, steps, actions and metrics through the API; stale
edits are refused and lists stay cheap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxplan.core.models import AuditEvent
from feedback.models import RankingSnapshot
from strategy import services
from strategy.models import Action, MissionVersion, Strategy, SuccessMetric
from tests.factories import UserFactory
from tests.strategy.factories import (
    ActionFactory,
    SuccessMetricFactory,
    competency,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(as_user, cx_lead):
    services.strategy_ensure()
    return as_user(cx_lead)


def test_the_presentation_date_drives_the_countdown(lead):
    day = timezone.localdate() + timedelta(days=12)
    answer = lead.patch(
        "/api/v1/strategy/", {"presentation_date": day.isoformat()}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["days_left"] == 12
    assert answer.json()["version"] == 2
    assert answer["ETag"] == '"2"'


def test_a_stale_if_match_is_412_and_a_stale_body_version_409(lead):
    lead.patch("/api/v1/strategy/", {"name": "First"}, format="json")
    stale = lead.patch(
        "/api/v1/strategy/", {"name": "Second"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    stale = lead.patch(
        "/api/v1/strategy/", {"name": "Third", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert Strategy.objects.get().name == "First"


def test_mission_versions_are_kept_and_the_newest_is_the_mission(lead):
    for text in ("Be easy to deal with.", "Make every contact worth it."):
        assert (
            lead.post(
                "/api/v1/strategy/mission/", {"text": text}, format="json"
            ).status_code
            == 201
        )
    assert lead.get("/api/v1/strategy/").json()["mission"] == (
        "Make every contact worth it."
    )
    versions = lead.get("/api/v1/strategy/mission/").json()
    assert [v["text"] for v in versions["results"]] == [
        "Make every contact worth it.",
        "Be easy to deal with.",
    ]
    assert versions["results"][0]["created_by"] == "clara"


def test_an_empty_mission_is_a_400(lead):
    answer = lead.post("/api/v1/strategy/mission/", {"text": "  "}, format="json")
    assert answer.status_code == 400
    assert not MissionVersion.objects.exists()


def test_steps_are_listed_in_order_one_to_five(lead):
    body = lead.get("/api/v1/strategy/steps/").json()
    assert [s["order"] for s in body["results"]] == [1, 2, 3, 4, 5]
    assert body["results"][4]["key"] == "ceo_buy_in"


def test_a_step_takes_an_owner_due_date_notes_and_evidence(lead, executive):
    step = lead.get("/api/v1/strategy/steps/").json()["results"][0]
    answer = lead.patch(
        f"/api/v1/strategy/steps/{step['id']}/",
        {
            "status": "in_progress",
            "owner": executive.pk,
            "due_date": "2026-12-01",
            "notes": "Workshop with finance.",
            "evidence": "Board pack, slide 4.",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["owner_name"] == "evan"
    assert (body["status"], body["due_date"]) == ("in_progress", "2026-12-01")
    event = AuditEvent.objects.get(action="strategy.step_update")
    assert event.changes["status"] == ["not_started", "in_progress"]


def test_a_step_owner_must_be_a_member(lead, outsider):
    step = lead.get("/api/v1/strategy/steps/").json()["results"][0]
    answer = lead.patch(
        f"/api/v1/strategy/steps/{step['id']}/", {"owner": outsider.pk}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "owner"


def test_what_customers_want_pins_the_latest_ranking_when_done(lead, advisor, as_user):
    RankingSnapshot.objects.create(themes=[])
    latest = RankingSnapshot.objects.create(
        themes=[{"rank": 1, "theme": "Slow refunds", "revenue_at_risk": 9}]
    )
    steps = lead.get("/api/v1/strategy/steps/").json()["results"]
    step = next(s for s in steps if s["key"] == "what_customers_want")
    assert step["ranking"]["top"][0]["theme"] == "Slow refunds"
    answer = lead.patch(
        f"/api/v1/strategy/steps/{step['id']}/", {"status": "done"}, format="json"
    )
    assert answer.json()["ranking_snapshot_id"] == latest.pk
    seen_by_advisor = as_user(advisor).get(f"/api/v1/strategy/steps/{step['id']}/")
    assert "revenue_at_risk" not in seen_by_advisor.json()["ranking"]["top"][0]


def test_actions_are_created_edited_with_versions_and_deleted(lead):
    created = lead.post(
        "/api/v1/strategy/actions/",
        {
            "competency": competency("one_company").pk,
            "kind": "uniting_leadership",
            "title": "Shared goal",
            "team": "Leadership",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    action = created.json()
    assert action["version"] == 1 and action["competency_key"] == "one_company"
    edited = lead.patch(
        f"/api/v1/strategy/actions/{action['id']}/",
        {"status": "in_progress", "version": 1},
        format="json",
    )
    assert edited.json()["version"] == 2
    stale = lead.patch(
        f"/api/v1/strategy/actions/{action['id']}/",
        {"status": "done", "version": 1},
        format="json",
    )
    assert stale.status_code == 409
    assert Action.objects.get(pk=action["id"]).status == "in_progress"
    assert lead.delete(f"/api/v1/strategy/actions/{action['id']}/").status_code == 204
    assert not Action.objects.filter(pk=action["id"]).exists()


def test_an_action_with_an_unknown_kind_is_a_400(lead):
    answer = lead.post(
        "/api/v1/strategy/actions/",
        {"competency": competency("one_company").pk, "kind": "magic", "title": "x"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "kind"


def test_actions_filter_by_competency(lead):
    ActionFactory(competency=competency("listening_path"), title="Listen")
    body = lead.get(
        f"/api/v1/strategy/actions/?competency={competency('listening_path').pk}"
        "&page_size=500"
    ).json()
    assert body["results"]
    assert {a["competency_key"] for a in body["results"]} == {"listening_path"}


def test_metrics_take_baseline_target_current_and_direction(lead):
    created = lead.post(
        "/api/v1/strategy/metrics/",
        {
            "name": "Churn",
            "kind": "churn",
            "unit": "%",
            "baseline": 12,
            "target": 9,
            "current": 10.5,
            "direction": "down",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "behind"
    assert body["progress"] == 0.5
    assert SuccessMetric.objects.get().direction == "down"


def test_a_metric_with_a_duplicate_name_is_a_400(lead):
    SuccessMetricFactory(name="NPS", kind="nps")
    answer = lead.post(
        "/api/v1/strategy/metrics/", {"name": "NPS", "kind": "nps"}, format="json"
    )
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/strategy/actions/",
        "/api/v1/strategy/metrics/",
        "/api/v1/strategy/steps/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(
    lead, url, django_assert_max_num_queries
):
    lead.get(url)
    for i in range(12):
        owner = UserFactory(username=f"owner{i}", role="cx_lead")
        ActionFactory(owner=owner, team=f"T{i}")
        SuccessMetricFactory(owner=owner, baseline=1, target=2, current=1.5)
    with django_assert_max_num_queries(12):
        assert lead.get(url).status_code == 200
