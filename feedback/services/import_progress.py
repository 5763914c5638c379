"""An import's progress, seen by every process while the batch is written.

On PostgreSQL the progress goes through a second connection in autocommit; on
SQLite the writer holds the database's only write lock, so another process
sees the rows only at commit. Every step is therefore also published to the
cache (files in the embedded mode, Redis otherwise), which pages and the API
read while the batch runs.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection, connections

from feedback.models import ImportBatch

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def progress_key(batch_id: int, created_at) -> str:
    """Per batch, and per row: a test database may give a new batch an old id."""
    stamp = created_at.timestamp() if created_at else 0
    return f"cxplan:import-progress:{batch_id}:{stamp}"


def import_progress_overlay(batch: ImportBatch) -> ImportBatch:
    """`batch` with the progress and stage its running import published to the
    cache (seen by every process, while the database shows them at commit only
    on SQLite); a finished batch is left as stored."""
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch
    try:
        published = cache.get(progress_key(batch.pk, batch.created_at))
    except Exception:  # the cache is down: the stored figures stand
        return batch
    if published and published["progress"] > (batch.progress or 0):
        batch.progress, batch.stage = published["progress"], published["stage"]
    return batch


class Progress:
    """Progress writes that other sessions can see during the write transaction.

    On PostgreSQL, outside a transaction opened by a caller, they go through a
    second connection in autocommit; otherwise through the ORM (visible at
    commit only, which is what tests and SQLite get). Either way they are also
    published to the cache, which every process reads (`import_progress_overlay`),
    so the bar moves on SQLite too.
    """

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        created = (
            ImportBatch.objects.filter(pk=batch_id)
            .values_list("created_at", flat=True)
            .first()
        )
        self.key = progress_key(batch_id, created)
        self.side = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connections.create_connection("default")

    def __call__(self, progress: int, stage: str, **fields) -> None:
        progress = max(0, min(100, int(progress)))
        try:
            cache.set(
                self.key,
                {"progress": progress, "stage": stage},
                PROGRESS_SECONDS,
            )
        except Exception:  # the progress bar is not worth failing an import
            logger.warning("progress publish failed", exc_info=True)
        if self.side is not None and not fields:
            try:
                with self.side.cursor() as cursor:
                    cursor.execute(
                        "UPDATE feedback_importbatch SET progress = %s, stage = %s "
                        "WHERE id = %s",
                        [progress, stage, self.batch_id],
                    )
                return
            except Exception:  # the progress bar is not worth failing an import
                logger.warning("progress update failed", exc_info=True)
        ImportBatch.objects.filter(pk=self.batch_id).update(
            progress=progress, stage=stage, **fields
        )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
