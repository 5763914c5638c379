"""The assumptions form (CX leads)."""

from django import forms


class AssumptionsForm(forms.Form):
    rate = forms.DecimalField(
        label="Discount rate (0 to 1)", min_value=0, max_value=1, decimal_places=4
    )
    horizon = forms.IntegerField(label="Horizon (years)", min_value=1, max_value=10)
    gross_margin = forms.DecimalField(
        label="Gross margin (0 to 1)", min_value=0, max_value=1, decimal_places=4
    )
    assisted_cost = forms.DecimalField(
        label="Cost per assisted contact", min_value=0, decimal_places=2
    )
    self_service_cost = forms.DecimalField(
        label="Cost per self-service contact", min_value=0, decimal_places=2
    )
    ramp = forms.CharField(
        label="Benefit ramp per year",
        help_text="Shares of the full benefit in years 1, 2, 3...; the last repeats.",
    )
    benefit_risk = forms.DecimalField(
        label="Benefit risk (0 to 1)", min_value=0, max_value=1, decimal_places=4
    )
    cost_risk = forms.DecimalField(
        label="Cost risk (0 to 2)", min_value=0, max_value=2, decimal_places=4
    )
    note = forms.CharField(
        max_length=300, required=False, label="Why the change (kept with the set)"
    )
