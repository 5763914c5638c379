"""The CX lead's triage of ideas: status, links to themes, merges.

Rules (CXPlan issue 6):
- Only CX leads triage: status, links to themes and initiatives, merges.
- Status moves forward along new -> under_review -> planned -> shipped, where
  `new -> planned` may skip the review, and `shipped` needs `planned` and at least
  one linked initiative (so the idea can show what delivered it). Any idea that
  has not shipped may be declined with a reason. Going back is allowed only to
  `under_review`: from `planned` (the plan was dropped) and from `declined`
  (reopened; not for an idea merged into another). Nothing goes back to `new`,
  because that would reopen the author's edit window; `shipped` is final.
- Every status change and merge notifies the author and the voters (never the CX
  lead who made it) in the app and by email.

The initiatives app owns the links of ideas to initiatives (Initiative.ideas):
it sets them, then calls `idea_links_record` / `idea_status_set` here, and it
moves them on a merge through the `idea_merged` signal. Feedback never imports it.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from cxplan.core.audit import audit_record
from cxplan.core.roles import CX_LEAD, has_role
from feedback.models import Idea, IdeaComment, Theme, Vote
from feedback.services.ideas import idea_feeds_ranking, idea_url
from feedback.services.notifications import notifications_send
from feedback.services.ranking_state import ranking_mark_dirty
from feedback.signals import idea_merged

S = Idea.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.UNDER_REVIEW, S.PLANNED, S.DECLINED}),
    S.UNDER_REVIEW: frozenset({S.PLANNED, S.DECLINED}),
    S.PLANNED: frozenset({S.SHIPPED, S.UNDER_REVIEW, S.DECLINED}),
    S.SHIPPED: frozenset(),
    S.DECLINED: frozenset({S.UNDER_REVIEW}),
}


def idea_transitions(*, idea: Idea) -> list[str]:
    """The statuses `idea` may move to next, in workflow order."""
    if idea.merged_into_id:
        return []
    allowed = TRANSITIONS[idea.status]
    return [s for s in S.values if s in allowed]


def _require_cx_lead(user) -> None:
    if not has_role(user, CX_LEAD):
        raise PermissionDenied("Only CX leads triage ideas.")


def idea_triage_lock(*, idea: Idea, user) -> Idea:
    """`idea` re-read under a row lock for a triage by `user`; call it inside a
    transaction. Raises PermissionDenied unless `user` is a CX lead."""
    _require_cx_lead(user)
    return Idea.objects.select_for_update().get(pk=idea.pk)


def idea_themes_set(*, idea: Idea, theme_ids) -> list[int]:
    """Replace the themes of `idea` (locked by the caller) with the active themes
    `theme_ids`; answers the sorted ids. Raises ValidationError naming unknown or
    archived ids. Marks the ranking dirty when the themes of a voted idea change,
    because votes reach the ranking through the linked themes."""
    ids = {int(pk) for pk in theme_ids}
    found = list(Theme.objects.filter(pk__in=ids, is_active=True))
    missing = ids - {t.pk for t in found}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise ValidationError({"themes": f"No such active theme: {listed}."})
    before = set(idea.themes.values_list("pk", flat=True))
    idea.themes.set(found)
    if before != ids and idea.vote_count:
        ranking_mark_dirty()
    return sorted(int(pk) for pk in theme_ids)


def idea_links_record(*, idea: Idea, user, changes: dict) -> Idea:
    """Bump the version of `idea` and audit the links `user` just replaced.

    `changes` maps a link ("themes", "initiatives") to its new sorted ids; the
    initiatives app sets its own links (it owns them) and records them here, so
    one triage answers one version and one audit record. Nothing when empty.
    """
    if changes:
        Idea.objects.filter(pk=idea.pk).update(version=F("version") + 1)
        idea.refresh_from_db()
        audit_record(actor=user, action="idea.links", objects=idea, changes=changes)
    return idea


def _voters(idea: Idea) -> list:
    return list(
        get_user_model()
        .objects.filter(vote__idea=idea)
        .exclude(pk=idea.author_id)
        .order_by("pk")
    )


def _status_words(idea: Idea, delivered_by: list[str]) -> str:
    if idea.status == S.DECLINED:
        return f"was declined. Reason: {idea.decline_reason}"
    if idea.status == S.SHIPPED:
        return f"has shipped, delivered by {', '.join(delivered_by)}."
    return f"is now {idea.get_status_display().lower()}."


def _notify(idea: Idea, *, actor, author_message: str, voter_message: str, voters):
    url = idea_url(idea)
    subject = f"Idea update: {idea.title}"
    if idea.author_id != actor.pk:
        notifications_send(
            users=[idea.author], message=author_message, url=url, subject=subject
        )
    notifications_send(
        users=[v for v in voters if v.pk != actor.pk],
        message=voter_message,
        url=url,
        subject=subject,
    )


def idea_status_check(*, idea: Idea, status: str, decline_reason: str = "") -> str:
    """Raise ValidationError unless `idea` may move to `status` (see TRANSITIONS)
    with `decline_reason`; answers the reason stripped. Changes nothing."""
    if status not in S.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status not in idea_transitions(idea=idea):
        merged = " (it was merged into another idea)" if idea.merged_into_id else ""
        raise ValidationError(
            {
                "status": f"An idea that is {S(idea.status).label.lower()} cannot "
                f"move to {S(status).label.lower()}{merged}."
            }
        )
    reason = (decline_reason or "").strip()
    if status == S.DECLINED and not reason:
        raise ValidationError(
            {"decline_reason": "Say why it is declined; the author will read it."}
        )
    return reason


@transaction.atomic
def idea_status_set(
    *,
    idea: Idea,
    user,
    status: str,
    decline_reason: str = "",
    delivered_by: list[str] | None = None,
) -> Idea:
    """Move `idea` to `status` (see TRANSITIONS) and tell its author and voters.

    `decline_reason` is required for `declined` and shown to the author.
    `delivered_by` names what delivered the idea, by title: the initiatives app
    owns those links, checks them and passes their titles; `shipped` needs one.
    """
    idea = idea_triage_lock(idea=idea, user=user)
    old = idea.status
    reason = idea_status_check(idea=idea, status=status, decline_reason=decline_reason)
    if status == S.SHIPPED and not delivered_by:
        raise ValidationError(
            {"initiatives": "Link the initiative that delivered it before shipping."}
        )
    idea.status = status
    idea.decline_reason = reason if status == S.DECLINED else ""
    idea.version = F("version") + 1
    idea.save(update_fields=["status", "decline_reason", "version", "updated_at"])
    idea.refresh_from_db()
    audit_record(
        actor=user,
        action="idea.status",
        objects=idea,
        changes={"status": [old, status], "decline_reason": idea.decline_reason},
    )
    words = _status_words(idea, delivered_by or [])
    _notify(
        idea,
        actor=user,
        author_message=f'Your idea "{idea.title}" {words}',
        voter_message=f'An idea you voted for, "{idea.title}", {words}',
        voters=_voters(idea),
    )
    return idea


@transaction.atomic
def idea_merge(*, source: Idea, target: Idea, user) -> Idea:
    """Merge duplicate `source` into `target`; returns the updated target.

    Votes move (a person who voted for both keeps one vote), so do comments,
    themes and who raised it (customers and feedback items, each once);
    `idea_merged` lets the initiatives app move its links. The source becomes
    `declined`, "merged into #<target>", with no votes, and ideas merged into it
    earlier now point at the target. Its author and voters are told, and so is
    the target's author.
    """
    _require_cx_lead(user)
    if source.pk == target.pk:
        raise ValidationError({"into": "An idea cannot be merged into itself."})
    # Lock both rows in id order so two crossing merges cannot deadlock.
    locked = {
        i.pk: i
        for i in Idea.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise ValidationError(
            {"idea": f"This idea is already merged into #{source.merged_into_id}."}
        )
    if source.status == S.SHIPPED:
        raise ValidationError({"idea": "A shipped idea cannot be merged."})
    if target.merged_into_id:
        raise ValidationError(
            {
                "into": f"#{target.pk} was merged into #{target.merged_into_id}; "
                "merge into that one."
            }
        )
    voters = _voters(source)
    voter_ids = list(Vote.objects.filter(idea=source).values_list("user_id", flat=True))
    Vote.objects.bulk_create(
        [Vote(idea=target, user_id=uid) for uid in voter_ids], ignore_conflicts=True
    )
    Vote.objects.filter(idea=source).delete()
    comments = IdeaComment.objects.filter(idea=source).update(idea=target)
    target.themes.add(*source.themes.all())
    target.customers.add(*source.customers.all())
    target.items.add(*source.items.all())
    # Links owned above feedback (initiatives) follow through their receivers.
    idea_merged.send(sender=Idea, source=source, target=target)
    # Recount instead of adding: voters of both ideas must count once.
    Idea.objects.filter(pk=target.pk).update(
        vote_count=Vote.objects.filter(idea=target).count(),
        version=F("version") + 1,
    )
    Idea.objects.filter(merged_into=source).update(
        merged_into=target, decline_reason=f"merged into #{target.pk}"
    )
    source.status = S.DECLINED
    source.decline_reason = f"merged into #{target.pk}"
    source.merged_into = target
    source.vote_count = 0
    source.version = F("version") + 1
    source.save(
        update_fields=[
            "status",
            "decline_reason",
            "merged_into",
            "vote_count",
            "version",
            "updated_at",
        ]
    )
    source.refresh_from_db()
    target.refresh_from_db()
    if idea_feeds_ranking(idea_id=target.pk):
        ranking_mark_dirty()
    audit_record(
        actor=user,
        action="idea.merge",
        objects=source,
        changes={"into": target.pk, "votes": len(voter_ids), "comments": comments},
    )
    where = f'"{target.title}" (#{target.pk})'
    _notify(
        source,
        actor=user,
        author_message=f'Your idea "{source.title}" was merged into {where}; '
        "its votes and comments moved there.",
        voter_message=f'An idea you voted for, "{source.title}", was merged into '
        f"{where}; your vote moved there.",
        voters=voters,
    )
    if target.author_id not in (user.pk, source.author_id):
        notifications_send(
            users=[target.author],
            message=f'"{source.title}" (#{source.pk}) was merged into your idea '
            f'"{target.title}": its votes, customers and comments are here now.',
            url=idea_url(target),
            subject=f"Idea update: {target.title}",
        )
    return target
