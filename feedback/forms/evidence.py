"""The evidence check's inputs, for the page and the API alike."""

PHRASE_ERROR = "Give a phrase of 2 to 200 characters."
EXCLUDE_MAX = 20
TERM_MAX = 60


def excluded_terms(values) -> tuple[frozenset[str], str]:
    """The related terms to leave out, from repeated or comma-separated
    values, lower-cased; and an error message when there are too many or one
    is too long."""
    terms = {
        part.strip().lower()
        for value in values
        for part in str(value).split(",")
        if part.strip()
    }
    if len(terms) > EXCLUDE_MAX:
        return frozenset(), f"Leave out at most {EXCLUDE_MAX} terms."
    if any(len(term) > TERM_MAX for term in terms):
        return frozenset(), f"A term has at most {TERM_MAX} characters."
    return frozenset(terms), ""


def phrase_error(phrase: str) -> str:
    return "" if 2 <= len(phrase) <= 200 else PHRASE_ERROR
