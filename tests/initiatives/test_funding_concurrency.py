"""Concurrent allocations never over-allocate a source (PostgreSQL row locks)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from initiatives.models import Allocation
from initiatives.services.funding import allocation_set
from tests.conftest import need
from tests.factories import UserFactory
from tests.initiatives.factories_funding import initiative_costing, source_with

WORKERS = 8


def run_at_once(jobs):
    """Run each job in its own thread and database connection, all released
    together by a barrier; returns the outcomes in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=10)
            job()
            outcomes[index] = "ok"
        except ValidationError:
            outcomes[index] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_from_one_source_never_exceed_its_year():
    """Eight CX leads each try to take 4 000 of a 10 000 year at the same
    moment: exactly two succeed and the year never goes over."""
    need("postgres")
    lead = UserFactory(username="clara-threads", role="cx_lead")
    source = source_with({0: 10_000})
    initiatives = [initiative_costing(4000) for _ in range(WORKERS)]
    jobs = [
        (
            lambda initiative=initiative: allocation_set(
                actor=lead, source=source, initiative=initiative, year=0, amount=4000
            )
        )
        for initiative in initiatives
    ]
    outcomes = run_at_once(jobs)
    assert sorted(outcomes) == ["ok"] * 2 + ["refused"] * (WORKERS - 2), outcomes
    total = Allocation.objects.filter(source=source, year=0).aggregate(t=Sum("amount"))
    assert total["t"] == Decimal("8000.00")


@pytest.mark.django_db(transaction=True)
def test_lowering_a_source_while_allocating_keeps_the_invariant():
    """A CX lead lowers the year to 5 000 while others allocate 3 000 each:
    whatever the order, allocations never exceed the stored amount."""
    from initiatives.services.funding import funding_source_update

    need("postgres")
    lead = UserFactory(username="clara-lower", role="cx_lead")
    source = source_with({0: 12_000})
    initiatives = [initiative_costing(3000) for _ in range(4)]
    jobs = [
        (
            lambda initiative=initiative: allocation_set(
                actor=lead, source=source, initiative=initiative, year=0, amount=3000
            )
        )
        for initiative in initiatives
    ]
    jobs.append(
        lambda: funding_source_update(actor=lead, source=source, amounts={0: 5000})
    )
    outcomes = run_at_once(jobs)
    assert all(o in ("ok", "refused") for o in outcomes), outcomes
    amount = source.amounts.get(year=0).amount
    total = Allocation.objects.filter(source=source, year=0).aggregate(t=Sum("amount"))
    assert (total["t"] or 0) <= amount
