"""The health check: each rule warns on the failure it names and only then."""

import pytest
from django.urls import reverse

from strategy import health
from tests.factories import IdeaFactory, ThemeFactory, UserFactory
from tests.strategy.factories import (
    ActionFactory,
    AllocationFactory,
    InitiativeFactory,
    RatingFactory,
    SuccessMetricFactory,
)

pytestmark = pytest.mark.django_db


def tool_without_theme():
    InitiativeFactory(title="New CRM", is_technology=True)


def tool_with_theme():
    InitiativeFactory(
        title="Refund tracker", is_technology=True, themes=[ThemeFactory()]
    )


def approved_without_owner_or_money():
    InitiativeFactory(title="Call-back", status="approved")


def approved_with_owner_and_money():
    owner = UserFactory(role="cx_lead")
    AllocationFactory(initiative=InitiativeFactory(status="approved", owner=owner))


def metric_without_target():
    SuccessMetricFactory(name="NPS", kind="nps")


def metric_with_target():
    SuccessMetricFactory(name="NPS", kind="nps", target=40)


def no_front_line_input():
    IdeaFactory(author=UserFactory(role="cx_lead"))  # an idea, but not an advisor's


def advisor_idea_and_rating():
    advisor = UserFactory(role="advisor")
    IdeaFactory(author=advisor)
    RatingFactory(rated_by=advisor, role="advisor")


def productivity_metrics_only():
    SuccessMetricFactory(name="Handle time", kind="productivity", target=300)
    SuccessMetricFactory(name="Cost per contact", kind="cost_to_serve", target=4)


def productivity_and_nps():
    productivity_metrics_only()
    SuccessMetricFactory(name="NPS", kind="nps", target=40)


def one_team_owns_every_action():
    ActionFactory(team="CX team")
    ActionFactory(team="cx team ")


def actions_across_teams():
    ActionFactory(team="CX team")
    ActionFactory(team="Billing")


def initiative_without_evidence():
    InitiativeFactory(title="Mascot")


def initiative_from_an_advisor_idea():
    InitiativeFactory(title="Call-back", ideas=[IdeaFactory()])


CASES = [
    ("strategy_by_technology", tool_without_theme, tool_with_theme),
    (
        "no_people_or_money",
        approved_without_owner_or_money,
        approved_with_owner_and_money,
    ),
    ("no_definition_of_success", metric_without_target, metric_with_target),
    ("front_line_not_involved", no_front_line_input, advisor_idea_and_rating),
    ("productivity_only_metrics", productivity_metrics_only, productivity_and_nps),
    ("silos", one_team_owns_every_action, actions_across_teams),
    (
        "evidence_free_pet_projects",
        initiative_without_evidence,
        initiative_from_an_advisor_idea,
    ),
]


def check(client, key):
    body = client.get("/api/v1/strategy/health/").json()
    assert body["warnings"] == sum(1 for c in body["checks"] if not c["ok"])
    return next(c for c in body["checks"] if c["key"] == key)


@pytest.mark.parametrize("key,trigger,_fine", CASES, ids=[c[0] for c in CASES])
def test_the_rule_warns_when_its_failure_is_present(
    as_user, advisor, key, trigger, _fine
):
    trigger()
    result = check(as_user(advisor), key)
    assert result["ok"] is False
    assert result["details"]
    assert result["explanation"] and result["title"]
    assert result["fix_url"].startswith("/")


@pytest.mark.parametrize("key,_trigger,fine", CASES, ids=[c[0] for c in CASES])
def test_the_rule_passes_when_the_failure_is_absent(
    as_user, advisor, key, _trigger, fine
):
    fine()
    assert check(as_user(advisor), key)["ok"] is True


def test_every_rule_answers_the_documented_shape(as_user, cx_lead):
    body = as_user(cx_lead).get("/api/v1/strategy/health/").json()
    assert [c["key"] for c in body["checks"]] == [r.key for r in health.RULES]
    for c in body["checks"]:
        assert set(c) == {"key", "title", "ok", "explanation", "fix_url", "details"}


def test_no_people_or_money_names_what_is_missing():
    facts = health.HealthFacts(
        initiatives=[
            health.InitiativeFact(
                id=1, title="Call-back", status="approved", has_owner=True
            ),
            health.InitiativeFact(id=2, title="Proposal", status="proposed"),
        ]
    )
    ok, details = health.no_people_or_money(facts)
    assert not ok
    assert details == ["Call-back: no funding"]


def test_the_health_page_lists_every_check_for_members(client, advisor):
    tool_without_theme()
    client.force_login(advisor)
    html = client.get(reverse("strategy-health")).content.decode()
    assert html.count('data-testid="check-') == len(health.RULES)
    assert "New CRM" in html


def test_the_health_page_refuses_users_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("strategy-health")).status_code == 403
