"""Who may use each strategy endpoint: every write refuses the wrong roles (and
anonymous callers) and leaves the database as it was; the right role succeeds."""

import pytest

from cxplan.core.models import AuditEvent
from strategy import services
from strategy.models import Competency
from tests.conftest import api_as
from tests.factories import UserFactory
from tests.strategy.factories import (
    ActionFactory,
    SuccessMetricFactory,
    db_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    strategy = services.strategy_ensure()
    return {
        "strategy": strategy,
        "step": strategy.steps.get(key="who_we_are"),
        "ceo": strategy.steps.get(key="ceo_buy_in"),
        "competency": Competency.objects.first(),
        "action": ActionFactory(),
        "metric": SuccessMetricFactory(name="Churn", kind="churn"),
    }


def _writes(w):
    """(name, method, url, body, roles allowed)."""
    c = w["competency"]
    a, m = w["action"], w["metric"]
    lead = {"cx_lead"}
    return [
        ("strategy patch", "patch", "/api/v1/strategy/", {"name": "New"}, lead),
        ("mission add", "post", "/api/v1/strategy/mission/", {"text": "Us."}, lead),
        (
            "step patch",
            "patch",
            f"/api/v1/strategy/steps/{w['step'].pk}/",
            {"notes": "Done with the workshop."},
            lead,
        ),
        (
            "sign-off",
            "post",
            f"/api/v1/strategy/steps/{w['ceo'].pk}/sign-off/",
            {},
            {"executive"},
        ),
        (
            "rate",
            "post",
            f"/api/v1/strategy/competencies/{c.pk}/rate/",
            {"score": 2},
            {"cx_lead", "executive", "advisor"},
        ),
        (
            "action create",
            "post",
            "/api/v1/strategy/actions/",
            {"competency": c.pk, "kind": "proving_it", "title": "Ship it"},
            lead,
        ),
        (
            "action patch",
            "patch",
            f"/api/v1/strategy/actions/{a.pk}/",
            {"status": "done"},
            lead,
        ),
        (
            "action put",
            "put",
            f"/api/v1/strategy/actions/{a.pk}/",
            {"competency": c.pk, "kind": "proving_it", "title": "Renamed"},
            lead,
        ),
        ("action delete", "delete", f"/api/v1/strategy/actions/{a.pk}/", None, lead),
        (
            "metric create",
            "post",
            "/api/v1/strategy/metrics/",
            {"name": "NPS", "kind": "nps", "target": 40},
            lead,
        ),
        (
            "metric patch",
            "patch",
            f"/api/v1/strategy/metrics/{m.pk}/",
            {"target": 5},
            lead,
        ),
        ("metric delete", "delete", f"/api/v1/strategy/metrics/{m.pk}/", None, lead),
        (
            "metric reading",
            "post",
            f"/api/v1/strategy/metrics/{m.pk}/readings/",
            {"period": "2026-10-01", "value": 7.5},
            lead,
        ),
    ]


LEAD = {"cx_lead"}
ALLOWED = {
    "strategy patch": LEAD,
    "mission add": LEAD,
    "step patch": LEAD,
    "sign-off": {"executive"},
    "rate": {"cx_lead", "executive", "advisor"},
    "action create": LEAD,
    "action patch": LEAD,
    "action put": LEAD,
    "action delete": LEAD,
    "metric create": LEAD,
    "metric patch": LEAD,
    "metric delete": LEAD,
    "metric reading": LEAD,
}
PERSONAS = ("cx_lead", "executive", "advisor", "outsider", "anonymous")
REFUSED = [(n, p) for n, roles in ALLOWED.items() for p in PERSONAS if p not in roles]
GRANTED = [(n, p) for n, roles in ALLOWED.items() for p in sorted(roles)]


def _user(persona):
    if persona == "anonymous":
        return None
    role = None if persona == "outsider" else persona
    return UserFactory(username=f"p-{persona}", role=role)


def _call(client, method, url, body):
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("name,persona", REFUSED)
def test_each_write_is_refused_to_the_wrong_roles_and_changes_nothing(
    world, name, persona
):
    _name, method, url, body, allowed = next(w for w in _writes(world) if w[0] == name)
    assert allowed == ALLOWED[name]
    before = db_state()
    answer = _call(api_as(_user(persona)), method, url, body)
    expected = (401, 403) if persona == "anonymous" else (403,)
    assert answer.status_code in expected, answer.content
    assert db_state() == before


@pytest.mark.parametrize("name,persona", GRANTED)
def test_each_write_succeeds_for_an_allowed_role_and_is_audited(world, name, persona):
    _name, method, url, body, _allowed = next(w for w in _writes(world) if w[0] == name)
    events = AuditEvent.objects.count()
    answer = _call(api_as(_user(persona)), method, url, body)
    assert answer.status_code in (200, 201, 204), answer.content
    assert AuditEvent.objects.count() == events + 1


READS = [
    "/api/v1/strategy/",
    "/api/v1/strategy/mission/",
    "/api/v1/strategy/steps/",
    "/api/v1/strategy/competencies/",
    "/api/v1/strategy/actions/",
    "/api/v1/strategy/metrics/",
    "/api/v1/strategy/health/",
    "/api/v1/strategy/benefits/",
]


@pytest.mark.parametrize("url", READS)
def test_every_member_role_reads_every_strategy_resource(world, url):
    for persona in ("cx_lead", "executive", "advisor"):
        assert api_as(_user(persona)).get(url).status_code == 200


@pytest.mark.parametrize("url", READS)
def test_users_without_a_role_and_anonymous_callers_read_nothing(world, url):
    assert api_as(_user("outsider")).get(url).status_code == 403
    assert api_as(None).get(url).status_code in (401, 403)
