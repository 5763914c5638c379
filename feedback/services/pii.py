"""The redaction settings, read in one place for every way feedback comes in.

`pii_region()` is what `feedback.intake.validation` takes as `pii_region`:
None when `CXPLAN_REDACT_PII` is off, else the phone region(s).
"""

from django.conf import settings

from feedback.intake.redaction import redact_errors


def pii_region() -> str | None:
    if not getattr(settings, "CXPLAN_REDACT_PII", True):
        return None
    return getattr(settings, "CXPLAN_PHONE_REGION", "US") or "US"


def errors_redact(errors: list[dict]) -> list[dict]:
    """Errors about to be stored, their messages without personal data."""
    region = pii_region()
    return errors if region is None else redact_errors(errors, region=region)
