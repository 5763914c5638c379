"""Every page renders for every role on the demo company (no 500, no template
error): the routes come from the resolver, ids from the demo's own objects."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from deck.models import Deck
from feedback.models import FeedbackItem, Idea, ImportBatch, Theme
from initiatives.models import Initiative
from strategy.models import Action, Competency, StrategyStep, SuccessMetric


def _page_routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    for raw, pattern in walk(get_resolver().url_patterns):
        if raw.startswith(("admin/", "api/")) or pattern.name in ("logout",):
            continue
        yield raw, pattern


OBJECTS = {
    "ideas/": Idea,
    "themes/": Theme,
    "initiatives/": Initiative,
    "imports/": ImportBatch,
    "decks/": Deck,
    "strategy/steps/": StrategyStep,
    "strategy/actions/": Action,
    "strategy/metrics/": SuccessMetric,
    "strategy/competencies/": Competency,
    "feedback/": FeedbackItem,
}


def _concrete(raw: str) -> str | None:
    if "<" not in raw:
        return "/" + raw
    if raw.count("<") > 1 or "<int:pk>" not in raw:
        return None
    model = next((m for prefix, m in OBJECTS.items() if raw.startswith(prefix)), None)
    obj = model.objects.order_by("pk").first() if model else None
    if obj is None:
        return None
    return "/" + re.sub(r"<int:pk>", str(obj.pk), raw)


@pytest.mark.django_db
def test_every_get_page_renders_for_every_role(client):
    call_command("seed_demo", items=300, customers=150, password="pw-demo-pages")
    paths = sorted({p for raw, _ in _page_routes() if (p := _concrete(raw))})
    assert len(paths) > 30
    broken = []
    for username in ("clara", "evan", "ada"):
        assert client.login(username=username, password="pw-demo-pages")
        for path in paths:
            response = client.get(path)
            if response.status_code >= 500:
                broken.append(f"{username} GET {path}: {response.status_code}")
        client.logout()
    assert not broken, "\n".join(broken)
