"""The stored files of imports: deleted when their batch is over, and swept.

An upload is stored under MEDIA `imports/YYYY/MM/` (`import_upload_stage`, or by
`import_batch_create`) and read once, by the batch's task. Nothing reads it
after the batch is done or failed: the result page and the API show the
counts and the errors kept on the row (`ImportBatch.errors`, at most 1,000).
So the task deletes the file when its batch ends and blanks `ImportBatch.file`
(an `update()`: the field stays as it is, no migration). The hourly sweep
deletes any file there older than `CXPLAN_IMPORT_UPLOAD_KEEP_HOURS` (24) that
no pending or running batch still needs: previews never started, and files of
batches that ended without their deletion (a worker killed in between).
"""

import logging
import posixpath
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback.models import ImportBatch

logger = logging.getLogger(__name__)
FOLDER = "imports"
LIVE = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)


def _storage():
    return ImportBatch._meta.get_field("file").storage


def _delete(name: str) -> bool:
    try:
        _storage().delete(name)
        return True
    except OSError:  # already gone, or the storage refused: the sweep retries
        logger.warning("could not delete import file %s", name, exc_info=True)
        return False


def import_file_discard(*, batch_id: int) -> None:
    """Delete an ended batch's file once the caller's transaction commits,
    and blank its `file`; the batch keeps its name, size, counts and errors."""
    name = (
        ImportBatch.objects.filter(pk=batch_id)
        .exclude(status__in=LIVE)
        .values_list("file", flat=True)
        .first()
    )
    if not name:
        return

    def discard():
        if _delete(name):
            ImportBatch.objects.filter(pk=batch_id, file=name).update(file="")

    transaction.on_commit(discard)


def _stored_files(folder: str = FOLDER):
    storage = _storage()
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _stored_files(posixpath.join(folder, sub))


def keep_for() -> timedelta:
    return timedelta(hours=float(settings.CXPLAN_IMPORT_UPLOAD_KEEP_HOURS))


def import_uploads_sweep(*, now: datetime | None = None) -> int:
    """Delete stored import files older than the keep time that no pending or
    running batch uses; returns how many were deleted."""
    cutoff = (now or timezone.now()) - keep_for()
    live = set(
        ImportBatch.objects.filter(status__in=LIVE).values_list("file", flat=True)
    )
    storage = _storage()
    deleted = []
    for name in _stored_files():
        if name in live:
            continue
        try:
            modified = storage.get_modified_time(name)
        except OSError:
            continue
        if modified < cutoff and _delete(name):
            deleted.append(name)
    if deleted:
        ImportBatch.objects.filter(file__in=deleted).exclude(status__in=LIVE).update(
            file=""
        )
    return len(deleted)
