"""Who raised an idea: its author or a CX lead attaches customers (by id or by
their external id, the one in the CRM) and feedback items (CXPlan issue 24.3).

Customers of attached items count as customers behind the idea too
(feedback.selectors.idea_value counts each customer once).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from cxplan.core.audit import audit_record
from cxplan.core.roles import CX_LEAD, has_role
from feedback.models import Customer, FeedbackItem, Idea

MAX_LINKS = 500


def idea_customers_can_set(*, idea: Idea, user) -> bool:
    """The author of the idea and CX leads attach who raised it."""
    return idea.author_id == user.pk or has_role(user, CX_LEAD)


def _found(model, field: str, wanted: set, name: str) -> list:
    rows = list(model.objects.filter(**{f"{field}__in": wanted}))
    missing = wanted - {getattr(r, field) for r in rows}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise ValidationError({name: f"No such {model._meta.verbose_name}: {listed}."})
    return rows


@transaction.atomic
def idea_customers_set(
    *,
    idea: Idea,
    user,
    customer_ids=None,
    customer_external_ids=None,
    item_ids=None,
) -> Idea:
    """Replace the customers (ids and external ids together) and/or the
    feedback items behind `idea`; None leaves that side alone.

    PermissionDenied unless `user` is its author or a CX lead; ValidationError
    for a merged idea, more than MAX_LINKS, or ids that do not exist (named).
    """
    if not idea_customers_can_set(idea=idea, user=user):
        raise PermissionDenied("Only its author or a CX lead says who raised an idea.")
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.merged_into_id:
        raise ValidationError(
            {"idea": f"Merged into #{idea.merged_into_id}; attach customers there."}
        )
    changes = {}
    if customer_ids is not None or customer_external_ids is not None:
        ids = {int(pk) for pk in customer_ids or []}
        refs = {str(r).strip() for r in customer_external_ids or [] if str(r).strip()}
        if len(ids) + len(refs) > MAX_LINKS:
            raise ValidationError({"customers": f"At most {MAX_LINKS} customers."})
        found = _found(Customer, "pk", ids, "customers")
        found += _found(Customer, "external_id", refs, "customer_external_ids")
        idea.customers.set(found)
        changes["customers"] = sorted({c.pk for c in found})
    if item_ids is not None:
        ids = {int(pk) for pk in item_ids}
        if len(ids) > MAX_LINKS:
            raise ValidationError({"items": f"At most {MAX_LINKS} feedback items."})
        idea.items.set(_found(FeedbackItem, "pk", ids, "items"))
        changes["items"] = sorted(ids)
    if changes:
        Idea.objects.filter(pk=idea.pk).update(version=F("version") + 1)
        audit_record(actor=user, action="idea.customers", objects=idea, changes=changes)
    idea.refresh_from_db()
    return idea
