"""Forms of the funding pages: a new source with its amounts, an allocation,
and an executive's decision on the review page."""

from django import forms

from initiatives.models import Decision, FundingSource, Initiative
from initiatives.selectors.funding import OPEN_STATUSES

MAX_YEAR = 10


class FundingSourceForm(forms.Form):
    """A source and one amount field per year t = 0..`years - 1`. Leaving every
    amount of a savings source empty takes the initiative's savings."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=FundingSource.Kind.choices)
    savings_of = forms.ModelChoiceField(
        queryset=Initiative.objects.order_by("title"),
        required=False,
        label="Savings of (for a savings source)",
        help_text="Leave the amounts empty to use its contacts-avoided savings.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, years: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = max(1, min(years, MAX_YEAR + 1))
        for year in range(self.years):
            self.fields[f"amount_{year}"] = forms.DecimalField(
                label=f"Amount in year {year}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in range(self.years)]

    def amounts(self) -> dict | None:
        """{year: amount} of the filled fields; None when all are empty."""
        found = {
            year: self.cleaned_data[f"amount_{year}"]
            for year in range(self.years)
            if self.cleaned_data.get(f"amount_{year}") is not None
        }
        return found or None


class AllocationForm(forms.Form):
    source = forms.ModelChoiceField(queryset=FundingSource.objects.order_by("name"))
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.filter(status__in=OPEN_STATUSES).order_by("title")
    )
    year = forms.IntegerField(min_value=0, max_value=MAX_YEAR, initial=0)
    amount = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="0 removes the allocation.",
    )


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(choices=Decision.Verdict.choices)
    comment = forms.CharField(required=False, max_length=5000, widget=forms.TextInput())
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())
