"""Customers and their feedback items, with the choices an item takes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from feedback.models.imports import ImportBatch

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
    RATING = "rating", "Rating (1-10)"


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
    # Outcomes (issue 23.2), from a customer import or the API: None = not known.
    churned = models.BooleanField(null=True, blank=True)
    churned_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="customer_revenue_not_negative",
            ),
            # A churn date says the customer churned.
            models.CheckConstraint(
                condition=Q(churned_on__isnull=True) | Q(churned=True),
                name="customer_churn_date_means_churned",
            ),
        ]

    def __str__(self):
        return self.name or self.external_id


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
        max_length=10, choices=ScoreType.choices, default="", blank=True
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
    # ISO 639-1 code of the text's language; blank when it cannot be told.
    language = models.CharField(max_length=2, blank=True, default="")
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
                | Q(score_type__in=["csat", "stars"], score__gte=1, score__lte=5)
                | Q(score_type="rating", score__gte=1, score__lte=10),
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
