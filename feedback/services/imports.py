"""Feedback imports: accept a file as a batch row, then validate and write it.

`import_batch_create` stores the file and the `ImportBatch` row first and sends
the task on commit, so an upload accepted while Redis is down waits as a
pending row until the beat sweep (`cxplan.core.outbox.outbox_sweep`) sends it.
`import_batch_run` (the task's body) claims the batch, validates the whole file,
and writes it all in one transaction, or nothing when a row is invalid and the
user did not choose to skip invalid rows. Re-importing a file updates items by
`(source, external_id)`; it never duplicates them.
"""

import logging
import zlib
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cxplan.core.locks import advisory_lock
from cxplan.core.queue import send_on_commit
from feedback import sentiment
from feedback.intake.columns import constants_check, dates_note
from feedback.intake.dates import date_format_name
from feedback.intake.errors import error_summary
from feedback.intake.reading import FileError, read_table
from feedback.intake.validation import validate_frame
from feedback.models import ImportBatch, SourceMapping
from feedback.selectors.imports import column_mapping_get
from feedback.services import ingest_copy
from feedback.services.import_checks import (  # noqa: F401 (the callers' names)
    UploadTooLarge,
    columns_cap,
    upload_cap,
    upload_check_columns,
    upload_check_size,
)
from feedback.services.import_files import import_file_discard
from feedback.services.import_progress import Progress as _Progress
from feedback.services.import_progress import import_progress_overlay  # noqa: F401
from feedback.services.ingest import feedback_rows_ingest
from feedback.services.pii import errors_redact, pii_region

logger = logging.getLogger(__name__)

# Rows written per step (one transaction whatever the size; the progress bar
# moves once a step). Each step pays fixed work: a customers read, a staging
# COPY and upsert, the keyword rules' queries. 100,000 rows: 9.1-9.3 s in steps
# of 5,000, 7.9 s in steps of 20,000.
CHUNK_ROWS = 20_000
# Every error is kept for errors.csv up to this; the summary counts them all.
MAX_STORED_ERRORS = 100_000
# A batch still "running" this long after it started lost its worker.
RUNNING_STALE_AFTER = timedelta(minutes=30)
IMPORT_LOCK_SPACE = zlib.crc32(b"cxplan.import") & 0x7FFFFFFF


def source_mapping_remember(
    *, source: str, mapping: dict, date_format: str, constants: dict | None = None
) -> SourceMapping:
    """Store the mapping, constants and date format last used for `source`."""
    obj, _ = SourceMapping.objects.update_or_create(
        source=source,
        defaults={
            "mapping": mapping,
            "date_format": date_format,
            "constants": constants or {},
        },
    )
    return obj


def import_upload_stage(*, data: bytes, name: str) -> str:
    """Store an upload where its batch will keep it; return the stored name.

    The upload page shows a preview before the batch exists; staging the file
    in the batches' own place lets `import_batch_create(stored=...)` take it
    over, so the file is written once, not staged and then copied.
    """
    field = ImportBatch._meta.get_field("file")
    wanted = field.generate_filename(None, Path(name).name or "upload.csv")
    return field.storage.save(wanted, ContentFile(data), max_length=field.max_length)


def import_batch_create(
    *,
    file=None,
    stored: str = "",
    source: str,
    user=None,
    mapping: dict | None = None,
    constants: dict | None = None,
    date_format: str = "iso",
    skip_invalid: bool = False,
    skip_empty_text: bool = False,
    original_name: str = "",
    enqueue: bool = True,
    check_size: bool = True,
) -> ImportBatch:
    """Store an uploaded file as a pending batch and enqueue its import.

    `file` is a Django File (an upload) or bytes; or `stored` names a file
    already stored by `import_upload_stage`, which the batch takes over. Raises
    `UploadTooLarge` past the cap, `TooManyColumns` (from the header alone) for
    a file wider than `CXPLAN_IMPORT_MAX_COLUMNS`, and `ValueError` for an
    unknown date format or a constant that cannot be (`constants_check`).
    `constants` give a field one value for every row (`created` may be
    `import_date`: the batch's own day, with a note that the dates are not the
    customers'). `skip_empty_text` counts rows without text as skipped.
    The mapping and constants are remembered for the source. With
    `enqueue=False` the caller runs the import itself (the management command).
    """
    if stored:
        size = ImportBatch._meta.get_field("file").storage.size(stored)
    else:
        if isinstance(file, bytes):
            file = ContentFile(file, name=original_name or "upload.csv")
        size = int(getattr(file, "size", 0) or 0)
    if check_size:
        upload_check_size(size=size)
    if not stored:  # a staged file had its header checked at the preview
        upload_check_columns(file=file)
    date_format = date_format_name(date_format)
    constants = constants_check(constants or {})
    source = (source or "").strip()[:100] or "import"
    mapping = {str(k): str(v) for k, v in (mapping or {}).items()}
    name = (
        original_name or Path(getattr(file, "name", "") or stored or "upload.csv").name
    )
    with transaction.atomic():
        batch = ImportBatch(
            source=source,
            original_name=name[:300],
            size_bytes=size,
            mapping=mapping,
            constants=constants,
            date_format=date_format,
            skip_invalid=skip_invalid,
            skip_empty_text=skip_empty_text,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if stored:
            batch.file.name = stored
        else:
            batch.file.save(Path(name).name or "upload.csv", file, save=False)
        note = dates_note(constants, import_date=timezone.localdate().isoformat())
        batch.notes = [note] if note else []
        batch.save()
        source_mapping_remember(
            source=source,
            mapping=mapping,
            date_format=date_format,
            constants=constants,
        )
        if enqueue:
            from feedback.tasks import import_feedback_batch

            batch.enqueued_at = timezone.now()
            batch.save(update_fields=["enqueued_at"])
            send_on_commit(import_feedback_batch, batch.pk)
    return batch


def _claim(batch_id: int, *, runner_dead: bool = False) -> bool:
    """Compare-and-set pending (or abandoned running) -> running; True if ours.

    `runner_dead`: the caller holds the batch's advisory lock, so a batch still
    marked running lost its worker (kill -9) and may be taken over at once.
    """
    now = timezone.now()
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status=ImportBatch.Status.PENDING
    ).update(status=ImportBatch.Status.RUNNING, started_at=now, stage="reading")
    if not claimed:
        abandoned = ImportBatch.objects.filter(
            pk=batch_id, status=ImportBatch.Status.RUNNING
        )
        if not runner_dead:
            abandoned = abandoned.filter(started_at__lt=now - RUNNING_STALE_AFTER)
        claimed = abandoned.update(started_at=now, stage="reading", progress=0)
    return bool(claimed)


def _runner_lock(batch_id: int):
    """PostgreSQL: a session advisory lock per batch, freed by the database when
    the worker holding it dies. Yields True (held), False (a live runner has it)
    or None (no such lock on this database)."""
    return advisory_lock((IMPORT_LOCK_SPACE, batch_id & 0x7FFFFFFF))


def _summary(batch: ImportBatch) -> dict:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "rows_total": batch.rows_total,
        "rows_imported": batch.rows_imported,
        "rows_created": batch.rows_created,
        "rows_updated": batch.rows_updated,
        "rows_skipped": batch.rows_skipped,
        "errors": len(batch.errors),
        "redacted": batch.redacted,
    }


def _stored_errors(errors: list[dict]) -> dict:
    """The errors kept on the row (all, up to `MAX_STORED_ERRORS`) and their
    summary by kind, counted over every one; no personal data in them."""
    errors = errors_redact(errors)
    kept = errors
    if len(errors) > MAX_STORED_ERRORS:
        kept = errors[:MAX_STORED_ERRORS]
        kept.append(
            {
                "line": None,
                "field": "",
                "message": f"... and {len(errors) - MAX_STORED_ERRORS:,} more errors",
            }
        )
    return {"errors": kept, "error_summary": error_summary(errors)}


def import_batch_run(*, batch_id: int) -> dict:
    """Validate and import one batch; safe to run twice. Returns a summary dict.

    Stages (with `progress` in percent): reading 5, validating 15, writing
    20..95 chunk by chunk, done 100. Any invalid row fails the batch with every
    error listed and nothing written, unless `skip_invalid`, in which case the
    valid rows are written and the bad ones counted as skipped.
    """
    with _runner_lock(batch_id) as locked:
        if locked is False or not _claim(batch_id, runner_dead=bool(locked)):
            batch = ImportBatch.objects.filter(pk=batch_id).first()
            if batch is None:
                return {"batch": batch_id, "status": "missing"}
            return _summary(batch)
        return _run_claimed(batch_id)


def _run_claimed(batch_id: int) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(attempts=batch.attempts + 1)
    progress = _Progress(batch_id)
    try:
        summary = _run(batch, progress)
    except Exception as exc:
        logger.exception("import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED,
            stage="failed",
            finished_at=timezone.now(),
            **_stored_errors(
                [{"line": None, "field": "", "message": f"the import failed: {exc}"}]
            ),
        )
        summary = {"batch": batch_id, "status": "failed", "errors": 1}
    finally:
        progress.close()
    # Done or failed, nothing reads the file again (feedback/services/import_files.py).
    import_file_discard(batch_id=batch_id)
    return summary


def _fail(batch: ImportBatch, errors: list[dict], total: int = 0) -> dict:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED,
        stage="failed",
        rows_total=total,
        rows_imported=0,
        rows_skipped=0,
        **_stored_errors(errors),
        finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return _summary(batch)


def _run(batch: ImportBatch, progress: _Progress) -> dict:
    progress(5, "reading")
    try:
        with batch.file.open("rb") as fh:
            data = fh.read()
        table = read_table(data, max_columns=columns_cap())
    except (FileError, OSError) as exc:
        return _fail(batch, [{"line": None, "field": "", "message": str(exc)}])
    progress(15, "validating", rows_total=len(table.frame) + len(table.errors))
    plan = column_mapping_get(
        columns=list(table.frame.columns),
        mapping=batch.mapping,
        constants=batch.constants,
        date_format=batch.date_format,
        import_date=timezone.localdate(batch.created_at).isoformat(),
    ).plan
    if plan.errors:
        return _fail(batch, plan.errors, len(table.frame))
    frame, lines, empty = table.frame, table.lines, 0
    if batch.skip_empty_text and "text" in plan.columns:
        keep = (frame[plan.columns["text"]].str.strip() != "").to_numpy()
        empty = int((~keep).sum())
        frame, lines = frame.loc[keep].reset_index(drop=True), lines[keep]
    result = validate_frame(
        frame,
        plan,
        lines=lines,
        date_format=batch.date_format,
        default_source=batch.source,
        derive_ids=True,
        max_text_chars=settings.CXPLAN_MAX_TEXT_CHARS,
        pii_region=pii_region(),
    )
    errors = sorted(table.errors + result.errors, key=lambda e: e["line"] or 0)
    total = result.total + len(table.errors) + empty
    if empty:
        ImportBatch.objects.filter(pk=batch.pk).update(
            notes=[*batch.notes, f"{empty:,} rows without text were skipped."]
        )
    if errors and not batch.skip_invalid:
        return _fail(batch, errors, total)
    rows = result.rows
    created = updated = 0
    # Many new texts: score them on every core now; the chunks then reuse it.
    progress(17, "scoring sentiment")
    sentiment.prime(rows["text"].tolist())
    with transaction.atomic():
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows.iloc[start : start + CHUNK_ROWS]
            written = feedback_rows_ingest(
                rows=chunk,
                batch=batch,
                user=batch.created_by,
                default_source=batch.source,
            )
            created += written.created
            updated += written.updated
            done = start + len(chunk)
            progress(20 + int(75 * done / max(len(rows), 1)), "writing")
        ingest_copy.statistics_refresh(rows_written=created + updated)
        bad_lines = len({e["line"] for e in errors})
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.DONE,
            stage="done",
            progress=100,
            rows_total=total,
            rows_imported=created + updated,
            rows_created=created,
            rows_updated=updated,
            rows_skipped=bad_lines + empty,
            redacted=result.redacted,
            **_stored_errors(errors),
            finished_at=timezone.now(),
        )
    batch.refresh_from_db()
    return _summary(batch)
