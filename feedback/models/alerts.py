"""Alerts: a theme's weekly volume or sentiment standing out from its history."""

from django.conf import settings
from django.db import models

from feedback.models.themes import Theme


class Alert(models.Model):
    class Kind(models.TextChoices):
        SPIKE = "spike"
        DROP = "drop"

    class Measure(models.TextChoices):
        VOLUME = "volume"
        SENTIMENT = "sentiment"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    measure = models.CharField(max_length=9, choices=Measure.choices)
    week_start = models.DateField()
    # Volume: observed / expected items; sentiment: the week's mean minus the
    # history's (on VADER's -1..1 scale).
    size = models.FloatField()
    observed = models.FloatField()
    expected = models.FloatField()
    limit = models.FloatField(help_text="The control limit the week crossed.")
    items = models.PositiveIntegerField(default=0)
    dismissed = models.BooleanField(default=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start", "theme_id", "measure"]
        constraints = [
            # One alert per theme, measure, direction and week: a recompute never
            # repeats one, and a dismissal is remembered.
            models.UniqueConstraint(
                fields=["theme", "measure", "kind", "week_start"],
                name="alert_unique_theme_measure_kind_week",
            )
        ]

    def __str__(self):
        return f"{self.kind} in {self.measure} of {self.theme_id} ({self.week_start})"
