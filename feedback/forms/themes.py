"""Forms of the theme pages, the feedback list and the labelling queue."""

from django import forms

from feedback.intake.language import LANGUAGES
from feedback.models import Channel, Polarity, Theme
from feedback.selectors.feedback_list import NO_THEME


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    keywords = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "One phrase per line (or comma-separated). Whole words, any case; "
            '"refund" also matches "refunds" and "refunded".'
        ),
    )

    @classmethod
    def for_theme(cls, theme: Theme) -> "ThemeForm":
        return cls(
            initial={
                "name": theme.name,
                "description": theme.description,
                "keywords": "\n".join(theme.keywords or []),
            }
        )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Theme.objects.none(), label="Merge into", empty_label="Choose a theme"
    )

    def __init__(self, *args, theme: Theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Theme.objects.filter(is_active=True).exclude(
            pk=theme.pk
        )


class DiscoverForm(forms.Form):
    k = forms.IntegerField(
        min_value=1, max_value=30, initial=5, label="How many candidates"
    )


class FeedbackFilterForm(forms.Form):
    theme = forms.ChoiceField(required=False)
    polarity = forms.ChoiceField(
        required=False, choices=[("", "Any polarity"), *Polarity.choices]
    )
    channel = forms.ChoiceField(
        required=False, choices=[("", "Any channel"), *Channel.choices]
    )
    segment = forms.ChoiceField(required=False)
    language = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any language"),
            ("other", "Not the themes' language"),
            *((code, code) for code in LANGUAGES),
        ],
    )
    q = forms.CharField(required=False, max_length=200, label="Text contains")
    created_after = forms.DateField(required=False, label="From")
    created_before = forms.DateField(required=False, label="To")

    def __init__(self, *args, themes, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [
            ("", "Any theme"),
            (NO_THEME, "No theme yet"),
            *((str(t.pk), t.name) for t in themes),
        ]
        self.fields["segment"].choices = [
            ("", "Any segment"),
            *((s, s) for s in segments),
        ]

    def filters(self) -> dict:
        """Cleaned filters (invalid ones are dropped rather than failing the page)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v}


class LabelForm(forms.Form):
    """Themes for one or many items (the items are read by the view)."""

    themes = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    mode = forms.ChoiceField(
        choices=[("add", "add"), ("replace", "replace")], required=False
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t.pk, t.name) for t in themes]


class ModelVersionForm(forms.Form):
    """Which candidate theme model a CX lead accepts or discards."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)
