"""Advisor ideas: submit, edit, vote, comment, and the CX lead's triage.

Rules (CXPlan issue 6):
- Every member submits, votes (once per person) and comments. Authors edit their
  own idea while it is `new`; once triage has started it is frozen.
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
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from cxplan.core.audit import audit_record
from cxplan.core.roles import CX_LEAD, has_role
from feedback.models import Idea, IdeaComment, Theme, Vote
from feedback.services.notifications import notifications_send
from feedback.services.ranking_state import ranking_mark_dirty

S = Idea.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.UNDER_REVIEW, S.PLANNED, S.DECLINED}),
    S.UNDER_REVIEW: frozenset({S.PLANNED, S.DECLINED}),
    S.PLANNED: frozenset({S.SHIPPED, S.UNDER_REVIEW, S.DECLINED}),
    S.SHIPPED: frozenset(),
    S.DECLINED: frozenset({S.UNDER_REVIEW}),
}
EDITABLE_FIELDS = (
    "title",
    "body",
    "suggested_fix",
    "evidence_customer_ref",
    "evidence_frequency",
)


@dataclass(frozen=True)
class VoteState:
    votes: int
    voted: bool


def idea_transitions(*, idea: Idea) -> list[str]:
    """The statuses `idea` may move to next, in workflow order."""
    if idea.merged_into_id:
        return []
    allowed = TRANSITIONS[idea.status]
    return [s for s in S.values if s in allowed]


def idea_can_edit(*, idea: Idea, user) -> bool:
    """True when `user` may change the idea's text: its author, while it is new."""
    return idea.author_id == user.pk and idea.status == S.NEW


def _require_cx_lead(user) -> None:
    if not has_role(user, CX_LEAD):
        raise PermissionDenied("Only CX leads triage ideas.")


def _clean_text(fields: dict) -> dict:
    out = {}
    for name in EDITABLE_FIELDS:
        if name in fields:
            out[name] = (fields[name] or "").strip()
    errors = {}
    if "title" in out and not out["title"]:
        errors["title"] = "Give the idea a short title."
    if "body" in out and not out["body"]:
        errors["body"] = "Say what customers experience."
    if errors:
        raise ValidationError(errors)
    return out


def idea_url(idea: Idea) -> str:
    return reverse("idea-detail", args=[idea.pk])


@transaction.atomic
def idea_create(
    *,
    author,
    title: str,
    body: str,
    suggested_fix: str = "",
    evidence_customer_ref: str = "",
    evidence_frequency: str = "",
) -> Idea:
    """Store a new idea by `author` with status `new` and no votes."""
    fields = _clean_text(
        {
            "title": title,
            "body": body,
            "suggested_fix": suggested_fix,
            "evidence_customer_ref": evidence_customer_ref,
            "evidence_frequency": evidence_frequency,
        }
    )
    return Idea.objects.create(author=author, **fields)


@transaction.atomic
def idea_update(*, idea: Idea, user, **fields) -> Idea:
    """Change the text of `idea` (only EDITABLE_FIELDS); the author, while new.

    Raises PermissionDenied for anyone else or once triage has started; the
    status is re-read under a row lock so a concurrent triage wins.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.author_id != user.pk:
        raise PermissionDenied("Only the author may edit an idea.")
    if idea.status != S.NEW:
        raise PermissionDenied("Triage has started: the idea can no longer be edited.")
    changes = _clean_text(fields)
    for name, value in changes.items():
        setattr(idea, name, value)
    idea.version = F("version") + 1
    idea.save(update_fields=[*changes, "version", "updated_at"])
    idea.refresh_from_db()
    return idea


def _themes_feed_ranking(idea_id: int) -> bool:
    # Votes reach the ranking only through the idea's themes.
    return Idea.themes.through.objects.filter(idea_id=idea_id).exists()


def _vote_count(idea_id: int) -> int:
    return Idea.objects.filter(pk=idea_id).values_list("vote_count", flat=True).get()


def idea_vote(*, idea: Idea, user) -> VoteState:
    """Add `user`'s vote (idempotent: a second vote changes nothing).

    The count moves with an F() update in the same transaction as the Vote row;
    the unique (idea, user) constraint settles concurrent double clicks.
    """
    if idea.merged_into_id:
        raise ValidationError(
            {"idea": f"This idea was merged into #{idea.merged_into_id}; vote there."}
        )
    with transaction.atomic():
        _, created = Vote.objects.get_or_create(idea_id=idea.pk, user=user)
        if created:
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
            if _themes_feed_ranking(idea.pk):
                ranking_mark_dirty()
        return VoteState(votes=_vote_count(idea.pk), voted=True)


def idea_unvote(*, idea: Idea, user) -> VoteState:
    """Remove `user`'s vote if there is one (idempotent)."""
    with transaction.atomic():
        deleted, _ = Vote.objects.filter(idea_id=idea.pk, user=user).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk, vote_count__gt=0).update(
                vote_count=F("vote_count") - 1
            )
            if _themes_feed_ranking(idea.pk):
                ranking_mark_dirty()
        return VoteState(votes=_vote_count(idea.pk), voted=False)


def idea_vote_toggle(*, idea: Idea, user) -> VoteState:
    """Vote when `user` has not voted yet, otherwise take the vote back."""
    if Vote.objects.filter(idea_id=idea.pk, user=user).exists():
        return idea_unvote(idea=idea, user=user)
    return idea_vote(idea=idea, user=user)


@transaction.atomic
def idea_comment_create(*, idea: Idea, author, body: str) -> IdeaComment:
    """Add a comment by `author`; merged ideas take comments on their target."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if idea.merged_into_id:
        raise ValidationError(
            {"idea": f"Merged into #{idea.merged_into_id}; comment there."}
        )
    return IdeaComment.objects.create(idea=idea, author=author, body=body)


def _initiative_model():
    # The initiatives app sits downstream (it imports feedback), so reach its
    # model through the reverse relation instead of importing it.
    return Idea._meta.get_field("initiatives").related_model


def idea_initiative_choices():
    """All initiatives (id, title) for the triage form, by title."""
    return _initiative_model().objects.order_by("title").only("id", "title")


def _set_initiatives(idea: Idea, initiative_ids) -> None:
    ids = {int(pk) for pk in initiative_ids}
    found = list(_initiative_model().objects.filter(pk__in=ids))
    missing = ids - {i.pk for i in found}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise ValidationError({"initiatives": f"No such initiative: {listed}."})
    idea.initiatives.set(found)


def _set_themes(idea: Idea, theme_ids) -> bool:
    ids = {int(pk) for pk in theme_ids}
    found = list(Theme.objects.filter(pk__in=ids, is_active=True))
    missing = ids - {t.pk for t in found}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise ValidationError({"themes": f"No such active theme: {listed}."})
    before = set(idea.themes.values_list("pk", flat=True))
    idea.themes.set(found)
    return before != ids


def _bump(idea: Idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(version=F("version") + 1)
    idea.refresh_from_db()


@transaction.atomic
def idea_links_set(*, idea: Idea, user, theme_ids=None, initiative_ids=None) -> Idea:
    """Replace the idea's themes and/or initiatives (None leaves one alone).

    CX leads only. A theme change marks the ranking dirty when the idea has
    votes, because votes reach the ranking through the linked themes.
    """
    _require_cx_lead(user)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    changes = {}
    if theme_ids is not None:
        if _set_themes(idea, theme_ids) and idea.vote_count:
            ranking_mark_dirty()
        changes["themes"] = sorted(int(pk) for pk in theme_ids)
    if initiative_ids is not None:
        _set_initiatives(idea, initiative_ids)
        changes["initiatives"] = sorted(int(pk) for pk in initiative_ids)
    if changes:
        _bump(idea)
        audit_record(actor=user, action="idea.links", objects=idea, changes=changes)
    return idea


def _voters(idea: Idea) -> list:
    return list(
        get_user_model()
        .objects.filter(vote__idea=idea)
        .exclude(pk=idea.author_id)
        .order_by("pk")
    )


def _status_words(idea: Idea) -> str:
    if idea.status == S.DECLINED:
        return f"was declined. Reason: {idea.decline_reason}"
    if idea.status == S.SHIPPED:
        titles = ", ".join(i.title for i in idea.initiatives.order_by("title"))
        return f"has shipped, delivered by {titles}."
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


@transaction.atomic
def idea_status_set(
    *,
    idea: Idea,
    user,
    status: str,
    decline_reason: str = "",
    initiative_ids=None,
) -> Idea:
    """Move `idea` to `status` (see TRANSITIONS) and tell its author and voters.

    `decline_reason` is required for `declined` and shown to the author.
    `initiative_ids`, when given, replace the linked initiatives first, so one call
    can ship an idea with the initiative that delivered it.
    """
    _require_cx_lead(user)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    old = idea.status
    if status not in S.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status not in idea_transitions(idea=idea):
        merged = " (it was merged into another idea)" if idea.merged_into_id else ""
        raise ValidationError(
            {
                "status": f"An idea that is {S(old).label.lower()} cannot move to "
                f"{S(status).label.lower()}{merged}."
            }
        )
    reason = (decline_reason or "").strip()
    if status == S.DECLINED and not reason:
        raise ValidationError(
            {"decline_reason": "Say why it is declined; the author will read it."}
        )
    if initiative_ids is not None:
        _set_initiatives(idea, initiative_ids)
    if status == S.SHIPPED and not idea.initiatives.exists():
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
    words = _status_words(idea)
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
    themes and initiative links. The source becomes `declined`, "merged into
    #<target>", with no votes, and ideas merged into it earlier now point at the
    target. Its author and voters are told.
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
    target.initiatives.add(*source.initiatives.all())
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
    if _themes_feed_ranking(target.pk):
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
    return target
