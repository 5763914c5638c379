"""Theme assignment writes. Precedence: manual labels > keyword rules > the model.

The rules and the model read only items in the theme model's language, or
whose language could not be told (`feedback.services.languages`).
"""

from collections.abc import Iterable, Mapping, Sequence

from django.db import connection, transaction

from feedback.models import FeedbackItem, Theme, ThemeAssignment
from feedback.services.languages import themable_languages
from feedback.themes import rules as theme_rules

CHUNK = 5000
# PostgreSQL path: ids travel as arrays, so larger chunks cost no more round trips.
PG_CHUNK = 50_000
RULE_CONFIDENCE = 0.9


def active_rules() -> theme_rules.Rules | None:
    """Compiled keyword rules of the active themes (None when no theme has any)."""
    keywords = {
        pk: kws
        for pk, kws in Theme.objects.filter(is_active=True).values_list(
            "pk", "keywords"
        )
        if kws
    }
    return theme_rules.compile_rules(keywords) if keywords else None


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def item_texts(item_ids: Sequence[int]) -> dict[int, str]:
    """{item id: text} of the given items that the rules and the model read:
    missing ids, and items in another language than theirs, are left out."""
    languages = themable_languages()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, text FROM feedback_feedbackitem "
                "WHERE id = ANY(%s::bigint[]) AND language = ANY(%s::text[])",
                [list(item_ids), languages],
            )
            return dict(cursor.fetchall())
    texts: dict[int, str] = {}
    for chunk in _chunks(list(item_ids)):
        texts.update(
            FeedbackItem.objects.filter(
                pk__in=chunk, language__in=languages
            ).values_list("pk", "text")
        )
    return texts


def _match_distinct(rules: theme_rules.Rules, texts: Sequence[str]) -> list[list[int]]:
    """`match_many`, with each distinct text matched once (feedback repeats)."""
    memo: dict[str, list[int]] = dict.fromkeys(texts)  # type: ignore[arg-type]
    distinct = list(memo)
    for text, found in zip(
        distinct, theme_rules.match_many(rules, distinct), strict=True
    ):
        memo[text] = found
    return [memo[text] for text in texts]


@transaction.atomic
def assignments_apply_rules(
    *,
    item_ids: Sequence[int] | None = None,
    new_items: Mapping[int, str] | None = None,
) -> int:
    """(Re)apply keyword rules to the given items (all items when None).

    Items with a manual label keep exactly their manual themes. Returns the number
    of rule assignments written. `new_items` ({id: text}, a subset of `item_ids`)
    names items created in the current transaction: nothing can point at them
    yet, so on PostgreSQL the manual check, the delete and the text read are
    skipped for them (the import's fast path).
    """
    rules = active_rules()
    if item_ids is None:
        item_ids = list(FeedbackItem.objects.values_list("pk", flat=True))
    item_ids = list(item_ids)
    if connection.vendor == "postgresql":
        return _apply_rules_postgres(rules, item_ids, new_items or {})
    written = 0
    for chunk in _chunks(item_ids):
        manual = set(
            ThemeAssignment.objects.filter(
                item_id__in=chunk, method=ThemeAssignment.Method.MANUAL
            ).values_list("item_id", flat=True)
        )
        free = [pk for pk in chunk if pk not in manual]
        ThemeAssignment.objects.filter(
            item_id__in=free, method=ThemeAssignment.Method.RULE
        ).delete()
        if rules is None or not free:
            continue
        texts = item_texts(free)
        order = list(texts)
        matches = _match_distinct(rules, [texts[pk] for pk in order])
        new = [
            ThemeAssignment(
                item_id=pk,
                theme_id=theme_id,
                method=ThemeAssignment.Method.RULE,
                confidence=RULE_CONFIDENCE,
            )
            for pk, theme_ids in zip(order, matches, strict=True)
            for theme_id in theme_ids
        ]
        # A rule outranks a model guess on the same (item, theme).
        ThemeAssignment.objects.bulk_create(
            new,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["item", "theme"],
            update_fields=["method", "confidence"],
        )
        written += len(new)
    return written


# Same steps as the ORM path, as set-based SQL with the ids passed as arrays
# (no model instances, no IN lists of 5,000 parameters).
_FREE_TEXTS = """
SELECT i.id, i.text, i.language FROM feedback_feedbackitem i
WHERE i.id = ANY(%(ids)s::bigint[])
  AND NOT EXISTS (SELECT 1 FROM feedback_themeassignment m
                  WHERE m.item_id = i.id AND m.method = 'manual')
"""
_DELETE_METHOD = """
DELETE FROM feedback_themeassignment
WHERE item_id = ANY(%(ids)s::bigint[]) AND method = %(method)s
"""
_INSERT_RULES = """
INSERT INTO feedback_themeassignment (item_id, theme_id, method, confidence,
                                      created_at)
SELECT item_id, theme_id, 'rule', %(confidence)s, now()
FROM unnest(%(items)s::bigint[], %(themes)s::bigint[]) AS s (item_id, theme_id)
ON CONFLICT (item_id, theme_id) DO UPDATE SET
    method = EXCLUDED.method, confidence = EXCLUDED.confidence
"""


def _apply_rules_postgres(
    rules: theme_rules.Rules | None,
    item_ids: list[int],
    new_items: Mapping[int, str],
) -> int:
    written = 0
    known = [pk for pk in item_ids if pk not in new_items] if new_items else item_ids
    themable = set(themable_languages())
    with connection.cursor() as cursor:
        batches: list[list[tuple[int, str]]] = []
        for chunk in _chunks(known, PG_CHUNK):
            cursor.execute(_FREE_TEXTS, {"ids": list(chunk)})
            rows = cursor.fetchall()
            if rows:
                cursor.execute(
                    _DELETE_METHOD,
                    {"ids": [pk for pk, _, _ in rows], "method": "rule"},
                )
                batches.append([(pk, t) for pk, t, lang in rows if lang in themable])
        if rules is None:
            return 0
        fresh = list(new_items.items())
        batches.extend(fresh[i : i + PG_CHUNK] for i in range(0, len(fresh), PG_CHUNK))
        for rows in batches:
            matches = _match_distinct(rules, [text for _, text in rows])
            items: list[int] = []
            themes: list[int] = []
            for (pk, _), theme_ids in zip(rows, matches, strict=True):
                for theme_id in theme_ids:
                    items.append(pk)
                    themes.append(theme_id)
            if not items:
                continue
            cursor.execute(
                _INSERT_RULES,
                {"items": items, "themes": themes, "confidence": RULE_CONFIDENCE},
            )
            written += len(items)
    return written


_INSERT_MODEL = """
INSERT INTO feedback_themeassignment (item_id, theme_id, method, confidence,
                                      created_at)
SELECT item_id, theme_id, 'model', confidence, now()
FROM unnest(%(items)s::bigint[], %(themes)s::bigint[], %(confidences)s::float8[])
     AS s (item_id, theme_id, confidence)
ON CONFLICT (item_id, theme_id) DO NOTHING
"""


@transaction.atomic
def model_assignments_replace(
    *, item_ids: Sequence[int], predicted: Sequence[tuple[int, int, float]]
) -> int:
    """Replace the `model` assignments of `item_ids` by `predicted`.

    `predicted` holds (item id, theme id, confidence) triples for those items.
    A manual or rule assignment already on the same (item, theme) wins: the
    model's guess is then dropped. Returns the number of triples offered.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_DELETE_METHOD, {"ids": list(item_ids), "method": "model"})
            if predicted:
                items, themes, confidences = (
                    list(col) for col in zip(*predicted, strict=True)
                )
                cursor.execute(
                    _INSERT_MODEL,
                    {"items": items, "themes": themes, "confidences": confidences},
                )
        return len(predicted)
    for chunk in _chunks(list(item_ids)):
        ThemeAssignment.objects.filter(
            item_id__in=chunk, method=ThemeAssignment.Method.MODEL
        ).delete()
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(
                item_id=item_id,
                theme_id=theme_id,
                method=ThemeAssignment.Method.MODEL,
                confidence=confidence,
            )
            for item_id, theme_id, confidence in predicted
        ],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    return len(predicted)
