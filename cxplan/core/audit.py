"""The audit trail: one call per change, bulk changes included (one event, all ids)."""

from collections.abc import Iterable

from django.db import models

from cxplan.core.models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    objects: models.Model | Iterable[models.Model],
    changes: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `objects` (one model or many of one type)."""
    if isinstance(objects, models.Model):
        objects = [objects]
    objects = list(objects)
    object_type = objects[0]._meta.label_lower if objects else ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_ids=[o.pk for o in objects],
        changes=_jsonable(changes or {}),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)
