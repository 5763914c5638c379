"""Forms of the initiative pages: the initiative, its cost lines and its
benefit drivers (each uncertain figure as low / likely / high)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from feedback.models import Theme
from initiatives.models import BenefitDriver, CostLine
from roi.drivers import DRIVER_INPUTS

PICKS = ("low", "likely", "high")
INPUT_LABELS = {
    "customers_affected": "Customers affected",
    "churn_reduction_pp": "Churn reduction (percentage points)",
    "revenue_per_customer": "Annual revenue per customer",
    "contacts_per_year": "Contacts per year",
    "share_avoided": "Share of contacts avoided (0 to 1)",
    "customers": "Customers",
    "uplift_per_customer": "Revenue uplift per customer per year",
    "amount_per_year": "Amount per year",
}


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200)
    problem = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What customers experience today.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The customer themes it answers (the evidence).",
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False
    )
    team = forms.CharField(max_length=100, required=False)
    is_technology = forms.BooleanField(
        required=False, label="A tool or platform purchase"
    )
    ask_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="Why ask for approval although the case is below the hurdle",
        help_text=(
            "Only for a negative P50 NPV or an ROI under the hurdle: without it the"
            " deck does not put the initiative in the approval ask."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True).order_by(
            "name"
        )
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name="cx_lead")
            .distinct()
            .order_by("username")
        )


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "---------"), *CostLine.Kind.choices], required=False
    )
    label = forms.CharField(max_length=200, required=False)
    low = forms.DecimalField(
        min_value=0, max_digits=14, decimal_places=2, required=False
    )
    likely = forms.DecimalField(
        min_value=0, max_digits=14, decimal_places=2, required=False
    )
    high = forms.DecimalField(
        min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def clean(self):
        data = super().clean()
        if not self.is_blank(data):
            if not data.get("kind"):
                self.add_error("kind", "Choose when the cost falls.")
            if not data.get("label"):
                self.add_error("label", "Give the cost a name.")
            if data.get("likely") is None:
                self.add_error("likely", "Enter the likely amount.")
            else:
                for pick in ("low", "high"):
                    if data.get(pick) is None:
                        data[pick] = data["likely"]
                if not data["low"] <= data["likely"] <= data["high"]:
                    self.add_error("likely", "Expected low <= likely <= high.")
        return data

    @staticmethod
    def is_blank(data) -> bool:
        return not any(
            data.get(name) not in (None, "") for name in ("kind", "label", "likely")
        )

    def line(self) -> dict | None:
        data = self.cleaned_data
        if self.is_blank(data) or data.get("DELETE"):
            return None
        return {name: data[name] for name in ("kind", "label", "low", "likely", "high")}


class DriverForm(forms.Form):
    """A driver of any kind: only the inputs of the chosen kind are read."""

    kind = forms.ChoiceField(
        choices=[("", "---------"), *BenefitDriver.Kind.choices], required=False
    )
    label = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in sorted({n for names in DRIVER_INPUTS.values() for n in names}):
            for pick in PICKS:
                self.fields[f"{name}_{pick}"] = forms.FloatField(
                    required=False, label=f"{INPUT_LABELS[name]}: {pick}"
                )

    def groups(self):
        """Per kind: its label and, per input, the three bound fields."""
        kinds = dict(BenefitDriver.Kind.choices)
        return [
            {
                "kind": kind,
                "label": kinds[kind],
                "inputs": [
                    {
                        "name": name,
                        "label": INPUT_LABELS[name],
                        "fields": [self[f"{name}_{pick}"] for pick in PICKS],
                    }
                    for name in names
                ],
            }
            for kind, names in DRIVER_INPUTS.items()
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        for name in DRIVER_INPUTS[kind]:
            likely = data.get(f"{name}_likely")
            if likely is None:
                self.add_error(f"{name}_likely", "Enter the likely value.")
                continue
            low = data.get(f"{name}_low")
            high = data.get(f"{name}_high")
            low = likely if low is None else low
            high = likely if high is None else high
            if not low <= likely <= high:
                self.add_error(f"{name}_likely", "Expected low <= likely <= high.")
            data[f"{name}_low"], data[f"{name}_high"] = low, high
        return data

    def driver(self) -> dict | None:
        data = self.cleaned_data
        kind = data.get("kind")
        if not kind or data.get("DELETE"):
            return None
        return {
            "kind": kind,
            "label": data.get("label") or "",
            "inputs": {
                name: [data[f"{name}_{pick}"] for pick in PICKS]
                for name in DRIVER_INPUTS[kind]
            },
        }

    @staticmethod
    def initial_for(driver: dict) -> dict:
        """Form initial data from a stored or prefilled driver."""
        initial = {"kind": driver["kind"], "label": driver.get("label", "")}
        for name, value in (driver.get("inputs") or {}).items():
            values = value if isinstance(value, list | tuple) else [value] * 3
            for pick, number in zip(PICKS, values, strict=False):
                initial[f"{name}_{pick}"] = number
        return initial


CostLineFormSet = forms.formset_factory(
    CostLineForm, extra=2, can_delete=True, max_num=50
)
DriverFormSet = forms.formset_factory(DriverForm, extra=1, can_delete=True, max_num=50)
