"""The theme model's language, and which items are read by the rules and model.

Items are themed by keyword rules and the model only in `theme_language()`
(`CXPLAN_THEME_LANGUAGE`, English by default) or when their language could not
be told (blank); items detected in another language are counted instead
(`feedback.selectors.coverage`).
"""

from django.conf import settings
from django.db.models import Q

from feedback.intake.language import languages_detect


def theme_language() -> str:
    return (getattr(settings, "CXPLAN_THEME_LANGUAGE", "en") or "en").lower()


def themable_languages() -> list[str]:
    """The `language` values the rules and the model read."""
    return ["", theme_language()]


def other_language_q(prefix: str = "") -> Q:
    """Items in a language the theme model does not read."""
    return ~Q(**{f"{prefix}language__in": themable_languages()})


def items_languages(texts) -> list[str]:
    """The language of each text to be stored (ISO 639-1, or "")."""
    return languages_detect(texts)
