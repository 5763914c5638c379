"""Writes on success metrics: their definitions and their readings per period."""

from datetime import date

from django.db import transaction

from cxplan.core.audit import audit_record
from strategy.models import MetricReading, SuccessMetric
from strategy.services.edits import record_created, record_updated

METRIC_FIELDS = (
    "name",
    "kind",
    "unit",
    "baseline",
    "target",
    "current",
    "direction",
    "owner",
)


@transaction.atomic
def metric_create(*, actor, data: dict) -> SuccessMetric:
    """Define a success metric (NPS, CSAT, churn, cost to serve or custom)."""
    return record_created(
        actor=actor, obj=SuccessMetric(), data=data, fields=METRIC_FIELDS, name="metric"
    )


@transaction.atomic
def metric_update(
    *, metric: SuccessMetric, actor, data: dict, expected_version: int | None = None
) -> SuccessMetric:
    """Change a metric's definition, baseline, target or current value."""
    return record_updated(
        obj=metric,
        actor=actor,
        data=data,
        fields=METRIC_FIELDS,
        name="metric",
        expected_version=expected_version,
    )


@transaction.atomic
def metric_delete(*, metric: SuccessMetric, actor) -> None:
    """Remove a metric and its readings."""
    audit_record(
        actor=actor,
        action="strategy.metric_delete",
        objects=metric,
        changes={"name": metric.name},
    )
    metric.delete()


@transaction.atomic
def metric_reading_record(
    *, metric: SuccessMetric, actor, period: date, value: float
) -> MetricReading:
    """Record (or correct) the metric's value for a period; the newest period's
    value becomes the metric's `current`."""
    reading, created = MetricReading.objects.update_or_create(
        metric=metric, period=period, defaults={"value": value}
    )
    newest = metric.readings.order_by("-period").values_list("value", flat=True)[0]
    if metric.current != newest:
        SuccessMetric.objects.filter(pk=metric.pk).update(current=newest)
        metric.current = newest
    audit_record(
        actor=actor,
        action="strategy.metric_reading",
        objects=metric,
        changes={"period": period, "value": value, "created": created},
    )
    return reading
