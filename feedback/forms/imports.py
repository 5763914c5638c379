"""Forms of the import page (upload, column mapping) and of the one-item form."""

from django import forms
from django.conf import settings
from django.utils import timezone

from feedback.intake.dates import DATE_FORMAT_LABELS
from feedback.intake.fields import EXTRA, FIELDS, IGNORE, REQUIRED
from feedback.models import Channel
from feedback.selectors.imports import column_mapping_get

FIELD_CHOICES = [
    (EXTRA, "keep in extra"),
    (IGNORE, "ignore"),
    *[(name, name) for name in FIELDS],
]
DATE_FORMAT_CHOICES = list(DATE_FORMAT_LABELS.items())


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 or Latin-1; comma, semicolon, tab or pipe separated.",
    )
    source = forms.CharField(
        max_length=100,
        required=False,
        help_text="Where the file comes from (survey tool, help desk...). "
        "Re-imports from one source update items by external_id. "
        "Defaults to the file name.",
    )


class ImportMappingForm(forms.Form):
    """One choice per column of the file, plus the date format and the policy."""

    date_format = forms.ChoiceField(choices=DATE_FORMAT_CHOICES, initial="iso")
    skip_invalid = forms.BooleanField(
        required=False,
        label="Skip invalid rows",
        help_text="Import the valid rows and list the bad ones. Without this, "
        "any bad row stops the whole import.",
    )

    def __init__(self, *args, columns: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for i, column in enumerate(columns):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=column, choices=FIELD_CHOICES, initial=initial_mapping.get(column)
            )

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.columns))]

    def mapping(self) -> dict[str, str]:
        """Column -> field for every column whose choice differs from the default."""
        auto = column_mapping_get(columns=self.columns, mapping={}).plan
        auto_field = {column: name for name, column in auto.columns.items()}
        mapping = {}
        for i, column in enumerate(self.columns):
            chosen = self.cleaned_data[f"col_{i}"]
            if chosen != auto_field.get(column, EXTRA):
                mapping[column] = chosen
        return mapping

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for i, column in enumerate(self.columns):
            chosen = cleaned.get(f"col_{i}")
            if chosen in (None, EXTRA, IGNORE):
                continue
            if chosen in seen:
                self.add_error(
                    f"col_{i}", f"{chosen} is already given by '{seen[chosen]}'."
                )
            seen[chosen] = column
        for name in REQUIRED:
            if name not in seen:
                raise forms.ValidationError(f"Pick the column that gives {name}.")
        return cleaned


class FeedbackItemForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.CXPLAN_MAX_TEXT_CHARS,
        help_text="What the customer said, in their words.",
    )
    created = forms.DateTimeField(
        label="When",
        initial=lambda: timezone.now().replace(second=0, microsecond=0),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.CALL)
    score = forms.FloatField(required=False)
    score_type = forms.ChoiceField(
        required=False,
        choices=[("", "no score"), ("nps", "NPS 0-10"), ("csat", "CSAT 1-5")]
        + [("stars", "Stars 1-5")],
    )
    customer_id = forms.CharField(required=False, max_length=200, label="Customer id")
    customer_name = forms.CharField(
        required=False, max_length=300, label="Customer name"
    )
    segment = forms.CharField(required=False, max_length=100)
    annual_revenue = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Annual revenue"
    )

    def record(self) -> dict:
        """The item as the API would receive it (then validated the same way)."""
        data = dict(self.cleaned_data)
        data["created"] = data["created"].isoformat()
        return {k: v for k, v in data.items() if v not in (None, "")}
