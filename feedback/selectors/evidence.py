"""The evidence check: how many customers say a phrase, by meaning, not only
word for word (issue 20.6). The matching is `feedback.themes.meaning`; the
related words come from `feedback.services.evidence_words`.

Two ways to the same answer:
- with the stem index learned alongside the related words
  (`feedback.themes.evidence_index`): arrays score every item, and only the
  items that say every word are read again, for the exact phrase; items added
  since the index was learned are read and split on the fly;
- without it (not learned yet, or a cache outage): the database narrows the
  items, since every item that could match contains one of the phrase's or the
  related words' stems (less a final "i": the "y" of "community"), so one OR
  of ILIKEs gives a superset, and Python scores those items only.
"""

import heapq
from functools import reduce
from operator import or_
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.db.models import Q

from feedback.models import FeedbackItem
from feedback.services.evidence_words import (
    ITEM_FIELDS,
    corpus_version,
    evidence_words_get,
    items_split,
)
from feedback.themes.evidence_index import ItemIndex, extended, score_index
from feedback.themes.meaning import (
    STOP_WORDS,
    Query,
    QueryWord,
    Related,
    explain,
    match_texts,
    phrase_pattern,
    prefilter_pattern,
    query_words,
)
from feedback.themes.related_words import WordModel

ROW_FIELDS = ("id", "text", "polarity", "customer_id", "created")
RELATED_PER_WORD = 8
RELATED_CUT = 0.5
EXAMPLES = 20
ID_CHUNK = 900  # SQLite's default limit of variables is 999 on old builds


class Hit(NamedTuple):
    item_id: int
    kind: str
    score: float
    customer: int | None
    negative: bool
    created: object  # a datetime (database) or epoch seconds (index)

    @property
    def created_key(self) -> float:
        when = self.created
        return when if isinstance(when, float) else when.timestamp()


STATES = {
    "ready": "",
    "stale": " (learned from an earlier version of the feedback; a newer one is"
    " being learned)",
    "learning": "",
}


def _query(phrase: str, model: WordModel | None, exclude: set[str]) -> Query:
    said, pairs = query_words(phrase)
    own = {word_stem for _word, word_stem in pairs}
    words = []
    for word, word_stem in pairs:
        related = []
        for other, sim in (
            model.related(word_stem, top=RELATED_PER_WORD, cut=RELATED_CUT)
            if model
            else []
        ):
            term = model.term.get(other, other)
            if other in own or {other, term} & exclude:
                continue
            related.append(Related(stem=other, term=term, similarity=sim))
        words.append(QueryWord(word=word, stem=word_stem, related=tuple(related)))
    return Query(phrase=said, words=tuple(words))


def _patterns(query: Query) -> list[str]:
    found = {prefilter_pattern(s) for s in query.stems}
    found |= {w.word for w in query.words}
    # "forum" finds "forums" too: a pattern that holds a shorter one is redundant.
    return sorted(p for p in found if not any(o != p and o in p for o in found))


def _by_ids(sql: str, ids: list[int]) -> list[tuple]:
    """Rows of `sql` (its WHERE ends in "{ids}") for many item ids: one array
    parameter on PostgreSQL; chunks of placeholders elsewhere (SQLite).
    Building an ORM `__in` of 8,000 ids alone takes ~0.2 s."""
    if not ids:
        return []
    out: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(ids="= ANY(%s)"), [ids])
            return cursor.fetchall()
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(sql.format(ids=f"IN ({marks})"), chunk)
            out.extend(cursor.fetchall())
    return out


THEMES_SQL = (
    "SELECT a.item_id, t.id, t.name FROM feedback_themeassignment a"
    " JOIN feedback_theme t ON t.id = a.theme_id"
    " WHERE t.is_active AND a.item_id {ids}"
)
TEXTS_SQL = "SELECT id, text FROM feedback_feedbackitem WHERE id {ids}"


def _themes(ids: list[int]) -> list[dict]:
    counted: dict[int, dict] = {}
    for item_id, theme_id, name in _by_ids(THEMES_SQL, ids):
        entry = counted.setdefault(theme_id, {"name": name, "items": set()})
        entry["items"].add(item_id)
    themes = sorted(
        counted.items(), key=lambda kv: (-len(kv[1]["items"]), kv[1]["name"])
    )
    return [
        {"theme_id": theme_id, "theme": entry["name"], "items": len(entry["items"])}
        for theme_id, entry in themes[:10]
    ]


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


def _from_database(query: Query, n_items: int):
    """Without an index: one OR of ILIKEs narrows the items, Python scores them."""
    rows = []
    if query.words:
        ilike = reduce(or_, (Q(text__icontains=p) for p in _patterns(query)))
        rows = list(
            FeedbackItem.objects.filter(ilike)
            .order_by("-created", "-id")
            .values_list(*ROW_FIELDS)
        )
    found, unsaid = match_texts(query, [r[1] for r in rows], n_docs=n_items)
    hits = [
        Hit(r[0], m.kind, m.score, r[3], r[2] == "negative", r[4])
        for m in found
        for r in (rows[m.index],)
    ]
    return hits, unsaid


def _newer(index: ItemIndex, query: Query) -> ItemIndex:
    """The index with the items added since it was learned."""
    rows = list(
        FeedbackItem.objects.filter(id__gt=index.max_id)
        .order_by("id")
        .values_list(*ITEM_FIELDS)
    )
    if not rows:
        return index
    meta, docs, _spelled = items_split(rows)
    return extended(index, meta, docs)


def _exact_ids(query: Query, ids) -> set[int]:
    """Of these items (each says every word), those that say the phrase."""
    pattern = phrase_pattern(query)
    rows = _by_ids(TEXTS_SQL, [int(i) for i in ids])
    return {item_id for item_id, text in rows if pattern.search(text)}


def _from_index(query: Query, index: ItemIndex):
    """With the index: arrays score every item; texts are read only to tell
    the exact phrase and for the examples."""
    index = _newer(index, query)
    scored = score_index(index, query)
    ids = index.ids[scored.positions]
    exact = _exact_ids(query, ids[scored.whole]) if scored.whole.any() else set()
    is_exact = np.isin(ids, list(exact)) if exact else np.zeros(len(ids), bool)
    scores = np.where(is_exact, 1.0, scored.scores)
    created = index.created[scored.positions]
    order = np.lexsort((-ids, -created, -scores))
    kind = np.where(is_exact, "exact", np.where(scored.related, "related", "stem"))
    customer = index.customer[scored.positions][order].tolist()
    hits = [
        Hit(item_id, how, score, who if who >= 0 else None, negative, when)
        for item_id, how, score, who, negative, when in zip(
            ids[order].tolist(),
            kind[order].tolist(),
            scores[order].tolist(),
            customer,
            index.negative[scored.positions][order].tolist(),
            created[order].tolist(),
            strict=True,
        )
    ]
    return hits, scored.unsaid


def _shown(query: Query, hits, n: int, *, with_match: bool) -> list[dict]:
    rows = FeedbackItem.objects.in_bulk([h.item_id for h in hits[:n]])
    out = []
    for hit in hits[:n]:
        item = rows.get(hit.item_id)
        if item is None:  # deleted since the index was learned
            continue
        row = {
            "text": item.text,
            "channel": item.channel,
            "date": item.created.date().isoformat(),
            "polarity": item.polarity,
        }
        if with_match:
            row = {"item_id": item.pk, **row, "match": hit.kind, "score": hit.score}
            row["said"] = explain(query, item.text)
        out.append(row)
    return out


def evidence_search(
    *, phrase: str, exclude: set[str] | frozenset[str] = frozenset(), quotes: int = 3
) -> dict:
    """How many customers and items say a phrase (or its stems, or related
    words), how sure each match is, the matched items and recent quotes."""
    phrase = phrase.strip()
    model, state = evidence_words_get(version=corpus_version())
    exclude = {e.strip().lower() for e in exclude if e.strip()}
    query = _query(phrase, model, exclude)
    # The index holds content words only; a phrase of stop words ("how about
    # it") is looked for in the texts.
    indexed = query.words and all(
        len(w.word) > 1 and w.word not in STOP_WORDS for w in query.words
    )
    if model is not None and model.index is not None and indexed:
        hits, unsaid = _from_index(query, model.index)
    else:
        hits, unsaid = _from_database(query, FeedbackItem.objects.count())
    customers = {h.customer for h in hits if h.customer is not None}
    anonymous = sum(1 for h in hits if h.customer is None)
    kinds = {"exact": 0, "stem": 0, "related": 0}
    for hit in hits:
        kinds[hit.kind] += 1
    recent = heapq.nlargest(quotes, hits, key=lambda h: (h.created_key, h.item_id))
    return {
        "q": phrase,
        "items": len(hits),
        "customers": len(customers) + anonymous,
        "negative_items": sum(1 for h in hits if h.negative),
        "themes": _themes([h.item_id for h in hits]),
        "quotes": _shown(query, recent, quotes, with_match=False),
        "matches": kinds,
        "examples": _shown(query, hits, EXAMPLES, with_match=True),
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
