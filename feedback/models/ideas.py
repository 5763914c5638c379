"""Advisor ideas, their votes and comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from feedback.models.items import Customer, FeedbackItem
from feedback.models.themes import Theme


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
    # Who raised it: customers named directly, and feedback items (whose
    # customers count too); `customers` of the API is the distinct union.
    customers = models.ManyToManyField(Customer, blank=True, related_name="ideas")
    items = models.ManyToManyField(FeedbackItem, blank=True, related_name="ideas")
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
