"""Business cases follow new assumptions and rankings in a task, never inline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxplan.core.outbox import outbox_sweep
from initiatives.models import Initiative
from initiatives.services.results import initiatives_results_refresh
from roi.models import AssumptionSet
from roi.services import assumptions_set
from tests.initiatives.factories_initiatives import make_initiative

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=5)


def test_saving_assumptions_only_enqueues_the_recompute(
    cx_lead, django_capture_on_commit_callbacks
):
    """The request commits the new set; the cases move only when the task runs."""
    initiative = make_initiative(cx_lead)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assumptions_set(actor=cx_lead, rate=0.08)
    assert Initiative.objects.get(pk=initiative.pk).assumptions_id == (
        initiative.assumptions_id
    )
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    current = AssumptionSet.objects.get(is_current=True)
    assert Initiative.objects.get(pk=initiative.pk).assumptions_id == current.pk


def test_a_lost_recompute_is_sent_again_by_the_sweep(cx_lead):
    """With the message lost (no on-commit run), the sweep finds the stale cases."""
    initiative = make_initiative(cx_lead)
    assumptions_set(actor=cx_lead, rate=0.08)  # on-commit never runs here
    assert outbox_sweep()["business_cases"] == 0  # the task still has its chance
    assert outbox_sweep(now=timezone.now() + LATER)["business_cases"] == 1
    initiative.refresh_from_db()
    assert initiative.assumptions.is_current
    assert str(initiative.npv) == "6016.84"
    assert outbox_sweep(now=timezone.now() + LATER)["business_cases"] == 0


def test_the_recompute_is_safe_to_run_twice(cx_lead):
    make_initiative(cx_lead)
    assumptions_set(actor=cx_lead, rate=0.08)
    assert initiatives_results_refresh() == {"status": "computed", "initiatives": 1}
    assert initiatives_results_refresh() == {"status": "fresh", "initiatives": 0}
