"""Customer imports (issue 23.2): outcomes, revenue and segment, all or nothing."""

from django.db import transaction
from django.utils import timezone

from cxplan.core.audit import audit_record
from feedback.intake.customers import customer_rows
from feedback.models import Customer
from feedback.services.ranking_state import ranking_mark_dirty

BATCH = 5_000


def customers_import(*, data: bytes, mapping: dict | None = None, user=None) -> dict:
    """Store the customers of a CSV file: {"created", "updated"} or {"errors"}.

    A customer is matched by external_id: a known one has only the fields the
    file gives replaced, a new one is created. One bad row stores nothing; the
    errors name each line and field. Revenue feeds the ranking, so its inputs
    are marked changed."""
    rows, fields, errors = customer_rows(data, mapping)
    if errors:
        return {"errors": errors}
    now = timezone.now()
    keys = [row["external_id"] for row in rows]
    with transaction.atomic():
        known = set(
            Customer.objects.filter(external_id__in=keys).values_list(
                "external_id", flat=True
            )
        )
        customers = [Customer(**row, updated_at=now) for row in rows]
        update = [f for f in fields if f != "external_id"] + ["updated_at"]
        Customer.objects.bulk_create(
            customers,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["external_id"],
            update_fields=update,
        )
        ranking_mark_dirty()
        summary = {"created": len(rows) - len(known), "updated": len(known)}
        audit_record(actor=user, action="customers.import", objects=[], changes=summary)
    return summary
