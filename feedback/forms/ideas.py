"""Forms of the idea pages: submit/edit, comment, filters and the triage controls."""

from django import forms
from django.urls import reverse

from feedback.models import Idea
from feedback.selectors.ideas import SORTS, theme_options


class IdeaForm(forms.ModelForm):
    """What an advisor fills in on the floor; only the text fields, never status."""

    class Meta:
        model = Idea
        fields = [
            "title",
            "body",
            "suggested_fix",
            "evidence_customer_ref",
            "evidence_frequency",
        ]
        labels = {
            "title": "Title",
            "body": "What do customers experience?",
            "suggested_fix": "Suggested fix",
            "evidence_customer_ref": "Customer reference (optional)",
            "evidence_frequency": "How often does it happen? (optional)",
        }
        help_texts = {
            "title": "A few words, e.g. “Refund status is invisible”.",
            "body": "What happens to the customer, in their words if you can.",
            "evidence_customer_ref": "A ticket, account or call reference.",
            "evidence_frequency": "e.g. “5 calls a day”, “every month-end”.",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "suggested_fix": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As the advisor types, htmx asks which known themes the text matches.
        # Likely duplicates too, leaving out the idea being edited.
        url = reverse("idea-suggest-themes")
        if self.instance.pk:
            url += f"?exclude={self.instance.pk}"
        live = {
            "hx-get": url,
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#theme-suggestions",
            "hx-include": "[name='title'],[name='body'],[name='suggested_fix']",
            "hx-sync": "closest form:replace",
        }
        for name in ("title", "body", "suggested_fix"):
            self.fields[name].widget.attrs.update(live)
        self.fields["title"].widget.attrs["autocomplete"] = "off"


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


SORT_LABELS = {"newest": "Newest", "votes": "Most voted"}
STATUS_CHOICES = [(value, label.capitalize()) for value, label in Idea.Status.choices]


class IdeaFilterForm(forms.Form):
    """List filters; every field optional, bad values are simply ignored."""

    theme = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All themes", label="Theme"
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *STATUS_CHOICES],
        required=False,
        label="Status",
    )
    sort = forms.ChoiceField(
        choices=[(k, SORT_LABELS[k]) for k in SORTS], required=False, label="Sort by"
    )
    q = forms.CharField(required=False, label="Search", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = theme_options()

    def filters(self) -> dict:
        if not self.is_valid():
            return {"sort": "newest"}
        data = self.cleaned_data
        return {
            "theme": data["theme"].pk if data.get("theme") else None,
            "status": data.get("status") or None,
            "sort": data.get("sort") or "newest",
            "q": data.get("q") or "",
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Move to", choices=())
    decline_reason = forms.CharField(
        label="Reason (required to decline; the author reads it)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(STATUS_CHOICES)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class LinksForm(forms.Form):
    """The idea's themes; the initiatives app adds its own links' field
    (initiatives.forms.idea_links), because it owns them."""

    themes = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Themes"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = theme_options()


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label="Duplicate of idea #",
        min_value=1,
        help_text="This idea's votes, comments and themes move to that idea.",
    )
