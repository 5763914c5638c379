"""Feedback: customers, items, imports, themes, advisor ideas, votes and rankings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

CHANNELS = ("survey", "ticket", "review", "chat", "social", "email", "call", "other")
CONTACT_CHANNELS = ("ticket", "chat", "call")


class Channel(models.TextChoices):
    SURVEY = "survey"
    TICKET = "ticket"
    REVIEW = "review"
    CHAT = "chat"
    SOCIAL = "social"
    EMAIL = "email"
    CALL = "call"
    OTHER = "other"


class ScoreType(models.TextChoices):
    NONE = "", "none"
    NPS = "nps", "NPS (0-10)"
    CSAT = "csat", "CSAT (1-5)"
    STARS = "stars", "Stars (1-5)"


class Polarity(models.TextChoices):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Customer(models.Model):
    external_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=300, blank=True)
    segment = models.CharField(max_length=100, blank=True, db_index=True)
    annual_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="customer_revenue_not_negative",
            )
        ]

    def __str__(self):
        return self.name or self.external_id


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


class SourceMapping(models.Model):
    """The column mapping and date format last used for a source, remembered."""

    source = models.CharField(max_length=100, unique=True)
    mapping = models.JSONField(default=dict, blank=True)
    date_format = models.CharField(max_length=100, default="iso")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.source


class FeedbackItem(models.Model):
    source = models.CharField(max_length=100, default="", blank=True)
    external_id = models.CharField(max_length=200, null=True, blank=True)
    text = models.TextField()
    created = models.DateTimeField()
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.OTHER
    )
    score = models.FloatField(null=True, blank=True)
    score_type = models.CharField(
        max_length=5, choices=ScoreType.choices, default="", blank=True
    )
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    segment = models.CharField(max_length=100, blank=True)
    sentiment = models.FloatField(default=0.0)
    polarity = models.CharField(
        max_length=8, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    extra = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # indexed where set (Meta): imports leave it empty
    )
    inserted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            # NULL external ids are distinct in SQLite and PostgreSQL alike, so a
            # plain (non-partial) constraint can be an ON CONFLICT target.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                name="feedback_unique_source_external_id",
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="feedback_text_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(sentiment__gte=-1) & Q(sentiment__lte=1),
                name="feedback_sentiment_range",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(score_type="nps", score__gte=0, score__lte=10)
                | Q(score_type__in=["csat", "stars"], score__gte=1, score__lte=5),
                name="feedback_score_in_range_for_type",
            ),
        ]
        # Each index costs every import a write per row, so only those a query
        # uses: the newest-first list and the ranking window (created, id), and
        # a filter of the list followed by its order (field, created). No
        # `varchar_pattern_ops` twins: nothing filters these with LIKE.
        indexes = [
            models.Index(fields=["created", "id"], name="feedback_created_id"),
            models.Index(
                fields=["channel", "created"], name="feedback_channel_created"
            ),
            models.Index(
                fields=["segment", "created"], name="feedback_segment_created"
            ),
            models.Index(
                fields=["polarity", "created"], name="feedback_polarity_created"
            ),
            models.Index(
                fields=["created_by"],
                condition=Q(created_by__isnull=False),
                name="feedback_created_by_set",
            ),
        ]

    def __str__(self):
        return self.text[:60]


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

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.TRAINING
    )
    trained_at = models.DateTimeField(null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    label_counts = models.JSONField(default=dict, blank=True)
    cv_macro_f1 = models.FloatField(null=True, blank=True)
    blob = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"theme model v{self.version} ({self.status})"


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


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new"
        UNDER_REVIEW = "under_review", "under review"
        PLANNED = "planned"
        SHIPPED = "shipped"
        DECLINED = "declined"

    title = models.CharField(max_length=200)
    body = models.TextField(help_text="What customers experience.")
    suggested_fix = models.TextField(blank=True)
    evidence_customer_ref = models.CharField(max_length=200, blank=True)
    evidence_frequency = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    decline_reason = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="ideas")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    vote_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="idea_declined_needs_reason",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="idea_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="vote_once_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} -> {self.idea_id}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message


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
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self):
        return f"ranking {self.computed_at:%Y-%m-%d %H:%M}"
