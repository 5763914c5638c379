"""Strategy tracking: the five steps, competency maturity, actions and metrics."""

from django.conf import settings
from django.db import models
from django.db.models import Q

STEP_KEYS = (
    ("corporate_strategy", "Understand the corporate strategy"),
    ("who_we_are", "Who we are"),
    ("what_customers_want", "What customers want"),
    ("redefine_mission", "Redefine the mission"),
    ("ceo_buy_in", "CEO buy-in"),
)

COMPETENCY_KEYS = (
    ("customers_as_assets", "Customers as assets"),
    ("align_around_experience", "Align around the experience"),
    ("listening_path", "A customer listening path"),
    ("proactive_reliability", "Proactive reliability and innovation"),
    ("one_company", "One-company accountability, leadership and culture"),
)


class Strategy(models.Model):
    name = models.CharField(max_length=200, default="Customer experience strategy")
    presentation_date = models.DateField(null=True, blank=True)
    corporate_strategy = models.TextField(blank=True)
    who_we_are = models.TextField(blank=True)
    # Set once the starter actions were written, so that a CX lead who deletes
    # them does not see them come back on the next `strategy_ensure()`.
    starter_loaded = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.name


class MissionVersion(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="missions"
    )
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:60]


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", "not started"
    IN_PROGRESS = "in_progress", "in progress"
    DONE = "done"
    BLOCKED = "blocked"


class StrategyStep(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=30, choices=STEP_KEYS)
    status = models.CharField(
        max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    ranking_snapshot_id = models.PositiveBigIntegerField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signoff_snapshot = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "order"], name="step_order_unique"
            ),
            models.UniqueConstraint(fields=["strategy", "key"], name="step_key_unique"),
            models.CheckConstraint(
                condition=Q(order__gte=1) & Q(order__lte=5), name="step_order_1_to_5"
            ),
        ]

    def __str__(self):
        return self.get_key_display()

    @property
    def name(self) -> str:
        return self.get_key_display()


class Competency(models.Model):
    key = models.CharField(max_length=30, choices=COMPETENCY_KEYS, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "competencies"

    def __str__(self):
        return self.get_key_display()

    @property
    def name(self) -> str:
        return self.get_key_display()


class CompetencyRating(models.Model):
    """One person's 1-5 rating of a competency; history is kept, the newest counts."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="ratings"
    )
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=10)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["cx_lead", "executive", "advisor"]),
                name="rating_role_known",
            ),
        ]

    def __str__(self):
        return f"{self.competency_id}: {self.score}"


class Action(models.Model):
    class Kind(models.TextChoices):
        UNITING_LEADERSHIP = "uniting_leadership", "uniting the leadership team"
        GIVING_PERMISSION = "giving_permission", "giving permission to employees"
        PROVING_IT = "proving_it", "proving it"

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    team = models.CharField(max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["competency__order", "kind", "id"]

    def __str__(self):
        return self.title


class SuccessMetric(models.Model):
    class Kind(models.TextChoices):
        NPS = "nps", "NPS"
        CSAT = "csat", "CSAT"
        CHURN = "churn"
        COST_TO_SERVE = "cost_to_serve", "cost to serve"
        PRODUCTIVITY = "productivity", "productivity (e.g. handle time)"
        CUSTOM = "custom"

    class Direction(models.TextChoices):
        UP = "up", "higher is better"
        DOWN = "down", "lower is better"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    unit = models.CharField(max_length=30, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    current = models.FloatField(null=True, blank=True)
    direction = models.CharField(
        max_length=4, choices=Direction.choices, default=Direction.UP
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MetricReading(models.Model):
    metric = models.ForeignKey(
        SuccessMetric, on_delete=models.CASCADE, related_name="readings"
    )
    period = models.DateField()
    value = models.FloatField()

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period"], name="reading_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.metric_id} {self.period}: {self.value}"
