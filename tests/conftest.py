"""Shared fixtures: personas (one user per role), API clients and service checks.

Tests that need PostgreSQL, Redis, a worker or Chromium call `need(...)`: when the
service is absent they skip with the reason, except under CI=true, where absence
fails the test.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="browser journeys save a PNG of their end to docs/screenshots/",
    )


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def service_state(name: str) -> tuple[bool, str]:
    """(available, reason) for "postgres", "redis" or "chromium"."""
    if name == "postgres":
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            return True, ""
        return False, "DATABASE_URL does not point at PostgreSQL"
    if name == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return False, "REDIS_URL is not set"
        if not _answers(url, 6379):
            return False, f"Redis at {url} does not answer"
        return True, ""
    if name == "chromium":
        path = settings.CHROMIUM_PATH
        if os.path.exists(path) or shutil.which("chromium"):
            return True, ""
        return False, f"Chromium not found at {path}"
    raise ValueError(name)


def need(*names: str) -> None:
    """Skip (or, under CI=true, fail) unless every named service is present."""
    for name in names:
        ok, reason = service_state(name)
        if not ok:
            if IN_CI:
                pytest.fail(f"CI=true but {name} is missing: {reason}")
            pytest.skip(f"needs {name}: {reason}")


@pytest.fixture
def cx_lead(db):
    return UserFactory(username="clara", role="cx_lead")


@pytest.fixture
def executive(db):
    return UserFactory(username="evan", role="executive")


@pytest.fixture
def advisor(db):
    return UserFactory(username="ada", role="advisor")


@pytest.fixture
def other_advisor(db):
    return UserFactory(username="otto", role="advisor")


@pytest.fixture
def outsider(db):
    """Logged in, but holding no CXPlan role."""
    return UserFactory(username="nobody", role=None)


@pytest.fixture
def api():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_user():
    """`as_user(user)` -> an APIClient authenticated as that user."""
    return api_as


def _database_url_for_tests() -> str:
    from django.db import connection

    s = connection.settings_dict
    return (
        f"postgres://{s['USER'] or 'postgres'}:{s['PASSWORD'] or ''}@"
        f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture(scope="session")
def live_worker(django_db_setup, django_db_blocker):
    """A real Celery worker (subprocess) on REDIS_URL and the test database.

    Yields the Popen; the Celery app in this process sends instead of running
    tasks eagerly while the fixture is active.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path

    from cxplan.celery import app

    need("postgres", "redis")
    with django_db_blocker.unblock():
        db_url = _database_url_for_tests()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="cxplan.settings_test",
        CXPLAN_EAGER="0",
    )
    root = Path(__file__).resolve().parents[1]
    log = open(root / "var" / "test-worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cxplan",
            "worker",
            "-Q",
            "imports,analytics,deck",
            "--concurrency",
            "2",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    from cxplan.core.tasks import ping

    deadline = time.monotonic() + 60
    while True:
        try:
            ping.apply_async(queue="analytics").get(timeout=2)
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(
                    "the Celery worker did not start: "
                    + (root / "var" / "test-worker.log").read_text()[-2000:]
                )
    try:
        yield proc
    finally:
        app.conf.task_always_eager = was_eager
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """Transactional tests flush the database after themselves, which also wipes
    the rows data migrations made (role groups, the five competencies). Put them
    back before each transactional test, exactly as the migrations make them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("cxplan.core.migrations.0002_roles").create_roles(apps, None)
    import_module("strategy.migrations.0002_competencies").create(apps, None)
