"""ROI assumptions. Rows are never edited: a change writes a new current set, so every
stored result can point at the exact figures it was computed with."""

from django.conf import settings
from django.db import models
from django.db.models import Q


def default_ramp():
    return [0.25, 0.75, 1.0]


class AssumptionSet(models.Model):
    rate = models.DecimalField(max_digits=6, decimal_places=4, default=0.10)
    horizon = models.PositiveSmallIntegerField(default=3)
    gross_margin = models.DecimalField(max_digits=5, decimal_places=4, default=0.60)
    assisted_cost = models.DecimalField(max_digits=10, decimal_places=2, default=6.00)
    self_service_cost = models.DecimalField(
        max_digits=10, decimal_places=2, default=0.50
    )
    ramp = models.JSONField(default=default_ramp)
    benefit_risk = models.DecimalField(max_digits=5, decimal_places=4, default=0.15)
    cost_risk = models.DecimalField(max_digits=5, decimal_places=4, default=0.10)
    is_current = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_assumption_set",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="assumption_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(horizon__gte=1) & Q(horizon__lte=10),
                name="assumption_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(gross_margin__gte=0) & Q(gross_margin__lte=1),
                name="assumption_margin_range",
            ),
            models.CheckConstraint(
                condition=Q(benefit_risk__gte=0)
                & Q(benefit_risk__lte=1)
                & Q(cost_risk__gte=0)
                & Q(cost_risk__lte=2),
                name="assumption_risk_range",
            ),
            models.CheckConstraint(
                condition=Q(assisted_cost__gte=0) & Q(self_service_cost__gte=0),
                name="assumption_costs_not_negative",
            ),
        ]

    def __str__(self):
        return f"assumptions #{self.pk} (r={self.rate}, H={self.horizon})"
