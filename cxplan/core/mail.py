"""One sanitiser for every e-mail header value we build from user text."""

import unicodedata

# RFC 5322 advises 78 characters a line; a subject a little longer is still read
# whole in every client, and anything past this is noise from a long title.
HEADER_MAX = 150

# Format characters (Cf) stay: zero-width joiners hold emoji together and break
# no header; only what a mail parser could read as a line end or control goes.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def header_value_clean(value: object, *, max_length: int = HEADER_MAX) -> str:
    """Return `value` as a safe one-line header value of at most `max_length`.

    CR, LF and every other control or line-separator character (Unicode
    categories Cc, Zl, Zp: tabs, NUL, NEL, U+2028 and friends) become a space,
    runs of spaces collapse to one and the ends are stripped, so a title such as
    "A\\r\\nBcc: x@evil" stays one header and adds none. A value longer than
    `max_length` is cut and ends with an ellipsis.
    """
    text = "".join(
        " " if unicodedata.category(char) in _BREAKING else char for char in str(value)
    )
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text
