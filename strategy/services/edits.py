"""How every strategy write is applied: versions checked and bumped, allowed
fields set, validated, saved and audited.

Versioned records (`Strategy`, `StrategyStep`, `Action`, `SuccessMetric`) get
their version bumped here, and callers that know the version the user read pass
`expected_version` (a mismatch raises `StaleVersion`, nothing is written).
"""

from django.db.models import F

from cxplan.core.audit import audit_record


class StaleVersion(Exception):
    """The record changed since the caller read it."""


class AlreadySignedOff(Exception):
    """CEO buy-in was already given; a second sign-off would rewrite history."""


def check_version(obj, expected_version: int | None) -> None:
    """Raise StaleVersion when `expected_version` is given and is not `obj`'s."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleVersion(f"{obj} is at version {obj.version}")


def bump_version(obj) -> None:
    """Add one to `obj`'s version in the database and on `obj`."""
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


def apply_fields(obj, data: dict, allowed: tuple[str, ...]) -> dict:
    """Set the allowed fields present in `data`; answer {field: [old, new]}."""
    changes = {}
    for name in allowed:
        if name not in data:
            continue
        # A default, because an unset foreign key raises an AttributeError.
        old, new = getattr(obj, name, None), data[name]
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def record_created(*, actor, obj, data: dict, fields, name: str):
    """Validate, save and audit a new action or metric."""
    changes = apply_fields(obj, data, fields)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor, action=f"strategy.{name}_create", objects=obj, changes=changes
    )
    return obj


def record_updated(*, obj, actor, data: dict, fields, name: str, expected_version):
    """Lock, check the version, apply, validate, save and audit an edit."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(obj, expected_version)
    changes = apply_fields(obj, data, fields)
    if changes:
        obj.full_clean()
        obj.save()
        bump_version(obj)
        audit_record(
            actor=actor, action=f"strategy.{name}_update", objects=obj, changes=changes
        )
    return obj
