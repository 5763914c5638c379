"""Every route, every method, every role: the policy table of DESIGN.md, enforced.

The routes come from the URL resolver, so a new page or endpoint without an entry
in POLICY fails `test_every_route_has_a_policy`. For each (route, method) the
test sends a request as anonymous, as a logged-in user with no role, and as each
role: roles outside the policy must be refused (pages: login redirect or 403;
API: 401/403) and leave the database unchanged; roles inside it must get past
the permission check (anything but 401/403/500).
"""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from cxplan.core.roles import ADVISOR, CX_LEAD, EXECUTIVE
from tests.factories import (
    FeedbackItemFactory,
    IdeaFactory,
    ThemeFactory,
    UserFactory,
)

M = frozenset({ADVISOR, CX_LEAD, EXECUTIVE})
L = frozenset({CX_LEAD})
E = frozenset({EXECUTIVE})
LE = frozenset({CX_LEAD, EXECUTIVE})
PUBLIC = "public"
# Any member passes the role check; the object's own rule (its author, say) may
# still refuse: that rule is tested next to the feature.
OWNER = "owner"
PK = 424242

# route name -> {method: roles allowed}. "public" routes are checked elsewhere.
POLICY: dict[str, dict[str, frozenset | str]] = {
    "dashboard": {"GET": M},
    "healthz": {"GET": PUBLIC},
    "login": {"GET": PUBLIC, "POST": PUBLIC},
    "logout": {"POST": PUBLIC},
    "api-token": {"POST": PUBLIC},
    # API tokens (issue 25): each member manages their own; others' ids are 404.
    "api-token-list": {"GET": M},
    "api-token-detail": {"DELETE": M},
    "account-tokens": {"GET": M, "POST": M},
    "account-token-revoke": {"POST": M},
    "schema": {"GET": M},
    "api-docs": {"GET": M},
    # ideas (issue 6): every member; per-object rules are tested in test_ideas_*.
    "api-idea-list": {"GET": M, "POST": M},
    "api-idea-detail": {"GET": M, "PUT": OWNER, "PATCH": OWNER},
    "api-idea-comments": {"GET": M, "POST": M},
    # who raised it (issue 24.3): its author or a CX lead (test_ideas_value).
    "api-idea-customers": {"POST": OWNER},
    "api-idea-links": {"PUT": L},
    "api-idea-merge": {"POST": L},
    "api-idea-status": {"POST": L},
    "api-idea-vote": {"POST": M, "DELETE": M},
    "api-notification-list": {"GET": M},
    "api-notification-read-all": {"POST": M},
    "api-notification-detail": {"GET": M},
    "api-notification-read": {"POST": M},
    "idea-list": {"GET": M},
    "idea-mine": {"GET": M},
    "idea-new": {"GET": M, "POST": M},
    "idea-suggest-themes": {"GET": M},
    "idea-detail": {"GET": M},
    "idea-edit": {"GET": OWNER, "POST": OWNER},
    "idea-vote": {"POST": M},
    "idea-comment": {"POST": M},
    "idea-status": {"POST": L},
    "idea-links": {"POST": L},
    "idea-merge": {"POST": L},
    "notification-list": {"GET": M},
    "notification-open": {"POST": M},
    "notification-read-all": {"POST": M},
    # ranking (issue 5)
    "api-ranking": {"GET": M},
    "api-ranking-snapshots": {"GET": M},
    "api-ranking-recompute": {"POST": L},
    "api-ranking-weights": {"GET": M, "PUT": L},
    "api-evidence": {"GET": M},
    "ranking": {"GET": M},
    "ranking-status": {"GET": M},
    "ranking-recompute": {"POST": L},
    "ranking-weights": {"POST": L},
    "evidence": {"GET": M},
    # strategy (issue 9)
    "api-strategy": {"GET": M, "PUT": L, "PATCH": L},
    "api-strategy-mission": {"GET": M, "POST": L},
    "api-strategy-health": {"GET": M},
    "api-strategy-benefits": {"GET": M},
    "strategy-step-list": {"GET": M},
    "strategy-step-detail": {"GET": M, "PUT": L, "PATCH": L},
    "strategy-step-sign-off": {"POST": E},
    "strategy-competency-list": {"GET": M},
    "strategy-competency-detail": {"GET": M},
    "strategy-competency-history": {"GET": M},
    "strategy-competency-rate": {"POST": M},
    "strategy-action-list": {"GET": M, "POST": L},
    "strategy-action-detail": {"GET": M, "PUT": L, "PATCH": L, "DELETE": L},
    "strategy-metric-list": {"GET": M, "POST": L},
    "strategy-metric-detail": {"GET": M, "PUT": L, "PATCH": L, "DELETE": L},
    "strategy-metric-readings": {"GET": M, "POST": L},
    "strategy": {"GET": M},
    "strategy-health": {"GET": M},
    "strategy-edit": {"GET": L, "POST": L},
    "strategy-mission": {"POST": L},
    "strategy-step-edit": {"GET": L, "POST": L},
    "strategy-step-sign-off-page": {"GET": E, "POST": E},
    "strategy-rate": {"POST": M},
    "strategy-action-new": {"GET": L, "POST": L},
    "strategy-action-edit": {"GET": L, "POST": L},
    "strategy-action-delete": {"POST": L},
    "strategy-metric-new": {"GET": L, "POST": L},
    "strategy-metric-edit": {"GET": L, "POST": L},
    "strategy-metric-delete": {"POST": L},
    "strategy-metric-reading": {"POST": L},
    # intake (issue 3): imports and new items are CX leads' work; customers are
    # for CX leads and executives.
    "api-feedback-list": {"GET": M, "POST": L},
    "api-feedback-detail": {"GET": M},
    "api-feedback-export": {"GET": L},
    "api-import-list": {"GET": L, "POST": L},
    "api-import-detail": {"GET": L},
    "api-import-preview": {"POST": L},
    "api-import-errors-csv": {"GET": L},
    "api-customer-list": {"GET": LE},
    "api-customer-detail": {"GET": LE},
    # customer outcomes (issue 23.2): CX leads import them.
    "api-customer-import": {"POST": L},
    # drivers (issue 23.1-23.6): members; revenue withheld from advisors.
    "api-drivers": {"GET": M},
    "drivers": {"GET": M},
    "import-list": {"GET": L},
    "import-new": {"GET": L, "POST": L},
    "import-detail": {"GET": L},
    "feedback-new": {"GET": L, "POST": L},
    # themes (issue 4): members read; CX leads label and edit.
    "api-feedback-themes": {"GET": M, "PUT": L},
    "api-feedback-labels": {"POST": L},
    "api-theme-list": {"GET": M, "POST": L},
    "api-theme-detail": {"GET": M, "PUT": L, "PATCH": L, "DELETE": L},
    "api-theme-merge": {"POST": L},
    "api-theme-model": {"GET": M},
    # alerts (issue 23.4): members read; CX leads run the detection and dismiss.
    "api-alert-list": {"GET": M},
    "api-alert-recompute": {"POST": L},
    "api-alert-dismiss": {"POST": L},
    "alert-list": {"GET": M},
    "alert-dismiss": {"POST": L},
    "api-theme-model-accept": {"POST": L},
    "api-theme-model-discard": {"POST": L},
    "api-theme-train": {"POST": L},
    "api-theme-discover": {"GET": M, "POST": L},
    "api-theme-suggestion-accept": {"POST": L},
    "api-theme-suggestion-dismiss": {"POST": L},
    "feedback-list": {"GET": M},
    "feedback-label": {"POST": L},
    "theme-list": {"GET": M},
    "theme-detail": {"GET": M, "POST": L},
    "theme-create": {"GET": L, "POST": L},
    "theme-train": {"POST": L},
    "theme-model": {"GET": M},
    "theme-model-accept": {"POST": L},
    "theme-model-discard": {"POST": L},
    "theme-discover": {"POST": L},
    "theme-suggestion-accept": {"POST": L},
    "theme-suggestion-dismiss": {"POST": L},
    "theme-queue": {"GET": L},
    "theme-queue-label": {"POST": L},
    "theme-queue-skip": {"POST": L},
    "theme-queue-reset": {"POST": L},
    "theme-merge": {"GET": L, "POST": L},
    "theme-archive": {"POST": L},
    "theme-restore": {"POST": L},
    # initiatives and ROI (issue 7): members read; CX leads edit.
    "api-roi-evaluate": {"POST": M},
    "api-roi-assumptions": {"GET": M, "PUT": L},
    "api-initiative-list": {"GET": M, "POST": L},
    "api-initiative-detail": {"GET": M, "PUT": L, "PATCH": L, "DELETE": L},
    "api-initiative-compare": {"GET": M},
    "api-initiative-prefill": {"GET": L},
    "api-initiative-roi": {"GET": M, "POST": L},
    "assumptions": {"GET": M, "POST": L},
    "initiative-list": {"GET": M},
    "initiative-detail": {"GET": M},
    "initiative-compare": {"GET": M},
    "initiative-new": {"GET": L, "POST": L},
    "initiative-edit": {"GET": L, "POST": L},
    # funding and decisions (issue 8): CX leads fund, executives decide.
    "api-funding-source-list": {"GET": LE, "POST": L},
    "api-funding-source-detail": {"GET": LE, "PUT": L, "PATCH": L, "DELETE": L},
    "api-allocation-list": {"GET": LE, "POST": L},
    "api-allocation-detail": {"GET": LE, "PATCH": L, "DELETE": L},
    "api-funding-plan": {"GET": LE},
    "api-initiative-decide": {"POST": E},
    "api-decisions": {"GET": M},
    "deck-brand": {"GET": L, "POST": L},
    "api-initiative-realisation": {"GET": M},
    "api-decision-detail": {"GET": OWNER},
    "api-portfolio-optimize": {"POST": LE},
    "funding-plan": {"GET": LE},
    "funding-source-new": {"GET": L, "POST": L},
    "funding-allocate": {"POST": L},
    "review": {"GET": E},
    "review-decide": {"POST": E},
    # deck (issue 10): CX leads build; CX leads and executives read.
    "api-deck-list": {"GET": LE},
    "api-deck-detail": {"GET": LE},
    "api-deck-file": {"GET": LE},
    "api-deck-build": {"POST": L},
    "deck-list": {"GET": LE},
    "deck-detail": {"GET": LE},
    "deck-progress": {"GET": LE},
    "deck-file": {"GET": LE},
    "deck-build": {"POST": L},
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def routes():
    """(key, path, is_api) for every named route except admin and format suffixes."""
    seen = set()
    out = []
    for raw, pattern in _walk(get_resolver().url_patterns):
        if raw.startswith("admin/") or "(?P<format>" in raw:
            continue
        key = pattern.name
        if key is None:
            continue
        # Page and API routes may share a name (a router basename and a page):
        # the API one is keyed "api:" + name when the page already took it.
        is_api = raw.startswith("api/")
        if key in seen:
            key = f"{key}-page" if not is_api else key
        seen.add(key)
        out.append((key, _concrete(raw), is_api, pattern))
    return out


def _concrete(raw: str) -> str:
    path = raw.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", str(PK), path)
    path = re.sub(r"<(?:\w+:)?\w+>", str(PK), path)
    return "/" + path.replace("\\.", ".")


def _methods(pattern) -> set[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        # DRF adds "head" to a viewset's actions once it has served a GET; HEAD
        # follows GET's permissions, so only the declared methods are checked.
        return {m.upper() for m in actions} - {"HEAD", "OPTIONS"}
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:
        return {
            m.upper()
            for m in ("get", "post", "put", "patch", "delete")
            if hasattr(cls, m)
        }
    return {"GET", "POST"}


def test_every_route_has_a_policy():
    missing = sorted(
        f"{key} {path}" for key, path, _api, _p in routes() if key not in POLICY
    )
    assert not missing, "routes without an access policy:\n" + "\n".join(missing)


def test_every_policy_names_a_real_route():
    names = {key for key, *_ in routes()}
    assert not sorted(set(POLICY) - names)


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"feedback", "initiatives", "roi", "strategy", "deck", "cxplan"}
        and m._meta.label not in {"cxplan.AuditEvent"}
    }


def _send(client, method, path, is_api):
    kwargs = {"format": "json"} if is_api else {}
    return getattr(client, method.lower())(path, {}, **kwargs)


@pytest.fixture
def objects(db, cx_lead, advisor):
    """One object of each kind at the pk every route uses."""
    from feedback.models import FeedbackItem, Idea, Notification, Theme
    from initiatives.models import FundingSource, Initiative
    from strategy.services import strategy_ensure

    strategy_ensure()
    idea = IdeaFactory(author=advisor)
    Idea.objects.filter(pk=idea.pk).update(id=PK)
    theme = ThemeFactory()
    Theme.objects.filter(pk=theme.pk).update(id=PK)
    note = Notification.objects.create(user=advisor, message="hello")
    Notification.objects.filter(pk=note.pk).update(id=PK)
    item = FeedbackItemFactory()
    FeedbackItem.objects.filter(pk=item.pk).update(id=PK)
    initiative = Initiative.objects.create(title="Fix log-in")
    Initiative.objects.filter(pk=initiative.pk).update(id=PK)
    source = FundingSource.objects.create(name="Budget", kind="budget")
    FundingSource.objects.filter(pk=source.pk).update(id=PK)
    return True


def _refused(response, is_api) -> bool:
    if is_api:
        return response.status_code in (401, 403)
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.django_db
def test_each_role_is_refused_or_admitted_as_the_table_says(objects, client):
    from rest_framework.test import APIClient

    personas = {
        "anonymous": None,
        "no role": UserFactory(username="norole", role=None),
        ADVISOR: UserFactory(username="adv2", role=ADVISOR),
        CX_LEAD: UserFactory(username="lead2", role=CX_LEAD),
        EXECUTIVE: UserFactory(username="exec2", role=EXECUTIVE),
    }
    problems = []
    for key, path, is_api, pattern in routes():
        policy = POLICY.get(key, {})
        if PUBLIC in policy.values():
            continue
        for method in sorted(_methods(pattern)):
            allowed = policy.get(method) or frozenset()
            owner_rule = allowed == OWNER
            if owner_rule:
                allowed = M
            for who, user in personas.items():
                client = APIClient() if is_api else type(client)()
                if user is not None:
                    client.force_login(user)
                before = _row_counts() if who not in allowed else None
                response = _send(client, method, path, is_api)
                if who in allowed:
                    refused = _refused(response, is_api) and not owner_rule
                    if response.status_code >= 500 or refused:
                        problems.append(
                            f"{method} {path} as {who}: {response.status_code} "
                            "(should be admitted)"
                        )
                    continue
                if response.status_code == 405 and method not in policy:
                    continue
                if not _refused(response, is_api):
                    problems.append(
                        f"{method} {path} as {who}: {response.status_code} "
                        "(should be refused)"
                    )
                elif _row_counts() != before:
                    problems.append(f"{method} {path} as {who}: database changed")
    assert not problems, "\n".join(problems)
