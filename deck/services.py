"""Writes for decks: request a version, build it (snapshot, changes, files).

A deck is recorded as a pending row first (the beat sweep re-sends its task if
the broker was down); `deck_build` claims it with a compare-and-set so two
deliveries never build the same version at once, then fills it once and for
all: the data it was built from, what changed since the previous version, and
the files. Nothing changes a finished deck afterwards.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from deck import selectors
from deck.changes import changes_between
from deck.exporters import FORMATS, ExportError
from deck.models import Deck
from deck.slides import slides_build
from deck.snapshot import snapshot_collect

logger = logging.getLogger(__name__)


def _formats(formats) -> list[str]:
    chosen = list(dict.fromkeys(formats or FORMATS))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}")
    return [f for f in FORMATS if f in chosen]


def deck_request(*, user, formats=None, enqueue: bool = True) -> Deck:
    """Record a new deck version (pending) and, when `enqueue`, send its build
    task once the transaction commits. Versions count up from 1; a race for the
    same number retries with the next one."""
    from cxplan.core.queue import send_on_commit
    from deck.tasks import build_deck

    chosen = _formats(formats)
    for _ in range(5):
        try:
            with transaction.atomic():
                top = Deck.objects.aggregate(v=Max("version"))["v"] or 0
                deck = Deck.objects.create(
                    version=top + 1,
                    formats=chosen,
                    built_by=user if getattr(user, "is_authenticated", False) else None,
                    enqueued_at=timezone.now() if enqueue else None,
                )
                if enqueue:
                    send_on_commit(build_deck, deck.pk)
            return deck
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a deck version")


def _stale_before(now):
    # A build still "building" after the task time limit belongs to a dead worker.
    limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", 30 * 60)
    return now - timedelta(seconds=limit)


def deck_claim(*, deck_id: int, now=None) -> bool:
    """Move a pending deck (or one abandoned while building) to "building";
    False when another run has it or it is finished."""
    now = now or timezone.now()
    waiting = Q(status=Deck.Status.PENDING) | Q(
        status=Deck.Status.BUILDING, created_at__lt=_stale_before(now)
    )
    return bool(
        Deck.objects.filter(waiting, pk=deck_id).update(
            status=Deck.Status.BUILDING,
            progress=5,
            stage="Collecting the data",
            error="",
        )
    )


def _progress(deck_id: int) -> Callable[[int, str], None]:
    def report(percent: int, stage: str) -> None:
        Deck.objects.filter(pk=deck_id).update(progress=percent, stage=stage)

    return report


def deck_render(
    *,
    data: dict,
    formats,
    meta: dict,
    on_progress: Callable[[int, str], None] | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """The files of a deck from its snapshot: `({format: bytes}, [errors])`.

    HTML never needs Chromium, PPTX only for a chart with no native PowerPoint
    form; when a format cannot be made (no Chromium, a print failure), its error
    is returned and the other formats still are."""
    from deck.exporters.html import deck_html
    from deck.exporters.images import slide_images
    from deck.exporters.pdf import deck_pdf
    from deck.exporters.pptx import deck_pptx

    report = on_progress or (lambda percent, stage: None)
    formats = _formats(formats)
    report(25, "Drawing the slides")
    slides = slides_build(data)
    title = (data.get("strategy") or {}).get("name") or "Customer experience strategy"
    files, errors = {}, []
    if "html" in formats:
        report(40, "Writing the HTML deck")
        files["html"] = deck_html(
            slides, meta=meta, title=title, brand=data.get("brand")
        ).encode("utf-8")
    images = None
    if "pdf" in formats:
        report(55, "Rendering the charts with Chromium")
        try:
            images = slide_images(slides, fmt="pdf")
            report(70, "Writing the PDF deck")
            files["pdf"] = deck_pdf(
                slides, images, meta=meta, title=title, brand=data.get("brand")
            )
        except ExportError as exc:
            errors.append(str(exc))
    if "pptx" in formats:
        # Native charts: Chromium only for a figure PowerPoint cannot draw.
        report(82, "Writing the PPTX deck")
        try:
            files["pptx"] = deck_pptx(slides, images, meta=meta, title=title, data=data)
        except ExportError as exc:
            errors.append(str(exc))
    return files, errors


def deck_build(*, deck_id: int) -> Deck | None:
    """Build a requested deck: snapshot, changes since the previous finished
    version, then every requested format. Returns the deck (None if it does not
    exist). Safe to run twice: a deck already claimed or finished is returned
    untouched."""
    if not deck_claim(deck_id=deck_id):
        return selectors.deck_get(deck_id=deck_id)
    deck = selectors.deck_get(deck_id=deck_id)
    report = _progress(deck.pk)
    try:
        data = snapshot_collect()
        previous = selectors.deck_previous(deck=deck)
        deck.data = data
        deck.changes = changes_between(previous.data if previous else None, data)
        deck.save(update_fields=["data", "changes"])
        meta = {
            "version": deck.version,
            "built_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "built_by": deck.built_by.get_username() if deck.built_by_id else "",
        }
        files, errors = deck_render(
            data=data, formats=deck.formats, meta=meta, on_progress=report
        )
    except Exception as exc:
        logger.exception("deck v%s failed", deck.version)
        files, errors = {}, [f"The build failed: {exc}"]
    for fmt, content in files.items():
        getattr(deck, fmt).save(
            f"deck-v{deck.version}.{fmt}", ContentFile(content), save=False
        )
    deck.status = Deck.Status.DONE if files else Deck.Status.FAILED
    deck.error = "\n".join(errors)
    deck.progress = 100
    deck.stage = "Done" if files else "Failed"
    deck.finished_at = timezone.now()
    deck.save(
        update_fields=[
            "status",
            "error",
            "progress",
            "stage",
            "finished_at",
            *files.keys(),
        ]
    )
    return deck
