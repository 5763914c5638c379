"""The evidence check's related words and stem index: learned from the
feedback in the background, kept in the cache, one per version of the feedback.

Learning reads every item once (~4 s at 100k items on two cores,
docs/PERFORMANCE.md), too long for a request: the search asks for it
(`evidence_words_get`) and meanwhile answers with the model of an earlier
version ("stale": items added since are read from the database) or with stems
only from the database ("learning"). With eager Celery (tests, and `make run`
off) the ask learns at once, inside the asking request. Each process keeps the
model it last read, so a search reads only its version from the cache.
"""

import logging
import time
from contextlib import suppress

from django.core.cache import cache

from cxplan.core.queue import send_debounced
from feedback.models import FeedbackItem
from feedback.services.ranking_state import ranking_state_get
from feedback.themes.evidence_index import build_index
from feedback.themes.related_words import WordModel, documents, learn_from_documents

logger = logging.getLogger(__name__)

WORDS_KEY = "cxplan:evidence:words"
VERSION_KEY = "cxplan:evidence:words:version"
QUEUED_KEY = "cxplan:evidence:words:queued"
KEEP_SECONDS = 7 * 24 * 3600
HOLD_SECONDS = 600  # one learning at a time, unless a worker died mid-way
ITEM_FIELDS = ("id", "text", "created", "customer_id", "polarity")
_memo: dict = {}  # this process's last model: {"version", "model"}


def corpus_version() -> str:
    """A version of the feedback: the ranking's inputs version (writers bump
    it), the highest item id and that item's last change, by two index reads."""
    newest = FeedbackItem.objects.order_by("-id").values_list("id", "updated_at")
    top, changed = newest.first() or (0, None)
    stamp = changed.timestamp() if changed else 0
    return f"{ranking_state_get().inputs_version}.{top}.{stamp:.6f}"


def _cached() -> WordModel | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            return None
        if _memo.get("version") == version:
            return _memo["model"]
        model = cache.get(WORDS_KEY)
    except Exception:  # a cache outage: stems only
        return None
    if not isinstance(model, WordModel) or model.version != version:
        return None
    _memo.update(version=version, model=model)
    return model


def items_split(rows) -> tuple[list[tuple], list[set[str]], object]:
    """(id, created, customer, negative) of each row, its stems, and the
    spellings, from rows of ITEM_FIELDS."""
    meta = []

    def texts():
        for item_id, text, created, customer_id, polarity in rows:
            meta.append(
                (item_id, created.timestamp(), customer_id, polarity == "negative")
            )
            yield text

    docs, spelled = documents(texts())
    return meta, docs, spelled


def evidence_words_learn() -> dict:
    """Learn the related words and the stem index of the current feedback."""
    with suppress(Exception):
        cache.delete(QUEUED_KEY)
    started = time.monotonic()
    version = corpus_version()
    current = _cached()
    if current is not None and current.version == version:
        return {"status": "fresh", "version": version}
    rows = (
        FeedbackItem.objects.order_by("id")
        .values_list(*ITEM_FIELDS)
        .iterator(chunk_size=5000)
    )
    meta, docs, spelled = items_split(rows)
    model = learn_from_documents(docs, spelled, version=version)
    model.index = build_index(meta, docs)
    try:
        cache.set(WORDS_KEY, model, KEEP_SECONDS)
        cache.set(VERSION_KEY, version, KEEP_SECONDS)
    except Exception as exc:
        logger.warning("evidence words learned but not kept (%s)", exc)
    return {
        "status": "learned",
        "version": version,
        "items": model.n_docs,
        "stems": len(model.df),
        "seconds": round(time.monotonic() - started, 3),
    }


def evidence_words_forget() -> None:
    """Drop the learned words (the next search asks for them again)."""
    _memo.clear()
    with suppress(Exception):
        cache.delete_many([WORDS_KEY, VERSION_KEY])


def _request_learning() -> None:
    from feedback.tasks import learn_evidence_words

    send_debounced(
        learn_evidence_words, key=QUEUED_KEY, countdown=None, hold=HOLD_SECONDS
    )


def evidence_words_get(*, version: str) -> tuple[WordModel | None, str]:
    """The related-words model and its state: "ready" (learned from this
    version), "stale" (an earlier one; a new one is asked for) or "learning"
    (none yet; asked for)."""
    model = _cached()
    if model is not None and model.version == version:
        return model, "ready"
    try:
        _request_learning()
    except Exception:  # eager Celery re-raises: answer with stems, log it
        logger.exception("learning the evidence words failed")
    fresh = _cached()  # eager Celery has learned it by now
    if fresh is not None and fresh.version == version:
        return fresh, "ready"
    if fresh is not None or model is not None:
        return fresh or model, "stale"
    return None, "learning"
