"""Hostile query strings: every route, every parameter it reads, every role, no 5xx.

The routes come from the URL resolver and their path parameters are filled with the
ids of real rows (the demo company plus one of each kind it does not make). The
parameter names are not typed here: they are read from the source of each route's
view module (what it takes from `request.GET` / `request.query_params`, and the
fields of the forms and serializers it parses them with), from the viewset's
django-filter fields and pagination, and from DRF's `?format=`. A new parameter is
fuzzed without editing this file. Each of HOSTILE goes into each parameter, alone,
as each role, with GET; anything but a 5xx passes (a 400 naming the field, a 404,
a login redirect are all fine).
"""

import inspect
import re
import sys

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.settings import api_settings

from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE
from tests.factories import UserFactory

HOSTILE = ("²", "-1", "1e9", "NaN", "9" * 10_000, "")
# A route's first path segment(s) -> the model whose first row fills its <pk>.
OBJECTS = {
    "api/v1/feedback/": "feedback.FeedbackItem",
    "api/v1/imports/": "feedback.ImportBatch",
    "api/v1/customers/": "feedback.Customer",
    "api/v1/themes/suggestions/": "feedback.ThemeSuggestion",
    "api/v1/themes/": "feedback.Theme",
    "api/v1/ideas/": "feedback.Idea",
    "api/v1/notifications/": "feedback.Notification",
    "api/v1/initiatives/": "initiatives.Initiative",
    "api/v1/funding-sources/": "initiatives.FundingSource",
    "api/v1/allocations/": "initiatives.Allocation",
    "api/v1/strategy/steps/": "strategy.StrategyStep",
    "api/v1/strategy/competencies/": "strategy.Competency",
    "api/v1/strategy/actions/": "strategy.Action",
    "api/v1/strategy/metrics/": "strategy.SuccessMetric",
    "api/v1/decks/": "deck.Deck",
    "api/v1/decisions/": "initiatives.Decision",
    "api/v1/alerts/": "feedback.Alert",
    "alerts/": "feedback.Alert",
    "account/tokens/": "cxplan.ApiToken",
    "imports/": "feedback.ImportBatch",
    "themes/suggestions/": "feedback.ThemeSuggestion",
    "themes/queue/": "feedback.FeedbackItem",
    "themes/": "feedback.Theme",
    "ideas/": "feedback.Idea",
    "notifications/": "feedback.Notification",
    "initiatives/": "initiatives.Initiative",
    "review/": "initiatives.Initiative",
    "strategy/steps/": "strategy.StrategyStep",
    "strategy/actions/": "strategy.Action",
    "strategy/metrics/": "strategy.SuccessMetric",
    "decks/": "deck.Deck",
}
# The packages whose views are fuzzed.
OURS = {"cxplan", "feedback", "roi", "initiatives", "strategy", "deck"}
# A path parameter that is not an id -> the value it gets.
WORDS = {"file_format": "html"}
# How the code reads a query parameter by name, and how it hands the whole query
# string to a form or serializer class.
READS = re.compile(
    r"(?:GET|query_params)\s*(?:\.(?:get|getlist|pop)\s*\(|\[)\s*[\"'](\w+)[\"']"
    r"|[\"'](\w+)[\"']\s+(?:not\s+)?in\s+(?:self\.)?request\.(?:GET|query_params)"
)
PARSERS = re.compile(
    r"(\w+)\(\s*(?:data\s*=\s*)?(?:self\.)?request\.(?:GET|query_params)\b"
    r"|query_params\(\s*(?:self\.)?request\s*,\s*(\w+)"
    r"|(\w+)\(\s*(?:self\.)?request\s*[,)]"
)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _view_class(pattern):
    callback = pattern.callback
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _answers_get(pattern) -> bool:
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return "get" in actions
    cls = _view_class(pattern)
    return cls is None or hasattr(cls, "get")


def _fields(obj) -> set[str]:
    """The parameter names a form, serializer or filterset class parses."""
    if not inspect.isclass(obj):
        return set()
    names = set(getattr(obj, "base_fields", {}) or {})
    names |= set(getattr(obj, "base_filters", {}) or {})
    if hasattr(obj, "get_fields") and hasattr(obj, "to_internal_value"):
        names |= set(obj().fields)
    return names


def _scan(obj, module, seen: set) -> set[str]:
    """Parameter names `obj` (a view, a helper function or a query class) reads:
    literal reads in its source, the fields of the classes it hands the query
    string to, the `*Query` classes it names, and the same for the helpers it
    hands the query string to."""
    if id(obj) in seen:
        return set()
    seen.add(id(obj))
    names = _fields(obj)
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        return names
    names |= {a or b for a, b in READS.findall(source)}
    used = {a or b or c for a, b, c in PARSERS.findall(source)}
    used |= set(re.findall(r"\b(\w+Query)\b", source))
    for name in used:
        found = getattr(module, name, None)
        if inspect.isclass(found) or inspect.isfunction(found):
            names |= _scan(found, module, seen)
    return names


def _route_params(raw: str, pattern) -> set[str]:
    cls = _view_class(pattern)
    view = cls or inspect.unwrap(pattern.callback)
    if view.__module__.split(".")[0] not in OURS:
        # A library's own view (login, the schema): its parameters are its own.
        return set()
    names = _scan(view, sys.modules[view.__module__], set())
    if cls is not None and raw.startswith("api/"):
        names.add(api_settings.URL_FORMAT_OVERRIDE)
        names |= set(getattr(cls, "filterset_fields", None) or ())
        names |= _fields(getattr(cls, "filterset_class", None))
        paginator = getattr(cls, "pagination_class", None)
        for attr in ("page_query_param", "page_size_query_param"):
            if paginator is not None and getattr(paginator, attr, None):
                names.add(getattr(paginator, attr))
    return names


def _fill(raw: str) -> str | None:
    """`raw` with each path parameter replaced by a real row's id (None: no row)."""
    from django.apps import apps

    path = raw.replace("^", "").replace("$", "").replace("\\.", ".")
    path = path.replace("/?", "/")
    label = next((m for p, m in OBJECTS.items() if path.startswith(p)), None)
    obj = apps.get_model(label).objects.order_by("pk").first() if label else None

    def value(name: str) -> str | None:
        if name in WORDS:
            return WORDS[name]
        return str(obj.pk) if obj is not None else None

    missing = []

    def sub(match):
        got = value(match.group(1))
        if got is None:
            missing.append(match.group(1))
            return ""
        return got

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", sub, path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", sub, path)
    return None if missing else "/" + path


def routes() -> list[tuple[str, set[str]]]:
    """(path, parameter names) for every GET route but DRF's format suffixes."""
    out = []
    for raw, pattern in _walk(get_resolver().url_patterns):
        # Django's admin (staff only) parses its own query string and answers a
        # bad one with `?e=1`; its ~200 routes would take minutes to fuzz.
        if raw.startswith("admin/") or "(?P<format>" in raw:
            continue
        if not _answers_get(pattern):
            continue
        out.append((raw, pattern))
    return out


def _world():
    """The demo company, plus one row of each kind the demo does not make."""
    from cxplan.core.tokens import token_create
    from deck.models import Deck
    from feedback.models import (
        Alert,
        ImportBatch,
        Notification,
        Theme,
        ThemeSuggestion,
    )
    from initiatives.models import Allocation, Decision, FundingSource, Initiative

    call_command("seed_demo", items=200, customers=80, password="pw-query-params")
    users = {
        ADVISOR: UserFactory(username="q-adv", role=ADVISOR),
        CX_LEAD: UserFactory(username="q-lead", role=CX_LEAD),
        EXECUTIVE: UserFactory(username="q-exec", role=EXECUTIVE),
        "superuser": UserFactory(username="q-root", is_superuser=True, is_staff=True),
    }
    for user in users.values():
        Notification.objects.create(user=user, message="hello", url="/ideas/")
    ImportBatch.objects.create(source="query", file="imports/query.csv")
    ThemeSuggestion.objects.create(name="Odd input", size=3)
    source = FundingSource.objects.create(name="Budget", kind="budget")
    Allocation.objects.create(
        source=source, initiative=Initiative.objects.first(), year=2027, amount=1000
    )
    Deck.objects.create(version=1, built_by=users[CX_LEAD])
    Decision.objects.create(
        initiative=Initiative.objects.first(),
        verdict="defer",
        comment="later",
        decided_by=users[EXECUTIVE],
    )
    token_create(user=users[CX_LEAD], name="query")
    Alert.objects.create(
        theme=Theme.objects.first(),
        kind="spike",
        measure="volume",
        week_start="2026-11-02",
        size=3.0,
        observed=30,
        expected=10,
        limit=20,
    )
    return users


@pytest.mark.django_db
def test_no_query_value_on_any_route_answers_a_server_error():
    from rest_framework.test import APIClient

    users = _world()
    clients = {"anonymous": Client()}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
    api_clients = {who: APIClient() for who in clients}
    for who, user in users.items():
        api_clients[who].force_login(user)
    problems, unfilled, sent = [], [], 0
    for raw, pattern in routes():
        path = _fill(raw)
        if path is None:
            unfilled.append(raw)
            continue
        names = sorted(_route_params(raw, pattern))
        pool = api_clients if raw.startswith("api/") else clients
        for name in names:
            for value in HOSTILE:
                for who, client in pool.items():
                    sent += 1
                    status = _get(client, path, {name: value})
                    if not isinstance(status, int) or status >= 500:
                        shown = (
                            value
                            if len(value) < 10
                            else f"{value[:3]}...({len(value)})"
                        )
                        problems.append(f"GET {path}?{name}={shown} as {who}: {status}")
    print(f"sent {sent} requests to {len(routes())} routes")
    assert not unfilled, "routes with no row to fill their path:\n" + "\n".join(
        unfilled
    )
    assert sent > 1000, "the scan lost most of the parameters"
    assert not problems, f"{len(problems)} server errors:\n" + "\n".join(problems)


def _get(client, path: str, query: dict):
    """The status code, or the exception the view raised; each request runs in a
    savepoint rolled back afterwards, so one cannot poison the next."""
    savepoint = transaction.savepoint()
    try:
        return client.get(path, query).status_code
    except Exception as exc:  # noqa: BLE001 - the failure is the finding
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    finally:
        # Rolled back and released: held savepoints would pile up their locks.
        transaction.savepoint_rollback(savepoint)
        transaction.savepoint_commit(savepoint)
        connection.needs_rollback = False


@pytest.mark.django_db
def test_a_bad_value_answers_400_naming_the_field(client, as_user, cx_lead):
    """A page says which parameter it refused; the API in its error shape."""
    client.force_login(cx_lead)
    page = client.get("/funding/", {"year": "²"})
    assert page.status_code == 400
    assert b"year" in page.content
    api = as_user(cx_lead).get("/api/v1/decisions/", {"initiative": "²"})
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "initiative"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["feedback-list", "//evil.example/", "https://evil.example/", "/a\nb"]
)
def test_labelling_with_a_bad_next_goes_back_to_the_list(client, cx_lead, target):
    """A `next` that is not a local path (or items that are not ids) is ignored."""
    client.force_login(cx_lead)
    response = client.post("/feedback/label", {"next": target, "items": ["²", "1"]})
    assert response.status_code == 302
    assert response["Location"] == "/feedback/"
