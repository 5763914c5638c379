"""Security properties, through HTTP: CSV formulas, cookies and idle timeout in
production settings, login lockout, the Content-Security-Policy, the audit trail,
and bad datetimes in filters that once reached PostgreSQL as a 500."""

import csv
import io
import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from cxplan.core.models import AuditEvent
from tests.factories import PASSWORD, FeedbackItemFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ["=1+2", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=x", "\r=y"]


# --- CSV export --------------------------------------------------------------------


def _number(cell: str) -> bool:
    """A plain number such as -0.5 is data, not a formula."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_csv_export_neutralises_every_formula_prefix(as_user, cx_lead):
    for text in FORMULAS:
        FeedbackItemFactory(text=text)
    FeedbackItemFactory(text="plain words", segment="=HYPERLINK(1)")
    response = as_user(cx_lead).get("/api/v1/feedback/export/?file=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(FORMULAS) + 1
    cells = [value for row in rows for value in row.values() if value]
    dangerous = [c for c in cells if c[0] in "=+-@\t\r" and not _number(c)]
    assert dangerous == [], dangerous
    texts = {row["text"] for row in rows}
    assert {"'" + t for t in FORMULAS} <= texts  # kept, as text
    assert any(row["segment"] == "'=HYPERLINK(1)" for row in rows)


@pytest.mark.django_db
def test_csv_export_is_refused_to_advisors_and_anonymous(as_user, advisor, api):
    assert as_user(advisor).get("/api/v1/feedback/export/").status_code == 403
    assert api.get("/api/v1/feedback/export/").status_code in (401, 403)


# --- production settings -----------------------------------------------------------


def _production_settings() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SESSION_IDLE_SECONDS"):
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cx.example.com",
        DJANGO_SETTINGS_MODULE="cxplan.settings",
    )
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "X_FRAME_OPTIONS",
        "AXES_ENABLED",
        "AXES_FAILURE_LIMIT",
        "DEBUG",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_settings_use_secure_cookies_and_an_idle_timeout():
    prod = _production_settings()
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    # An idle timeout: a bounded age that every request renews.
    assert 0 < prod["SESSION_COOKIE_AGE"] <= 12 * 60 * 60
    assert prod["SESSION_SAVE_EVERY_REQUEST"] is True
    assert prod["AXES_ENABLED"] is True
    assert 1 <= prod["AXES_FAILURE_LIMIT"] <= 10


@pytest.mark.django_db
def test_an_idle_session_expires_but_an_active_one_is_renewed(client):
    UserFactory(username="idle", role="cx_lead")
    with override_settings(SESSION_COOKIE_AGE=3):
        assert client.login(username="idle", password=PASSWORD)
        for _ in range(3):  # active: each request renews the 3-second age
            time.sleep(1.2)
            assert client.get("/").status_code == 200
        time.sleep(3.5)  # idle past the age
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- login brute force -------------------------------------------------------------


@pytest.mark.django_db
def test_axes_locks_the_account_after_the_failure_limit(client, settings):
    UserFactory(username="target", role="cx_lead")
    limit = 5
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=limit):
        for _ in range(limit):
            response = client.post(
                "/login/", {"username": "target", "password": "wrong guess"}
            )
            assert response.status_code in (200, 403, 429)
        # Now even the right password is refused, and no session is made.
        response = client.post("/login/", {"username": "target", "password": PASSWORD})
        assert response.status_code in (403, 429), response.status_code
        assert "_auth_user_id" not in client.session
        # Another account from the same address is not locked by these attempts.
        UserFactory(username="bystander", role="advisor")
        response = client.post(
            "/login/", {"username": "bystander", "password": PASSWORD}
        )
        assert response.status_code == 302


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_lock(client):
    UserFactory(username="typo", role="advisor")
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5):
        for _ in range(4):
            client.post("/login/", {"username": "typo", "password": "nope"})
        response = client.post("/login/", {"username": "typo", "password": PASSWORD})
    assert response.status_code == 302


# --- Content-Security-Policy -------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _page_paths() -> list[str]:
    """Every page URL without parameters (API, admin and static left out)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
                found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    skip = ("/api/", "/admin", "/static", "/media", "/logout")
    return sorted({p for p in found if not p.startswith(skip)})


@pytest.mark.django_db
def test_every_page_sends_a_strict_csp_and_has_no_inline_script(client, cx_lead):
    client.force_login(cx_lead)
    checked = 0
    for path in _page_paths():
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        checked += 1
        policy = response.get("Content-Security-Policy", "")
        assert policy, f"{path} has no Content-Security-Policy"
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";")
        )
        assert directives.get("script-src") == "'self'", (path, policy)
        assert "'none'" in directives.get("frame-ancestors", ""), (path, policy)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"{path} has an inline <script>"
        assert not re.search(r"\son[a-z]+=\"", html), f"{path} has an inline handler"
    assert checked >= 5, f"only {checked} pages answered 200"


def test_the_login_page_sends_the_csp_to_anonymous_visitors(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


# --- audit trail -------------------------------------------------------------------


@pytest.mark.django_db
def test_strategy_changes_are_audited_with_actor_and_changes(as_user, cx_lead):
    client = as_user(cx_lead)
    current = client.get("/api/v1/strategy/")
    assert current.status_code == 200
    response = client.patch(
        "/api/v1/strategy/",
        {"name": "Win back trust"},
        format="json",
        HTTP_IF_MATCH=current["ETag"],
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(action="strategy.update").latest("pk")
    assert event.actor == cx_lead
    assert event.object_ids == [current.json()["id"]]
    assert "Win back trust" in json.dumps(event.changes)

    response = client.post(
        "/api/v1/strategy/mission/", {"text": "Fix what customers feel"}, format="json"
    )
    assert response.status_code == 201
    assert AuditEvent.objects.filter(
        action="strategy.mission_add", actor=cx_lead
    ).exists()


@pytest.mark.django_db
def test_refused_strategy_edits_leave_no_change_and_no_audit(as_user, advisor):
    before = AuditEvent.objects.count()
    response = as_user(advisor).patch(
        "/api/v1/strategy/", {"name": "Advisor was here"}, format="json"
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


# --- bad datetimes in filters ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        "1462-08-07T20:26:48-19:20",  # offset PostgreSQL refuses
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "2026-02-30T00:00:00",  # well formed, not a date
        "9999-12-31T23:59:59-12:00",  # after year 9999 in UTC
    ],
)
def test_odd_datetimes_in_filters_answer_200_or_400_never_500(as_user, cx_lead, value):
    FeedbackItemFactory()
    client = as_user(cx_lead)
    for url in ("/api/v1/feedback/", "/api/v1/feedback/export/"):
        for name in ("created_after", "created_before"):
            response = client.get(url, {name: value})
            assert response.status_code in (200, 400), (url, name, response.status_code)
