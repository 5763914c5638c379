"""The business case of an initiative, recomputed and cached on every change.

`initiative_results_compute` runs the pure engine (deterministic figures and
the Monte Carlo) on the stored cost lines and drivers with the current
assumptions, and stores the answer on the initiative together with the
assumption set it used, so every figure shown can be explained later. When
the assumptions change or a new ranking is saved, the receivers at the end only
enqueue the tasks of initiatives.tasks, which run the refreshes defined here.
"""

from __future__ import annotations

import zlib
from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from cxplan.core.locks import advisory_lock
from cxplan.core.queue import send_on_commit
from feedback.models import RankingSnapshot
from initiatives.models import Initiative
from initiatives.selectors.initiatives import (
    evidence_check,
    latest_snapshot,
    with_case,
)
from initiatives.tasks import recompute_business_cases, refresh_evidence
from roi import drivers as engine_inputs
from roi import engine, montecarlo, sensitivity
from roi.selectors import (
    assumptions_as_dict,
    assumptions_current,
    assumptions_engine,
)
from roi.services import assumptions_changed, assumptions_ensure

DISTRIBUTION = "triangular"
SIMULATIONS = montecarlo.DEFAULT_SIMULATIONS
# Evenly spaced percentiles (min to max) of the simulated NPV: enough to redraw the
# histogram on a page without storing 10 000 draws per initiative.
QUANTILE_POINTS = np.linspace(0.0, 100.0, 201)


def money(value: float) -> Decimal:
    """A float rounded half-up to cents, for the Decimal columns."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def engine_case(initiative: Initiative):
    """(cost lines, drivers, errors) for the engine from the stored rows; a row
    the engine refuses is left out and named in `errors`."""
    lines, drivers, errors = [], [], []
    for line in initiative.cost_lines.all():
        try:
            lines.append(
                engine_inputs.CostLine(
                    kind=line.kind,
                    amount=engine_inputs.Uncertain(line.low, line.likely, line.high),
                    label=line.label,
                )
            )
        except ValueError as error:
            errors.append(f"Cost “{line.label}”: {error}")
    for driver in initiative.benefit_drivers.all():
        try:
            drivers.append(
                engine_inputs.BenefitDriver(
                    kind=driver.kind, inputs=dict(driver.inputs), label=driver.label
                )
            )
        except (TypeError, ValueError) as error:
            errors.append(f"Benefit “{driver.label or driver.kind}”: {error}")
    return lines, drivers, errors


def case_result(lines, drivers, assumptions, *, seed: int) -> dict:
    """Everything the pages show for a case: `evaluate_case` plus the Monte
    Carlo summary inside each block and NPV quantiles for the histogram."""
    result = engine.evaluate_case(lines, drivers, assumptions)
    simulated = montecarlo.simulate_case(
        lines,
        drivers,
        assumptions,
        distribution=DISTRIBUTION,
        simulations=SIMULATIONS,
        seed=seed,
        keep_samples=True,
    )
    for block in ("raw", "risk_adjusted"):
        result[block]["montecarlo"] = simulated[block]
    samples = simulated["samples"]["risk_adjusted"]
    result["npv_quantiles"] = [
        round(float(v), 2) for v in np.percentile(samples, QUANTILE_POINTS)
    ]
    result["montecarlo_settings"] = {
        "distribution": DISTRIBUTION,
        "simulations": SIMULATIONS,
        "seed": seed,
    }
    # The assumptions that move the NPV most (the deck's tornado chart).
    result["sensitivity"] = sensitivity.tornado(lines, drivers, assumptions)
    return result


def initiative_results_compute(*, initiative_id: int) -> Initiative:
    """Recompute and cache the business case and the evidence of one initiative.

    Stores `result` (raw and risk-adjusted figures, Monte Carlo, cash flows,
    lines, warnings, evidence and the assumptions used), the assumption set,
    and the risk-adjusted `npv`, `roi`, `payback_months` and `pv_costs`.
    """
    assumption_set = assumptions_ensure()
    assumptions = assumptions_engine(assumption_set)
    with transaction.atomic():
        initiative = with_case(Initiative.objects.select_for_update(of=("self",))).get(
            pk=initiative_id
        )
        lines, drivers, errors = engine_case(initiative)
        result = case_result(lines, drivers, assumptions, seed=initiative.pk)
        result["errors"] = errors
        result["assumptions"] = assumptions_as_dict(assumption_set)
        result["evidence"] = evidence_check(
            theme_ids=[t.pk for t in initiative.themes.all()],
            snapshot=latest_snapshot(),
        )
        result["computed_at"] = timezone.now().isoformat()
        result["version"] = initiative.version
        risk = result["risk_adjusted"]
        fields = {
            "result": result,
            "assumptions": assumption_set,
            "npv": money(risk["npv"]),
            "roi": risk["roi"],
            "payback_months": risk["payback_months"],
            "pv_costs": money(risk["pv_costs"]),
            "evidence_customers": result["evidence"]["customers"],
        }
        # update() keeps `updated_at`: a recompute is not an edit.
        Initiative.objects.filter(pk=initiative.pk).update(**fields)
        for name, value in fields.items():
            setattr(initiative, name, value)
    return initiative


# One business-case refresh at a time (recompute or evidence), across workers.
LOCK_KEY = zlib.crc32(b"cxplan.initiatives.business-cases") & 0x7FFFFFFF
# Rounds of one run: assumptions saved again while it runs get their turn.
MAX_ROUNDS = 5


def initiatives_stale_ids() -> list[int]:
    """Ids of the initiatives whose cached case was computed with other than the
    current assumptions (or never computed), in id order; [] without a set."""
    current = assumptions_current()
    if current is None:
        return []
    stale = Initiative.objects.exclude(assumptions=current)
    return list(stale.order_by("pk").values_list("pk", flat=True))


def initiatives_results_refresh() -> dict:
    """Recompute the stale business cases (see `initiatives_stale_ids`) under
    the lock, round after round until none is left; the Celery task's body.

    Returns {"status": "computed" | "fresh" | "busy", "initiatives": count}.
    Each case stores the set it used, so a run repeated is a no-op, and a set
    saved during a run makes its cases stale again for the next round.
    """
    with advisory_lock(LOCK_KEY) as got:
        if got is False:
            return {"status": "busy", "initiatives": 0}
        count = 0
        for _round in range(MAX_ROUNDS):
            ids = initiatives_stale_ids()
            if not ids:
                break
            for pk in ids:
                with suppress(Initiative.DoesNotExist):  # deleted meanwhile
                    initiative_results_compute(initiative_id=pk)
            count += len(ids)
        return {"status": "computed" if count else "fresh", "initiatives": count}


def initiatives_evidence_refresh() -> int:
    """Refresh only the evidence numbers of every initiative (after a new
    ranking); the number of initiatives whose evidence changed."""
    snapshot = latest_snapshot()
    changed = 0
    for initiative in Initiative.objects.prefetch_related("themes"):
        evidence = evidence_check(
            theme_ids=[t.pk for t in initiative.themes.all()], snapshot=snapshot
        )
        result = dict(initiative.result or {})
        if result.get("evidence") == evidence:
            continue
        result["evidence"] = evidence
        Initiative.objects.filter(pk=initiative.pk).update(
            result=result, evidence_customers=evidence["customers"]
        )
        changed += 1
    return changed


def initiatives_evidence_refresh_locked() -> dict:
    """`initiatives_evidence_refresh` under the business-case lock, so it never
    interleaves with a recompute; the Celery task's body.

    Returns {"status": "refreshed" | "busy", "changed": count}.
    """
    with advisory_lock(LOCK_KEY) as got:
        if got is False:
            return {"status": "busy", "changed": 0}
        return {"status": "refreshed", "changed": initiatives_evidence_refresh()}


# The receivers only enqueue: a recompute runs the Monte Carlo of every
# initiative, far too long for a request or a signal handler.


@receiver(assumptions_changed, dispatch_uid="initiatives-recompute-on-assumptions")
def _on_assumptions_changed(sender, assumption_set, **kwargs):
    # The new set is already committed: it is the row that makes every case
    # stale, so a lost message loses nothing (initiatives.sweeps re-sends).
    send_on_commit(recompute_business_cases)


@receiver(
    post_save, sender=RankingSnapshot, dispatch_uid="initiatives-evidence-on-ranking"
)
def _on_ranking_snapshot(sender, instance, created, **kwargs):
    # feedback/ never imports initiatives/ (DESIGN: data flows one way), so the
    # evidence numbers follow a new ranking through this signal, in a task: one
    # count over the feedback per initiative.
    if created:
        send_on_commit(refresh_evidence)
