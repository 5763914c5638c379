"""Writes of initiatives: create, update (with their cost lines and benefit
drivers) and delete. Every change recomputes the cached business case and is
recorded in the audit trail.

Cost lines are given as ``{"kind", "label", "low", "likely", "high"}`` and
drivers as ``{"kind", "label", "inputs": {name: [low, likely, high] | number}}``;
giving either list replaces the stored rows. Errors are ValidationErrors whose
keys name the field (``cost_lines.1.high``, ``drivers.0.inputs.share_avoided``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from cxplan.core.audit import audit_record
from feedback.models import Theme
from initiatives.models import BenefitDriver, CostLine, Initiative
from initiatives.services.idea_loop import initiative_shipped_notify
from initiatives.services.results import initiative_results_compute
from roi import drivers as engine_inputs

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")
MAX_ROWS = 50
# Keeps every product of inputs far from float overflow.
MAX_INPUT = 1e12
EDITABLE = (
    "title",
    "problem",
    "owner",
    "team",
    "is_technology",
    "shipped_on",
    "shipped_segment",
    "ask_reason",
)
# Approve, reject and defer are executive decisions (initiatives/{id}/decide);
# here only the delivery steps after approval may be recorded.
STATUS_STEPS = {
    Initiative.Status.APPROVED: {
        Initiative.Status.IN_PROGRESS,
        Initiative.Status.SHIPPED,
    },
    Initiative.Status.IN_PROGRESS: {Initiative.Status.SHIPPED},
}


class StaleInitiative(Exception):
    """The initiative changed since the caller read it."""


def _money(value, field: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValidationError({field: "Enter an amount."})
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter an amount."}) from None
    if not number.is_finite():
        raise ValidationError({field: "Enter a finite amount."})
    if number < 0:
        raise ValidationError(
            {field: "A cost cannot be negative; enter savings as a benefit."}
        )
    if number > MAX_MONEY:
        raise ValidationError({field: "Too large."})
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def clean_cost_lines(lines: Sequence[Mapping]) -> list[dict]:
    """Validated cost rows (Decimal amounts), or ValidationError naming the field."""
    if len(lines) > MAX_ROWS:
        raise ValidationError({"cost_lines": f"At most {MAX_ROWS} cost lines."})
    out = []
    for i, line in enumerate(lines):
        prefix = f"cost_lines.{i}"
        kind = line.get("kind")
        if kind not in CostLine.Kind.values:
            raise ValidationError(
                {f"{prefix}.kind": f"Choose one of {', '.join(CostLine.Kind.values)}."}
            )
        label = str(line.get("label") or "").strip()[:200]
        if not label:
            raise ValidationError({f"{prefix}.label": "Give the cost a name."})
        likely = line.get("likely")
        low = line.get("low", likely)
        high = line.get("high", likely)
        low, likely, high = (
            _money(low, f"{prefix}.low"),
            _money(likely, f"{prefix}.likely"),
            _money(high, f"{prefix}.high"),
        )
        if not low <= likely <= high:
            raise ValidationError(
                {f"{prefix}.likely": "Expected low <= likely <= high."}
            )
        out.append(
            {"kind": kind, "label": label, "low": low, "likely": likely, "high": high}
        )
    return out


def _triple(value, field: str) -> list[float]:
    if isinstance(value, Mapping):
        value = [value.get("low"), value.get("likely"), value.get("high")]
    if isinstance(value, Real) and not isinstance(value, bool):
        value = [value] * 3
    if (
        not isinstance(value, list | tuple)
        or len(value) != 3
        or any(isinstance(v, bool) or not isinstance(v, Real | Decimal) for v in value)
    ):
        raise ValidationError({field: "Enter a number or [low, likely, high]."})
    numbers = [float(v) for v in value]
    if not all(math.isfinite(v) for v in numbers):
        raise ValidationError({field: "Enter finite numbers."})
    if any(abs(v) > MAX_INPUT for v in numbers):
        raise ValidationError({field: "Too large."})
    if not numbers[0] <= numbers[1] <= numbers[2]:
        raise ValidationError({field: "Expected low <= likely <= high."})
    return numbers


def clean_drivers(drivers: Sequence[Mapping]) -> list[dict]:
    """Validated driver rows with inputs as [low, likely, high] floats."""
    if len(drivers) > MAX_ROWS:
        raise ValidationError({"drivers": f"At most {MAX_ROWS} benefit drivers."})
    out = []
    for i, driver in enumerate(drivers):
        prefix = f"drivers.{i}"
        kind = driver.get("kind")
        if kind not in engine_inputs.DRIVER_INPUTS:
            kinds = ", ".join(engine_inputs.DRIVER_INPUTS)
            raise ValidationError({f"{prefix}.kind": f"Choose one of {kinds}."})
        given = driver.get("inputs") or {}
        if not isinstance(given, Mapping):
            raise ValidationError({f"{prefix}.inputs": "Give the named inputs."})
        names = engine_inputs.DRIVER_INPUTS[kind]
        extra = sorted(set(given) - set(names))
        if extra:
            raise ValidationError(
                {f"{prefix}.inputs.{extra[0]}": f"Not an input of {kind}."}
            )
        inputs = {}
        for name in names:
            if name not in given:
                raise ValidationError(
                    {f"{prefix}.inputs.{name}": "This input is required."}
                )
            inputs[name] = _triple(given[name], f"{prefix}.inputs.{name}")
        try:
            engine_inputs.BenefitDriver(kind=kind, inputs=inputs)
        except ValueError as error:
            message = str(error)
            field = next((n for n in names if message.startswith(n)), "")
            key = f"{prefix}.inputs.{field}" if field else prefix
            raise ValidationError({key: message}) from None
        label = str(driver.get("label") or "").strip()[:200]
        out.append({"kind": kind, "label": label, "inputs": inputs})
    return out


def _themes(themes: Iterable) -> list[Theme]:
    ids = [t.pk if isinstance(t, Theme) else t for t in themes]
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise ValidationError({"themes": "Give theme ids."}) from None
    found = list(Theme.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        missing = sorted(set(ids) - {t.pk for t in found})
        raise ValidationError({"themes": f"No theme {missing[0]}."})
    return found


def _replace_rows(initiative: Initiative, cost_lines, drivers) -> None:
    if cost_lines is not None:
        initiative.cost_lines.all().delete()
        CostLine.objects.bulk_create(
            CostLine(initiative=initiative, **line) for line in cost_lines
        )
    if drivers is not None:
        initiative.benefit_drivers.all().delete()
        BenefitDriver.objects.bulk_create(
            BenefitDriver(initiative=initiative, **driver) for driver in drivers
        )


def _title(title) -> str:
    title = str(title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the initiative a title."})
    if len(title) > 200:
        raise ValidationError({"title": "At most 200 characters."})
    return title


def initiative_create(
    *,
    actor,
    title: str,
    problem: str = "",
    themes: Iterable = (),
    owner=None,
    team: str = "",
    is_technology: bool = False,
    cost_lines: Sequence[Mapping] = (),
    drivers: Sequence[Mapping] = (),
    ask_reason: str = "",
) -> Initiative:
    """Create a proposed initiative with its case; returns it with results computed."""
    title = _title(title)
    lines = clean_cost_lines(cost_lines)
    benefit = clean_drivers(drivers)
    linked = _themes(themes)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            title=title,
            problem=problem or "",
            owner=owner,
            team=team or "",
            is_technology=bool(is_technology),
            ask_reason=(ask_reason or "").strip()[:2000],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        initiative.themes.set(linked)
        _replace_rows(initiative, lines, benefit)
        audit_record(
            actor=actor,
            action="initiative.create",
            objects=initiative,
            changes={
                "title": title,
                "themes": [t.pk for t in linked],
                "cost_lines": len(lines),
                "drivers": len(benefit),
            },
        )
        initiative = initiative_results_compute(initiative_id=initiative.pk)
    return initiative


def initiative_update(
    *,
    actor,
    initiative: Initiative,
    seen_version: int | None = None,
    themes: Iterable | None = None,
    cost_lines: Sequence[Mapping] | None = None,
    drivers: Sequence[Mapping] | None = None,
    status: str | None = None,
    **fields,
) -> Initiative:
    """Change fields (see EDITABLE), themes, status steps after approval, or
    replace cost lines / drivers; bumps the version and recomputes the case.
    Raises StaleInitiative when `seen_version` is not the stored version."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Cannot be changed here."})
    if "title" in fields:
        fields["title"] = _title(fields["title"])
    lines = clean_cost_lines(cost_lines) if cost_lines is not None else None
    benefit = clean_drivers(drivers) if drivers is not None else None
    linked = _themes(themes) if themes is not None else None
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if seen_version is not None and seen_version != locked.version:
            raise StaleInitiative()
        changes = {}
        if status is not None and status != locked.status:
            if status not in STATUS_STEPS.get(locked.status, set()):
                raise ValidationError(
                    {
                        "status": f"Cannot go from {locked.status} to {status} here; "
                        "approve, reject and defer are executive decisions."
                    }
                )
            changes["status"] = [locked.status, status]
            locked.status = status
        for name, value in fields.items():
            if getattr(locked, name) != value:
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        if locked.status == Initiative.Status.SHIPPED and locked.shipped_on is None:
            raise ValidationError({"shipped_on": "Give the date it shipped."})
        locked.save()
        if linked is not None:
            before = sorted(locked.themes.values_list("pk", flat=True))
            after = sorted(t.pk for t in linked)
            if before != after:
                changes["themes"] = [before, after]
            locked.themes.set(linked)
        if lines is not None:
            changes["cost_lines"] = len(lines)
        if benefit is not None:
            changes["drivers"] = len(benefit)
        _replace_rows(locked, lines, benefit)
        Initiative.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        audit_record(
            actor=actor, action="initiative.update", objects=locked, changes=changes
        )
        if changes.get("status", [None, None])[1] == Initiative.Status.SHIPPED:
            # The people behind its ideas hear it (once: a keyed notification).
            initiative_shipped_notify(initiative=locked, actor=actor)
        updated = initiative_results_compute(initiative_id=locked.pk)
    return updated


def initiative_delete(*, actor, initiative: Initiative) -> None:
    """Delete an initiative nobody decided on or funded yet."""
    if initiative.decisions.exists() or initiative.allocations.exists():
        raise ValidationError(
            {"non_field_errors": "It has decisions or funding; it cannot be deleted."}
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="initiative.delete",
            objects=initiative,
            changes={"title": initiative.title},
        )
        initiative.delete()
