"""Theme management: create, edit, merge, archive, and discovery suggestions.

Every change that can move an item between themes marks the ranking dirty in the
same transaction. Keyword changes re-apply the keyword rules to every item.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from feedback.models import FeedbackItem, Idea, Polarity, Theme, ThemeAssignment
from feedback.models import ThemeSuggestion as Suggestion
from feedback.services.labels import labels_set
from feedback.services.ranking_state import ranking_mark_dirty
from feedback.services.theme_model import theme_training_schedule
from feedback.services.themes import assignments_apply_rules
from feedback.themes import discovery

M = ThemeAssignment.Method
# Strength of an assignment when two meet on the same item during a merge.
METHOD_RANK = {M.MANUAL: 3, M.RULE: 2, M.MODEL: 1}
MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 100
DISCOVERY_MAX_ITEMS = 50_000


def keywords_clean(keywords: Sequence[str] | str | None) -> list[str]:
    """Keyword phrases stripped, de-duplicated case-insensitively, blanks dropped.

    Accepts a list or one string with a phrase per line or comma-separated.
    """
    if keywords is None:
        return []
    if isinstance(keywords, str):
        keywords = keywords.replace("\n", ",").split(",")
    out: list[str] = []
    seen: set[str] = set()
    for phrase in keywords:
        if not isinstance(phrase, str):
            raise ValidationError({"keywords": "Keywords must be text."})
        phrase = " ".join(phrase.split())
        if not phrase or phrase.casefold() in seen:
            continue
        if len(phrase) > MAX_KEYWORD_CHARS:
            raise ValidationError(
                {"keywords": f"Keep each keyword under {MAX_KEYWORD_CHARS} characters."}
            )
        seen.add(phrase.casefold())
        out.append(phrase)
    if len(out) > MAX_KEYWORDS:
        raise ValidationError({"keywords": f"Use at most {MAX_KEYWORDS} keywords."})
    return out


def _clean_name(name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the theme a name."})
    if len(name) > 120:
        raise ValidationError({"name": "Keep the name under 120 characters."})
    clash = Theme.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"A theme named {name!r} already exists."})
    return name


@transaction.atomic
def theme_create(
    *, name: str, description: str = "", keywords: Sequence[str] | str | None = None
) -> Theme:
    """Create an active theme; its keyword rules are applied to every item."""
    name = _clean_name(name)
    keywords = keywords_clean(keywords)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                name=name, description=(description or "").strip(), keywords=keywords
            )
    except IntegrityError as exc:  # a concurrent create with the same name
        raise ValidationError(
            {"name": f"A theme named {name!r} already exists."}
        ) from exc
    if keywords:
        assignments_apply_rules()
    ranking_mark_dirty()
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    name: str | None = None,
    description: str | None = None,
    keywords: Sequence[str] | str | None = None,
) -> Theme:
    """Change a theme's name, description and/or keywords (None leaves one alone).

    New keywords re-apply the rules to every item. Archived or merged themes
    cannot be edited. The version is bumped.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if not theme.is_active:
        raise ValidationError({"theme": "An archived theme cannot be edited."})
    changed: list[str] = []
    if name is not None:
        clean = _clean_name(name, exclude_pk=theme.pk)
        if clean != theme.name:
            theme.name = clean
            changed.append("name")
    if description is not None and description.strip() != theme.description:
        theme.description = description.strip()
        changed.append("description")
    keywords_changed = False
    if keywords is not None:
        clean_kw = keywords_clean(keywords)
        if clean_kw != list(theme.keywords or []):
            theme.keywords = clean_kw
            changed.append("keywords")
            keywords_changed = True
    if not changed:
        return theme
    theme.version = F("version") + 1
    theme.save(update_fields=[*changed, "version", "updated_at"])
    theme.refresh_from_db()
    if keywords_changed:
        assignments_apply_rules()
    ranking_mark_dirty()
    return theme


def _stronger(a: tuple[str, float], b: tuple[str, float]) -> bool:
    """True when assignment a (method, confidence) outranks b."""
    return (METHOD_RANK[a[0]], a[1]) > (METHOD_RANK[b[0]], b[1])


@transaction.atomic
def theme_merge(*, source: Theme, target: Theme) -> Theme:
    """Merge `source` into `target`; returns the target.

    Every assignment of the source moves to the target; where both themes were
    on the same item the stronger one stays (manual > rule > model, then the
    higher confidence). The target gains the source's keywords and idea links;
    the source is archived with `merged_into` pointing at the target.
    """
    if source.pk == target.pk:
        raise ValidationError({"target": "A theme cannot be merged into itself."})
    locked = {
        t.pk: t
        for t in Theme.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if not source.is_active or not target.is_active:
        raise ValidationError({"target": "Only active themes can be merged."})
    on_target = {
        item_id: (method, confidence, pk)
        for pk, item_id, method, confidence in ThemeAssignment.objects.filter(
            theme=target
        ).values_list("pk", "item_id", "method", "confidence")
    }
    move, drop, upgrade = [], [], []
    for pk, item_id, method, confidence, by in ThemeAssignment.objects.filter(
        theme=source
    ).values_list("pk", "item_id", "method", "confidence", "assigned_by"):
        there = on_target.get(item_id)
        if there is None:
            move.append(pk)
        else:
            if _stronger((method, confidence), there[:2]):
                upgrade.append((there[2], method, confidence, by))
            drop.append(pk)
    ThemeAssignment.objects.filter(pk__in=drop).delete()
    ThemeAssignment.objects.filter(pk__in=move).update(theme=target)
    for pk, method, confidence, by in upgrade:
        ThemeAssignment.objects.filter(pk=pk).update(
            method=method, confidence=confidence, assigned_by=by
        )
    target.keywords = keywords_clean(
        [*(target.keywords or []), *(source.keywords or [])]
    )
    target.version = F("version") + 1
    target.save(update_fields=["keywords", "version", "updated_at"])
    for idea in Idea.objects.filter(themes=source):
        idea.themes.add(target)
        idea.themes.remove(source)
    source.is_active = False
    source.merged_into = target
    source.version = F("version") + 1
    source.save(update_fields=["is_active", "merged_into", "version", "updated_at"])
    ranking_mark_dirty()
    theme_training_schedule()
    target.refresh_from_db()
    return target


@transaction.atomic
def theme_archive(*, theme: Theme) -> Theme:
    """Archive a theme: it leaves the ranking, the rules and the model.

    Its manual labels are kept (the history of what was said); its rule and
    model assignments are removed, since nothing maintains them any more.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if not theme.is_active:
        return theme
    ThemeAssignment.objects.filter(theme=theme).exclude(method=M.MANUAL).delete()
    theme.is_active = False
    theme.version = F("version") + 1
    theme.save(update_fields=["is_active", "version", "updated_at"])
    theme.refresh_from_db()
    ranking_mark_dirty()
    theme_training_schedule()
    return theme


@transaction.atomic
def theme_restore(*, theme: Theme) -> Theme:
    """Bring an archived (not merged) theme back; its rules apply again."""
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.is_active:
        return theme
    if theme.merged_into_id:
        raise ValidationError({"theme": "A merged theme cannot be restored."})
    _clean_name(theme.name, exclude_pk=theme.pk)
    theme.is_active = True
    theme.version = F("version") + 1
    theme.save(update_fields=["is_active", "version", "updated_at"])
    theme.refresh_from_db()
    if theme.keywords:
        assignments_apply_rules()
    ranking_mark_dirty()
    theme_training_schedule()
    return theme


def uncovered_negative_items(*, limit: int = DISCOVERY_MAX_ITEMS) -> list[tuple]:
    """(id, text) of the newest negative items no active theme covers."""
    covered = ThemeAssignment.objects.filter(theme__is_active=True).values("item_id")
    return list(
        FeedbackItem.objects.filter(polarity=Polarity.NEGATIVE)
        .exclude(pk__in=covered)
        .order_by("-created", "-pk")
        .values_list("pk", "text")[:limit]
    )


@transaction.atomic
def theme_discovery_run(*, k: int = 5, seed: int = 0) -> list[Suggestion]:
    """Propose up to k candidate themes from negative items no theme covers.

    Open suggestions from an earlier run are replaced. Returns the new ones,
    largest first, each with its top terms, size and three example item ids.
    """
    if not 1 <= k <= 30:
        raise ValidationError({"k": "Ask for between 1 and 30 candidate themes."})
    rows = uncovered_negative_items()
    candidates = discovery.discover([text for _, text in rows], k=k, seed=seed)
    Suggestion.objects.filter(status=Suggestion.Status.OPEN).delete()
    return Suggestion.objects.bulk_create(
        [
            Suggestion(
                name=cand.suggested_name[:120],
                terms=cand.terms,
                size=cand.size,
                example_ids=[rows[i][0] for i in cand.example_indices],
            )
            for cand in candidates
        ]
    )


def _open(suggestion: Suggestion) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.OPEN:
        raise ValidationError(
            {"suggestion": f"This suggestion is {suggestion.status}."}
        )
    return suggestion


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    user,
    name: str | None = None,
    keywords: Sequence[str] | str | None = None,
) -> Theme:
    """Turn a suggestion into a theme with keywords, and label its examples.

    The name defaults to the suggested one, the keywords to its top four terms.
    The example items still present get the new theme as a manual label (added
    to any they had). Returns the theme.
    """
    suggestion = _open(suggestion)
    theme = theme_create(
        name=name or suggestion.name,
        keywords=suggestion.terms[:4] if keywords is None else keywords,
    )
    examples = list(
        FeedbackItem.objects.filter(pk__in=suggestion.example_ids).values_list(
            "pk", flat=True
        )
    )
    if examples:
        labels_set(item_ids=examples, theme_ids=[theme.pk], user=user, mode="add")
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status"])
    return theme


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion) -> Suggestion:
    """Dismiss an open suggestion."""
    suggestion = _open(suggestion)
    suggestion.status = Suggestion.Status.DISMISSED
    suggestion.save(update_fields=["status"])
    return suggestion
