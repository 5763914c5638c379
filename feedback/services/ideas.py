"""Advisor ideas: submit, edit, vote and comment (the triage is in idea_triage).

Rules (CXPlan issue 6): every member submits, votes (once per person) and
comments. Authors edit their own idea while it is `new`; once triage has started
it is frozen.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from feedback.models import Idea, IdeaComment, Vote
from feedback.services.ranking_state import ranking_mark_dirty

S = Idea.Status
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


def idea_can_edit(*, idea: Idea, user) -> bool:
    """True when `user` may change the idea's text: its author, while it is new."""
    return idea.author_id == user.pk and idea.status == S.NEW


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


def idea_feeds_ranking(*, idea_id: int) -> bool:
    """True when the idea's votes count in the ranking: it has a theme."""
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
            if idea_feeds_ranking(idea_id=idea.pk):
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
            if idea_feeds_ranking(idea_id=idea.pk):
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
