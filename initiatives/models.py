"""Initiatives with their business case, executive decisions and funding."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from feedback.models import Idea, Theme
from roi.models import AssumptionSet


class Initiative(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPROVED = "approved"
        REJECTED = "rejected"
        DEFERRED = "deferred"
        IN_PROGRESS = "in_progress", "in progress"
        SHIPPED = "shipped"

    title = models.CharField(max_length=200)
    problem = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives")
    ideas = models.ManyToManyField(Idea, blank=True, related_name="initiatives")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_initiatives",
    )
    team = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    shipped_on = models.DateField(null=True, blank=True)
    # The segment that got it first: the others are the control group when the
    # effect is measured (difference in differences).
    shipped_segment = models.CharField(max_length=100, blank=True)
    is_technology = models.BooleanField(
        default=False, help_text="A tool or platform purchase (health check input)."
    )
    # Cached business case, recomputed by a service on every change.
    assumptions = models.ForeignKey(
        AssumptionSet, null=True, blank=True, on_delete=models.PROTECT
    )
    result = models.JSONField(default=dict, blank=True)
    npv = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    roi = models.FloatField(null=True, blank=True)
    payback_months = models.FloatField(null=True, blank=True)
    pv_costs = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    evidence_customers = models.PositiveIntegerField(default=0)
    # Why a CX lead still asks for approval of a case below the hurdle
    # (negative P50 NPV or ROI under CXPLAN_ROI_HURDLE); the deck shows it.
    ask_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-npv", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="initiative_title_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(status="shipped") | Q(shipped_on__isnull=False),
                name="initiative_shipped_has_date",
            ),
        ]

    def __str__(self):
        return self.title


class CostLine(models.Model):
    class Kind(models.TextChoices):
        ONE_TIME = "one_time", "one-time (t = 0)"
        RECURRING = "recurring", "recurring (t = 1..H)"
        INTERNAL_EFFORT = "internal_effort", "internal effort (t = 0)"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="cost_lines"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=200)
    low = models.DecimalField(max_digits=14, decimal_places=2)
    likely = models.DecimalField(max_digits=14, decimal_places=2)
    high = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__gte=0)
                & Q(low__lte=F("likely"))
                & Q(likely__lte=F("high")),
                name="costline_low_likely_high",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.kind})"


class BenefitDriver(models.Model):
    class Kind(models.TextChoices):
        CHURN_AVOIDED = "churn_avoided", "churn avoided"
        CONTACTS_AVOIDED = "contacts_avoided", "contacts avoided"
        REVENUE_UPLIFT = "revenue_uplift", "revenue uplift"
        CUSTOM = "custom"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="benefit_drivers"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=200, blank=True)
    # {"input name": [low, likely, high]}; names per kind in roi.engine.
    inputs = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.label or self.kind


class Decision(models.Model):
    class Verdict(models.TextChoices):
        APPROVE = "approve"
        REJECT = "reject"
        DEFER = "defer"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="decisions"
    )
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    figures = models.JSONField(default=dict, help_text="The ROI the executive saw.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.verdict} {self.initiative_id}"


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", "budget line"
        REALLOCATION = "reallocation", "reallocation from other work"
        SAVINGS = "savings", "savings of another initiative"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    savings_of = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funds",
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="savings", savings_of__isnull=False)
                | (~Q(kind="savings") & Q(savings_of__isnull=True)),
                name="funding_savings_names_initiative",
            )
        ]

    def __str__(self):
        return self.name


class FundingAmount(models.Model):
    source = models.ForeignKey(
        FundingSource, on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "year"], name="funding_amount_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="funding_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__lte=10), name="funding_amount_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} t={self.year}: {self.amount}"


class Allocation(models.Model):
    """Money from one source to one initiative in one year (t = 0..H).

    Over-allocation is refused by the allocation service under a row lock on the
    source (select_for_update), since a per-year sum cannot be a CHECK constraint.
    """

    source = models.ForeignKey(
        FundingSource, on_delete=models.CASCADE, related_name="allocations"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="allocations"
    )
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "initiative", "year"], name="allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="allocation_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} -> {self.initiative_id} t={self.year}"


class ReviewVisit(models.Model):
    """When an executive last opened the review page (for "changed since")."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} @ {self.seen_at}"
