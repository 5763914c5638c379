"""Personal data out of free text: e-mail addresses, phone numbers, card numbers.

`redact(text)` returns the text with each found replaced by a placeholder
(`[email]`, `[phone]`, `[card]`) and how many of each it replaced. Pure: the
phone region is the caller's (a setting), never read here.

- E-mail: a local part, `@`, and a dotted domain ending in a 2-63 letter
  top-level label (RFC 5322's common shape; quoted local parts and
  apostrophes are left out, so a quoted value keeps its quotes).
- Card: 13 to 19 digits, in one run or grouped by single spaces or dashes,
  whose Luhn checksum holds; a run that fails the checksum is kept.
- Phone: Google's `phonenumbers` matcher. Numbers written for `regions`
  (national formats) must be valid there; a number written with `+` and a
  country code need only have a possible length for that country, so
  fictional-range numbers (UK 07700 900xxx) count too.

Cheap pre-checks keep the slow matcher off most texts: only a text with seven
digits close together (a phone-like run) goes to it.
"""

import re

import phonenumbers
from phonenumbers import Leniency

KINDS = ("email", "phone", "card")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w!#$%&*+/=?^{|}~-]+(?:\.[\w!#$%&*+/=?^{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b"
)
_CARD = re.compile(r"(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d])")
# Seven digits with at most four separators between neighbours.
_PHONE_LIKE = re.compile(r"\d(?:[\s().\-/]{0,4}\d){6}")
_INTERNATIONAL = re.compile(r"\+\s?\d")


def zero_counts() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum: double every second digit from the right, sum, mod 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _cards(text: str, counts: dict) -> str:
    def replace(match: re.Match) -> str:
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            counts["card"] += 1
            return PLACEHOLDERS["card"]
        return match.group()

    return _CARD.sub(replace, text)


def _phone_spans(text: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = set()
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            spans.add((match.start, match.end))
    if _INTERNATIONAL.search(text):
        lenient = phonenumbers.PhoneNumberMatcher(
            text, regions[0] if regions else "US", leniency=Leniency.POSSIBLE
        )
        for match in lenient:
            if match.raw_string.lstrip().startswith("+"):
                spans.add((match.start, match.end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _phones(text: str, regions: tuple[str, ...], counts: dict) -> str:
    if not _PHONE_LIKE.search(text):
        return text
    spans = _phone_spans(text, regions)
    if not spans:
        return text
    counts["phone"] += len(spans)
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(PLACEHOLDERS["phone"])
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _regions(region: str | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(region, str):
        region = region.split(",")
    return tuple(r.strip().upper() for r in region if r.strip())


def redact(
    text: str, *, region: str | tuple[str, ...] = "US", counts: dict | None = None
) -> tuple[str, dict[str, int]]:
    """`(text with placeholders, {"email", "phone", "card"} counts)`.

    `region`: where national phone formats are read ("US", or "US,GB" for
    several). Pass `counts` to add to a running total (it is returned).
    """
    counts = zero_counts() if counts is None else counts
    if not text:
        return text, counts
    regions = _regions(region)
    if "@" in text:

        def email(match: re.Match) -> str:
            counts["email"] += 1
            return PLACEHOLDERS["email"]

        text = _EMAIL.sub(email, text)
    text = _cards(text, counts)
    return _phones(text, regions, counts), counts


def redact_many(
    texts, *, region: str | tuple[str, ...] = "US"
) -> tuple[list[str], dict[str, int]]:
    """Redact each text of an iterable; one total of counts for them all.
    Each distinct text is read once (feedback repeats itself)."""
    counts = zero_counts()
    regions = _regions(region)
    seen: dict[str, tuple[str, dict]] = {}
    out = []
    for text in texts:
        if text not in seen:
            seen[text] = redact(text, region=regions)
        clean, found = seen[text]
        for kind, n in found.items():
            counts[kind] += n
        out.append(clean)
    return out, counts


def redact_json(values: list, region: str | tuple[str, ...], counts: dict) -> list:
    """Each JSON value (dicts, lists, strings) with its strings redacted; the
    counts are added to `counts`."""
    regions = _regions(region)

    def walk(value):
        if isinstance(value, str):
            return redact(value, region=regions, counts=counts)[0]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return [walk(value) for value in values]


def redact_errors(
    errors: list[dict], *, region: str | tuple[str, ...] = "US"
) -> list[dict]:
    """The errors with personal data taken out of their messages (values quoted)."""
    regions = _regions(region)
    out = []
    for error in errors:
        message = error.get("message")
        if isinstance(message, str) and message:
            error = {**error, "message": redact(message, region=regions)[0]}
        out.append(error)
    return out
