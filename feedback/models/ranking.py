"""The ranking's state (the dirty flag, weights, window) and its snapshots."""

from django.db import models
from django.db.models import Q


class RankingState(models.Model):
    """One row: the ranking's inputs version, weights and window (the dirty flag).

    Writers bump `inputs_version` in their own transaction; a recompute records the
    version it read, so an older run never replaces a newer snapshot.
    """

    inputs_version = models.PositiveBigIntegerField(default=1)
    computed_version = models.PositiveBigIntegerField(default=0)
    weights = models.JSONField(default=dict, blank=True)
    window_days = models.PositiveSmallIntegerField(default=90)
    requested_at = models.DateTimeField(null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(window_days__gte=7) & Q(window_days__lte=730),
                name="ranking_window_days_range",
            )
        ]

    def __str__(self):
        return f"ranking inputs v{self.inputs_version}"

    @property
    def dirty(self) -> bool:
        return self.computed_version < self.inputs_version


class RankingSnapshot(models.Model):
    computed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    inputs_version = models.PositiveBigIntegerField(default=0)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(default=90)
    weights = models.JSONField(default=dict)
    themes = models.JSONField(default=list)
    items_in_window = models.PositiveIntegerField(default=0)
    # Every item accounted for: {"items", "in_window", "outside_window",
    # "themed", "unthemed", "by_method": {"label", "rule", "model"}}.
    coverage = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self):
        return f"ranking {self.computed_at:%Y-%m-%d %H:%M}"
