"""Forms of the import page (upload, column mapping) and of the one-item form."""

from django import forms
from django.conf import settings
from django.utils import timezone

from feedback.intake.columns import IMPORT_DATE
from feedback.intake.dates import DATE_FORMAT_LABELS
from feedback.intake.fields import CHANNELS, EXTRA, FIELDS, IGNORE, REQUIRED
from feedback.models import Channel
from feedback.selectors.imports import column_mapping_get

FIELD_CHOICES = [
    (EXTRA, "keep in extra"),
    (IGNORE, "ignore"),
    *[(name, name) for name in FIELDS],
]
DATE_FORMAT_CHOICES = list(DATE_FORMAT_LABELS.items())
SCORE_TYPE_CHOICES = [
    ("", "from a column, or none"),
    ("nps", "NPS 0-10"),
    ("csat", "CSAT 1-5"),
    ("stars", "stars 1-5"),
    ("rating", "rating 1-10"),
]
CREATED_CHOICES = [
    ("column", "from the column mapped to created"),
    (IMPORT_DATE, "the import date (no dates in the file)"),
    ("fixed", "a fixed date for every row"),
]


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
    created_from = forms.ChoiceField(
        label="Dates", choices=CREATED_CHOICES, initial="column", required=False
    )
    created_fixed = forms.DateField(
        label="Fixed date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    const_score_type = forms.ChoiceField(
        label="Every score is", choices=SCORE_TYPE_CHOICES, required=False
    )
    const_channel = forms.ChoiceField(
        label="Every row's channel",
        choices=[("", "from a column, or other"), *[(c, c) for c in CHANNELS]],
        required=False,
    )
    const_segment = forms.CharField(
        label="Every row's segment", max_length=100, required=False
    )
    skip_empty_text = forms.BooleanField(
        required=False,
        label="Skip rows without text",
        help_text="Rows whose text is empty are counted as skipped, not as errors "
        "(a churn file where only some customers gave a reason).",
    )
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

    @classmethod
    def initial_constants(cls, constants: dict) -> dict:
        """The form's initial values for constants `{"field": "value"}`."""
        created = constants.get("created", "")
        initial = {
            "created_from": created if created == IMPORT_DATE else "column",
            "const_score_type": constants.get("score_type", ""),
            "const_channel": constants.get("channel", ""),
            "const_segment": constants.get("segment", ""),
        }
        if created and created != IMPORT_DATE:
            initial.update(created_from="fixed", created_fixed=created)
        return initial

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.columns))]

    def constants(self) -> dict[str, str]:
        """`{"field": "value"}` for every row, from the constants inputs."""
        data = self.cleaned_data
        constants = {
            "score_type": data.get("const_score_type") or "",
            "channel": data.get("const_channel") or "",
            "segment": (data.get("const_segment") or "").strip(),
        }
        if data.get("created_from") == IMPORT_DATE:
            constants["created"] = IMPORT_DATE
        elif data.get("created_from") == "fixed" and data.get("created_fixed"):
            constants["created"] = data["created_fixed"].isoformat()
        return {k: v for k, v in constants.items() if v}

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

    def mapping_full(self) -> dict[str, str]:
        """Column -> field for every column, as chosen (the preview's input)."""
        return {c: self.cleaned_data[f"col_{i}"] for i, c in enumerate(self.columns)}

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
        if cleaned.get("created_from") == "fixed" and not cleaned.get("created_fixed"):
            self.add_error("created_fixed", "Give the date every row takes.")
        constant = set(self.constants())
        for i in range(len(self.columns)):
            if cleaned.get(f"col_{i}") in constant:
                cleaned[f"col_{i}"] = EXTRA  # the constant replaces that column
        for name in REQUIRED:
            if name not in seen and name not in constant:
                raise forms.ValidationError(
                    f"Pick the column that gives {name}"
                    + (
                        ", or choose the import date or a fixed date."
                        if name == "created"
                        else "."
                    )
                )
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
