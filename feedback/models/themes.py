"""Themes, their assignments to items, the trained theme models and suggestions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from feedback.models.items import FeedbackItem


class Theme(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="theme_name_unique_ci"),
            models.CheckConstraint(condition=~Q(name=""), name="theme_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class ThemeAssignment(models.Model):
    class Method(models.TextChoices):
        MANUAL = "manual"
        RULE = "rule"
        MODEL = "model"

    # Every import writes a row here per item and theme (1.2M at 1M items), so
    # no index that another one covers: the unique (item, theme) serves lookups
    # by item, (theme, item) those by theme, and assigned_by is indexed only
    # where set (rules and the model leave it empty). Dropping the three plain
    # indexes made inserting 400,000 assignments 3.2 s -> 2.1 s.
    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    method = models.CharField(max_length=6, choices=Method.choices)
    confidence = models.FloatField(default=1.0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "theme"], name="assignment_unique_item_theme"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="assignment_confidence_range",
            ),
        ]
        indexes = [
            models.Index(fields=["theme", "item"], name="assignment_theme_item"),
            models.Index(
                fields=["assigned_by"],
                condition=Q(assigned_by__isnull=False),
                name="assignment_assigned_by_set",
            ),
        ]

    def __str__(self):
        return f"{self.item_id} -> {self.theme_id} ({self.method})"


class ThemeModelVersion(models.Model):
    class Status(models.TextChoices):
        TRAINING = "training"
        READY = "ready"
        FAILED = "failed"

    class State(models.TextChoices):
        """Whether the model's assignments are the ones in use.

        A training run makes a `candidate`; accepting it (by a CX lead, or
        automatically when the rules allow) makes it `applied` and the previous
        applied one `retired`; a discarded or superseded candidate is never used.
        """

        CANDIDATE = "candidate"
        APPLIED = "applied"
        RETIRED = "retired"
        DISCARDED = "discarded"
        SUPERSEDED = "superseded"

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.TRAINING
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.CANDIDATE
    )
    # Cross-validated quality: [{theme, labels, precision, recall, f1}].
    per_theme = models.JSONField(default=list, blank=True)
    macro_f1_ci = models.JSONField(null=True, blank=True)
    # Against the model applied when this one was trained: items that would
    # gain or lose each theme, and the top three before and after.
    diff = models.JSONField(default=dict, blank=True)
    top_three_before = models.JSONField(default=list, blank=True)
    top_three_after = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(max_length=300, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    label_counts = models.JSONField(default=dict, blank=True)
    cv_macro_f1 = models.FloatField(null=True, blank=True)
    blob = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="applied"),
                name="theme_model_one_applied",
            )
        ]

    def __str__(self):
        return f"theme model v{self.version} ({self.status}, {self.state})"


class ThemeSuggestion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        ACCEPTED = "accepted"
        DISMISSED = "dismissed"

    name = models.CharField(max_length=120)
    terms = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    example_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default="open")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
