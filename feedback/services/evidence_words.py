"""The evidence check's related words: learned from the feedback in the
background, kept in the cache, one model per version of the feedback.

Learning reads up to LEARN_ITEMS of the newest items and takes ~3 s at 100k
items on two cores (docs/PERFORMANCE.md), too long for a request: the search
asks for it (`evidence_words_get`) and meanwhile answers with the model of an
earlier version ("stale") or with stems only ("learning"). With eager Celery
(tests, `make run` off) the ask learns at once, inside the asking request.
"""

import logging
import time
from contextlib import suppress

from django.core.cache import cache
from django.db.models import Count, Max

from cxplan.core.queue import send_debounced
from feedback.models import FeedbackItem
from feedback.themes.related_words import WordModel, learn_related_words

logger = logging.getLogger(__name__)

WORDS_KEY = "cxplan:evidence:words"
QUEUED_KEY = "cxplan:evidence:words:queued"
KEEP_SECONDS = 7 * 24 * 3600
HOLD_SECONDS = 600  # one learning at a time, unless a worker died mid-way
LEARN_ITEMS = 50_000


def corpus_version() -> tuple[str, int]:
    """A version of the feedback's texts (count, highest id, last change) and
    the item count, in one query."""
    row = FeedbackItem.objects.aggregate(
        n=Count("id"), top=Max("id"), changed=Max("updated_at")
    )
    changed = row["changed"].timestamp() if row["changed"] else 0
    return f"{row['n']}.{row['top'] or 0}.{changed:.6f}", row["n"]


def _cached() -> WordModel | None:
    try:
        model = cache.get(WORDS_KEY)
    except Exception:  # a cache outage: stems only
        return None
    return model if isinstance(model, WordModel) else None


def evidence_words_learn() -> dict:
    """Learn the related words of the current feedback and keep them."""
    with suppress(Exception):
        cache.delete(QUEUED_KEY)
    started = time.monotonic()
    version, _n = corpus_version()
    current = _cached()
    if current is not None and current.version == version:
        return {"status": "fresh", "version": version}
    texts = (
        FeedbackItem.objects.order_by("-created", "-id")
        .values_list("text", flat=True)[:LEARN_ITEMS]
        .iterator(chunk_size=5000)
    )
    model = learn_related_words(texts, version=version)
    try:
        cache.set(WORDS_KEY, model, KEEP_SECONDS)
    except Exception as exc:
        logger.warning("evidence words learned but not kept (%s)", exc)
    return {
        "status": "learned",
        "version": version,
        "items": model.n_docs,
        "stems": len(model.df),
        "seconds": round(time.monotonic() - started, 3),
    }


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
