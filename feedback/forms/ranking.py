from django import forms

from feedback.ranking import formula as pure

LABELS = {
    "customers": "Customers who raise it",
    "revenue_at_risk": "Revenue at risk",
    "negative_share": "Share negative",
    "trend": "Rising trend",
    "votes": "Advisor votes",
}


class WeightsForm(forms.Form):
    """The five weights of the ranking formula and the window length."""

    customers = forms.FloatField(min_value=0, max_value=100, label=LABELS["customers"])
    revenue_at_risk = forms.FloatField(
        min_value=0, max_value=100, label=LABELS["revenue_at_risk"]
    )
    negative_share = forms.FloatField(
        min_value=0, max_value=100, label=LABELS["negative_share"]
    )
    trend = forms.FloatField(min_value=0, max_value=100, label=LABELS["trend"])
    votes = forms.FloatField(min_value=0, max_value=100, label=LABELS["votes"])
    window_days = forms.IntegerField(
        min_value=7, max_value=730, label="Window (days)", initial=90
    )

    def clean(self):
        data = super().clean()
        if all(name in data for name in pure.COMPONENTS) and (
            sum(data[name] for name in pure.COMPONENTS) <= 0
        ):
            raise forms.ValidationError("At least one weight must be above 0.")
        return data
