"""Import batches (one uploaded file each) and the mapping remembered per source."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportBatch(models.Model):
    """One uploaded file; the row is written before its task is enqueued (outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    source = models.CharField(max_length=100)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=300, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    date_format = models.CharField(max_length=100, default="iso")
    skip_invalid = models.BooleanField(default=False)
    # field -> value for every row ("created": "import_date" allowed).
    constants = models.JSONField(default=dict, blank=True)
    # Rows whose text is empty are counted as skipped, not as errors.
    skip_empty_text = models.BooleanField(default=False)
    # What a reader must know about the items (e.g. the dates are not the
    # customers' own).
    notes = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Personal data replaced by placeholders in the texts: {"email", "phone", "card"}.
    redacted = models.JSONField(default=dict, blank=True)
    # [{"kind", "count", "lines": [first three]}] over every error.
    error_summary = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_progress_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.original_name} ({self.status})"

    @property
    def error_count(self) -> int:
        """Every error, counted by the summary (a batch from before it: listed)."""
        if self.error_summary:
            return sum(int(e.get("count", 0)) for e in self.error_summary)
        return len(self.errors)


class SourceMapping(models.Model):
    """The column mapping and date format last used for a source, remembered."""

    source = models.CharField(max_length=100, unique=True)
    mapping = models.JSONField(default=dict, blank=True)
    constants = models.JSONField(default=dict, blank=True)
    date_format = models.CharField(max_length=100, default="iso")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.source
