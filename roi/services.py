"""Writes of the ROI assumptions. A set is never edited: a change saves a new
current set, so every stored result still points at the figures it used.

Whoever caches results computed with the assumptions (initiatives) listens to
`assumptions_changed`, sent after the new set is committed; roi itself imports
nothing downstream.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from cxplan.core.audit import audit_record
from roi import drivers as engine
from roi.models import AssumptionSet
from roi.selectors import FIELDS, assumptions_current, assumptions_engine

# Sent with `assumption_set` once a new current set is committed.
assumptions_changed = Signal()

MAX_HORIZON = 10
# Bounds of the database columns (roi.models), checked before saving so bad
# input is a field error, never an IntegrityError.
_LIMITS = {
    "rate": (Decimal("0"), Decimal("1")),
    "gross_margin": (Decimal("0"), Decimal("1")),
    "benefit_risk": (Decimal("0"), Decimal("1")),
    "cost_risk": (Decimal("0"), Decimal("2")),
    "assisted_cost": (Decimal("0"), Decimal("99999999")),
    "self_service_cost": (Decimal("0"), Decimal("99999999")),
}
_PLACES = {
    "rate": 4,
    "gross_margin": 4,
    "benefit_risk": 4,
    "cost_risk": 4,
    "assisted_cost": 2,
    "self_service_cost": 2,
}


def _decimal(name: str, value) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError({name: "Enter a number."})
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({name: "Enter a number."}) from None
    if not number.is_finite():
        raise ValidationError({name: "Enter a finite number."})
    low, high = _LIMITS[name]
    if not low <= number <= high:
        raise ValidationError({name: f"Must lie between {low} and {high}."})
    places = _PLACES[name]
    if number != round(number, places):
        raise ValidationError({name: f"Use at most {places} decimal places."})
    return number


def _ramp(value, horizon: int) -> list[float]:
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError(
            {"ramp": "Give at least one yearly share, e.g. 0.25, 0.75, 1."}
        )
    if len(value) > MAX_HORIZON:
        raise ValidationError({"ramp": f"Give at most {MAX_HORIZON} shares."})
    shares = []
    for share in value:
        try:
            number = float(str(share).strip())
        except ValueError:
            raise ValidationError({"ramp": f"{share!r} is not a number."}) from None
        if not 0 <= number <= 2:
            raise ValidationError({"ramp": "Each share must lie between 0 and 2."})
        shares.append(number)
    return shares


def assumptions_set(*, actor, note: str = "", **values) -> AssumptionSet:
    """Save a new current assumption set; fields not given keep their current
    value. Raises ValidationError naming the field. Sends `assumptions_changed`
    after commit."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Unknown assumption."})
    current = assumptions_current()
    base = assumptions_engine(current)
    merged = {name: values.get(name, getattr(base, name)) for name in FIELDS}

    horizon = merged["horizon"]
    if isinstance(horizon, bool) or not isinstance(horizon, int | str | float):
        raise ValidationError({"horizon": "Enter a whole number of years."})
    try:
        horizon_number = float(horizon)
    except ValueError:
        raise ValidationError({"horizon": "Enter a whole number of years."}) from None
    if horizon_number != int(horizon_number) or not 1 <= horizon_number <= MAX_HORIZON:
        raise ValidationError({"horizon": f"Enter 1 to {MAX_HORIZON} years."})
    fields = {name: _decimal(name, merged[name]) for name in _LIMITS}
    fields["horizon"] = int(horizon_number)
    fields["ramp"] = _ramp(merged["ramp"], fields["horizon"])
    if fields["self_service_cost"] > fields["assisted_cost"]:
        raise ValidationError(
            {"self_service_cost": "Cannot exceed the assisted cost per contact."}
        )
    try:  # the engine has the last word on what it can compute with
        engine.Assumptions(
            **{
                k: (float(v) if isinstance(v, Decimal) else v)
                for k, v in fields.items()
            }
        )
    except ValueError as error:
        raise ValidationError({"non_field_errors": str(error)}) from None

    with transaction.atomic():
        # The row lock serialises two leads saving at once; the partial unique
        # constraint would refuse the second "current" anyway.
        list(AssumptionSet.objects.select_for_update().filter(is_current=True))
        AssumptionSet.objects.filter(is_current=True).update(is_current=False)
        created = AssumptionSet.objects.create(
            **fields,
            is_current=True,
            note=note[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="assumptions.set",
            objects=created,
            changes={name: fields[name] for name in FIELDS} | {"note": note},
        )
        transaction.on_commit(
            lambda: assumptions_changed.send(
                sender=AssumptionSet, assumption_set=created
            )
        )
    return created


def assumptions_ensure() -> AssumptionSet:
    """The current set, saving the DESIGN.md defaults first when there is none."""
    current = assumptions_current()
    if current is not None:
        return current
    with transaction.atomic():
        current = (
            AssumptionSet.objects.select_for_update().filter(is_current=True).first()
        )
        if current is None:
            current = AssumptionSet.objects.create(is_current=True, note="defaults")
    return current
