"""Links from initiatives to ideas: this app owns them (`Initiative.ideas`).

A CX lead links an idea to the initiatives that deliver it, in the same call as
its themes or as a status change; shipping needs one. Feedback never imports
this app, so the triage runs here and calls feedback's triage services for the
idea's own part (themes, status, audit, notifications); when feedback merges
two ideas, its `idea_merged` signal moves the links here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver

from feedback.models import Idea
from feedback.services import idea_triage as triage
from feedback.signals import idea_merged
from initiatives.models import Initiative
from initiatives.selectors.idea_links import idea_initiative_titles


def _initiatives_set(idea: Idea, initiative_ids) -> list[int]:
    ids = {int(pk) for pk in initiative_ids}
    found = list(Initiative.objects.filter(pk__in=ids))
    missing = ids - {i.pk for i in found}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise ValidationError({"initiatives": f"No such initiative: {listed}."})
    idea.initiatives.set(found)
    return sorted(int(pk) for pk in initiative_ids)


@transaction.atomic
def idea_links_set(*, idea: Idea, user, theme_ids=None, initiative_ids=None) -> Idea:
    """Replace the idea's themes and/or initiatives (None leaves one alone).

    CX leads only (PermissionDenied otherwise). Raises ValidationError naming
    unknown ids (themes are checked first). One version bump and one
    "idea.links" audit record for both; answers the idea.
    """
    idea = triage.idea_triage_lock(idea=idea, user=user)
    changes = {}
    if theme_ids is not None:
        changes["themes"] = triage.idea_themes_set(idea=idea, theme_ids=theme_ids)
    if initiative_ids is not None:
        changes["initiatives"] = _initiatives_set(idea, initiative_ids)
    return triage.idea_links_record(idea=idea, user=user, changes=changes)


@transaction.atomic
def idea_status_set(
    *,
    idea: Idea,
    user,
    status: str,
    decline_reason: str = "",
    initiative_ids=None,
) -> Idea:
    """Move `idea` to `status` and tell its author and voters (feedback's
    `idea_status_set`); answers the idea.

    `initiative_ids`, when given, replace the linked initiatives first (after
    the status itself is checked), so one call can ship an idea with the
    initiative that delivered it; the notification names them.
    """
    idea = triage.idea_triage_lock(idea=idea, user=user)
    triage.idea_status_check(idea=idea, status=status, decline_reason=decline_reason)
    if initiative_ids is not None:
        _initiatives_set(idea, initiative_ids)
    return triage.idea_status_set(
        idea=idea,
        user=user,
        status=status,
        decline_reason=decline_reason,
        delivered_by=idea_initiative_titles(idea=idea),
    )


@receiver(idea_merged, dispatch_uid="initiatives-links-follow-merged-idea")
def _on_idea_merged(sender, source: Idea, target: Idea, **kwargs) -> None:
    # The kept idea is delivered by whatever delivered its duplicate; the
    # duplicate keeps its links too, as history.
    target.initiatives.add(*Initiative.objects.filter(ideas=source))
