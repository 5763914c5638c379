"""The evidence check: how many customers say a phrase, by meaning, not only
word for word (issue 20.6). The matching is `feedback.themes.meaning`; the
related words come from `feedback.services.evidence_words`.

The database narrows the items first: every item that could match contains
one of the phrase's or the related words' stems (less a final "i": the
"y" of "community"), so one OR of ILIKEs gives a superset; the stems and scores
are then worked out in Python on those items only.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from feedback.models import FeedbackItem, ThemeAssignment
from feedback.services.evidence_words import corpus_version, evidence_words_get
from feedback.themes.meaning import (
    Query,
    QueryWord,
    Related,
    match_texts,
    prefilter_pattern,
    query_words,
)
from feedback.themes.related_words import WordModel

RELATED_PER_WORD = 5
RELATED_CUT = 0.5
EXAMPLES = 20
THEME_CHUNK = 5000
STATES = {
    "ready": "",
    "stale": " (learned from an earlier version of the feedback; a newer one is"
    " being learned)",
    "learning": "",
}


def _query(phrase: str, model: WordModel | None, exclude: set[str]) -> Query:
    said, pairs = query_words(phrase)
    own = {word_stem for _word, word_stem in pairs}
    taken: set[str] = set()
    words = []
    for word, word_stem in pairs:
        related = []
        for other, sim in (
            model.related(word_stem, top=RELATED_PER_WORD, cut=RELATED_CUT)
            if model
            else []
        ):
            term = model.term.get(other, other)
            if other in own or other in taken or {other, term} & exclude:
                continue
            taken.add(other)
            related.append(Related(stem=other, term=term, similarity=sim))
        words.append(QueryWord(word=word, stem=word_stem, related=tuple(related)))
    return Query(phrase=said, words=tuple(words))


def _patterns(query: Query) -> list[str]:
    found = {prefilter_pattern(s) for s in query.stems}
    found |= {w.word for w in query.words}
    # "forum" finds "forums" too: a pattern that holds a shorter one is redundant.
    return sorted(p for p in found if not any(o != p and o in p for o in found))


def _themes(ids: list[int]) -> list[dict]:
    counted: dict[int, dict] = {}
    for start in range(0, len(ids), THEME_CHUNK):
        rows = ThemeAssignment.objects.filter(
            item_id__in=ids[start : start + THEME_CHUNK], theme__is_active=True
        ).values_list("item_id", "theme_id", "theme__name")
        for item_id, theme_id, name in rows:
            entry = counted.setdefault(theme_id, {"name": name, "items": set()})
            entry["items"].add(item_id)
    themes = sorted(
        counted.items(), key=lambda kv: (-len(kv[1]["items"]), kv[1]["name"])
    )
    return [
        {"theme_id": theme_id, "theme": entry["name"], "items": len(entry["items"])}
        for theme_id, entry in themes[:10]
    ]


def _row(item, match=None) -> dict:
    item_id, text, _customer, polarity, created, channel = item
    row = {
        "item_id": item_id,
        "text": text,
        "channel": channel,
        "date": created.date().isoformat(),
        "polarity": polarity,
    }
    if match is not None:
        row.update(match=match.kind, score=match.score, said=match.said)
    return row


def _method(query: Query, state: str, model, unsaid: list[str]) -> str:
    related = sum(len(w.related) for w in query.words)
    if model is None:
        how = (
            "Matched by stems only: the related words are being learned from the"
            " feedback; ask again in a minute."
        )
    else:
        how = (
            f"Matched by stems (Snowball) and {related} related word"
            f"{'s' if related != 1 else ''} learned from {model.n_docs:,} items"
            f" (items that use them together: PPMI, SVD, cosine similarity"
            f" >= {RELATED_CUT}){STATES[state]}."
        )
    if unsaid:
        how += f" No item says {', '.join(repr(w) for w in unsaid)}, in any form."
    return how + " An item matches when it says at least half of the phrase's weight."


def evidence_search(
    *, phrase: str, exclude: set[str] | frozenset[str] = frozenset(), quotes: int = 3
) -> dict:
    """How many customers and items say a phrase (or its stems, or related
    words), how sure each match is, the matched items and recent quotes."""
    phrase = phrase.strip()
    version, n_items = corpus_version()
    model, state = evidence_words_get(version=version)
    exclude = {e.strip().lower() for e in exclude if e.strip()}
    query = _query(phrase, model, exclude)
    rows = []
    if query.words:
        ilike = reduce(or_, (Q(text__icontains=p) for p in _patterns(query)))
        rows = list(
            FeedbackItem.objects.filter(ilike)
            .order_by("-created", "-id")
            .values_list("id", "text", "customer_id", "polarity", "created", "channel")
        )
    found, unsaid = match_texts(query, [r[1] for r in rows], n_docs=n_items)
    matched = [rows[m.index] for m in found]
    customers = {r[2] for r in matched if r[2] is not None}
    anonymous = sum(1 for r in matched if r[2] is None)
    recent = sorted(found, key=lambda m: m.index)[:quotes]
    kinds = {"exact": 0, "stem": 0, "related": 0}
    for m in found:
        kinds[m.kind] += 1
    return {
        "q": phrase,
        "items": len(found),
        "customers": len(customers) + anonymous,
        "negative_items": sum(1 for r in matched if r[3] == "negative"),
        "themes": _themes([r[0] for r in matched]),
        "quotes": [
            {k: v for k, v in _row(rows[m.index]).items() if k != "item_id"}
            for m in recent
        ],
        "matches": kinds,
        "examples": [_row(rows[m.index], m) for m in found[:EXAMPLES]],
        "related_terms": [
            {"term": r.term, "stem": r.stem, "similarity": r.similarity, "for": w.word}
            for w in query.words
            for r in w.related
        ],
        "excluded": sorted(exclude),
        "unmatched_terms": unsaid,
        "words": {"state": state, "version": model.version if model else None},
        "method": _method(query, state, model, unsaid),
    }
