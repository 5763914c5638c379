"""Forms of the strategy pages; they validate, the services write."""

from django import forms
from django.contrib.auth import get_user_model

from cxplan.core.queries import IdField
from cxplan.core.roles import ALL_ROLES
from strategy.models import (
    Action,
    Competency,
    Strategy,
    StrategyStep,
    SuccessMetric,
)

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=User.objects.filter(is_active=True, groups__name__in=ALL_ROLES)
            .distinct()
            .order_by("username"),
            required=False,
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class VersionedForm(forms.ModelForm):
    """Carries the version the user read, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changed_data_for_service(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and name in self._meta.fields
        }


class StrategyForm(VersionedForm):
    class Meta:
        model = Strategy
        fields = ["name", "presentation_date", "corporate_strategy", "who_we_are"]
        widgets = {
            "presentation_date": DATE,
            "corporate_strategy": forms.Textarea(attrs={"rows": 4}),
            "who_we_are": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "presentation_date": "Leadership presentation date",
            "corporate_strategy": "Notes on the corporate strategy",
            "who_we_are": "Who we are",
        }


class MissionForm(forms.Form):
    text = forms.CharField(
        label="New version of the mission statement",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class StepForm(VersionedForm):
    owner = MemberChoiceField(label="Owner")

    class Meta:
        model = StrategyStep
        fields = ["status", "owner", "due_date", "notes", "evidence"]
        widgets = {
            "due_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }


class SignOffForm(forms.Form):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class RatingForm(forms.Form):
    """One optional 1-5 select per competency; blank ones are not rated."""

    SCORES = [("", "not rated now")] + [(str(i), str(i)) for i in range(1, 6)]

    def __init__(self, *args, competencies=(), roles=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for c in competencies:
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=c.name,
                choices=self.SCORES,
                coerce=int,
                required=False,
                empty_value=None,
                initial=current.get(c.pk),
            )
        if len(roles) > 1:
            self.fields["role"] = forms.ChoiceField(
                label="Rate as",
                choices=[(r, r.replace("_", " ")) for r in roles],
                help_text="You hold several roles; choose the one you rate as.",
            )
        self.competencies = list(competencies)

    def scores(self) -> list[tuple[Competency, int]]:
        return [
            (c, self.cleaned_data[f"score_{c.pk}"])
            for c in self.competencies
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        ]


class ActionForm(VersionedForm):
    owner = MemberChoiceField(label="Owner")

    class Meta:
        model = Action
        fields = [
            "competency",
            "kind",
            "title",
            "description",
            "owner",
            "team",
            "due_date",
            "status",
        ]
        widgets = {
            "due_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class MetricForm(VersionedForm):
    owner = MemberChoiceField(label="Owner")

    class Meta:
        model = SuccessMetric
        fields = [
            "name",
            "kind",
            "unit",
            "baseline",
            "target",
            "current",
            "direction",
            "owner",
        ]
        help_texts = {
            "current": "For NPS and CSAT the value computed from feedback scores "
            "is shown instead, when feedback carries such scores.",
        }


class ReadingForm(forms.Form):
    period = forms.DateField(label="Period", widget=DATE)
    value = forms.FloatField(label="Value")


class ActionNewQuery(forms.Form):
    """`/strategy/actions/new/?competency=ID`: the new action's competency."""

    competency = IdField()
