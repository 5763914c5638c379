"""Schemathesis against /api/schema/, once per role, through the WSGI app.

Every operation in the schema gets FUZZ_EXAMPLES generated requests (valid and
invalid input) sent with that role's token. The run fails on any 5xx and on any
response that breaks the schema (body, content type, headers of a documented
status). Set RELIABILITY_FUZZ_EXAMPLES to fuzz harder.
"""

import os
import time
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    IdeaFactory,
    ThemeFactory,
    UserFactory,
    api_key_for,
)

FUZZ_EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
# Operations left out, with the reason (keep empty unless a route is unfinished).
EXCLUDED: dict[tuple[str, str], str] = {}
FIGURES: dict[str, dict] = {}


def _world():
    """A few rows so that list endpoints and small ids have something to show."""
    themes = [ThemeFactory(name=f"Fuzz theme {n}") for n in range(3)]
    customer = CustomerFactory()
    for n in range(5):
        FeedbackItemFactory(customer=customer, text=f"Fuzz feedback {n} =cmd|' /C'")
    IdeaFactory()
    return themes


@contextmanager
def _keep_test_connection():
    """Requests through the WSGI app would close the test's database connection
    (and its transaction); Django's own test client unhooks the same signal."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _summary(exc: BaseException) -> str:
    found = getattr(exc, "exceptions", None) or [exc]
    lines = []
    for error in found:
        text = str(error).strip().splitlines()
        lines.append(f"{type(error).__name__}: " + " | ".join(text[:3]))
    return "; ".join(lines)[:600]


def _fuzz(schema, headers: dict) -> tuple[int, int, list[str]]:
    """(operations, requests, failures) for one role."""
    counts = {"operations": 0, "requests": 0}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in EXCLUDED:
            continue
        counts["operations"] += 1

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            counts["requests"] += 1
            # Each request in a savepoint rolled back afterwards: one request's
            # database error cannot poison the ones after it.
            savepoint = transaction.savepoint()
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                transaction.savepoint_rollback(savepoint)
                connection.needs_rollback = False

        try:
            run()
        # schemathesis raises a FailureGroup (a BaseExceptionGroup); collect
        # every operation's failure, then report them all.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{key[0]} {key[1]}: {_summary(exc)}")
    return counts["operations"], counts["requests"], failures


@pytest.mark.parametrize("role", ["cx_lead", "executive", "advisor"])
@pytest.mark.django_db
def test_the_api_survives_fuzzing_without_5xx_or_schema_breaks(role):
    from cxplan.wsgi import application

    _world()
    user = UserFactory(username=f"fuzz-{role}", role=role)
    headers = {"Authorization": f"Token {api_key_for(user)}"}
    started = time.monotonic()
    with _keep_test_connection():
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers=headers
        )
        operations, requests, failures = _fuzz(schema, headers)
    FIGURES[role] = {
        "operations": operations,
        "requests": requests,
        "seconds": round(time.monotonic() - started, 1),
        "failures": len(failures),
    }
    print("FIGURES", role, FIGURES[role])
    assert operations >= 50, "the schema lost most of its operations"
    assert not failures, f"{len(failures)} operations failed:\n" + "\n".join(failures)
