"""Leadership decks: immutable, versioned snapshots of the data and their exports."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Deck(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        BUILDING = "building"
        DONE = "done"
        FAILED = "failed"

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    formats = models.JSONField(default=list)
    data = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)
    html = models.FileField(upload_to="decks/", blank=True)
    pdf = models.FileField(upload_to="decks/", blank=True)
    pptx = models.FileField(upload_to="decks/", blank=True)
    error = models.TextField(blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="deck_progress_max_100"
            )
        ]

    def __str__(self):
        return f"deck v{self.version} ({self.status})"


class Brand(models.Model):
    """The company's name, logo and two colours, set once by a CX lead; every
    deck (HTML, PDF, PPTX) built afterwards carries them."""

    company_name = models.CharField(max_length=120, blank=True)
    primary_colour = models.CharField(max_length=7, default="#0072B2")
    accent_colour = models.CharField(max_length=7, default="#E69F00")
    logo = models.BinaryField(null=True, blank=True)  # PNG or JPEG, <= 512 KB
    logo_type = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(primary_colour__regex=r"^#[0-9A-Fa-f]{6}$")
                & Q(accent_colour__regex=r"^#[0-9A-Fa-f]{6}$"),
                name="brand_colours_hex",
            )
        ]

    def __str__(self):
        return self.company_name or "brand"
