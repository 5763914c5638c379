"""Initiatives' rows for the outbox sweep: business cases on an old assumption set.

The new current AssumptionSet is the row that records the work: every case
still computed with another set is stale. If the recompute's message was lost
(Redis down) or its worker died, the sweep sends it again.
"""

from cxplan.core.locks import advisory_lock_held
from cxplan.core.queue import send
from initiatives.models import Initiative
from initiatives.services.results import LOCK_KEY
from initiatives.tasks import recompute_business_cases
from roi.selectors import assumptions_current


def initiatives_sweep(*, stale) -> dict[str, int]:
    """Send the business-case recompute when some case is not on the current
    assumption set and that set was saved before `stale` (so the task sent on
    commit had its chance) and no recompute runs; counts by kind."""
    sent = {"business_cases": 0}
    current = assumptions_current()
    if current is None or current.created_at >= stale or advisory_lock_held(LOCK_KEY):
        return sent
    if Initiative.objects.exclude(assumptions=current).exists():
        sent["business_cases"] += send(recompute_business_cases)
    return sent
