"""`{% idea_initiatives_field idea %}`: the initiatives field of an idea's triage
form, rendered on feedback's idea page by the app that owns those links."""

from django import template

from initiatives.forms.idea_links import IdeaLinksForm

register = template.Library()


@register.inclusion_tag("ideas/_field.html")
def idea_initiatives_field(idea) -> dict:
    """The context of ideas/_field.html for the initiatives linked to `idea`
    (prefetched by the idea selectors), preselected."""
    form = IdeaLinksForm(
        initial={"initiatives": [i.pk for i in idea.initiatives.all()]}
    )
    return {"field": form["initiatives"]}
