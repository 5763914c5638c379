"""The triage form's links of an idea: feedback's themes plus the initiatives,
whose field lives here because this app owns those links."""

from django import forms

from feedback.forms.ideas import LinksForm
from initiatives.selectors.idea_links import idea_initiative_choices


class IdeaLinksForm(LinksForm):
    initiatives = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Initiatives",
        help_text="To ship an idea, first link the initiative that delivers it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].queryset = idea_initiative_choices()
