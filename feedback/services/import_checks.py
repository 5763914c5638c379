"""Checks an upload passes before it is stored: its size and its header's width."""

from django.conf import settings

from feedback.intake.reading import HEADER_SCAN_BYTES, check_width


class UploadTooLarge(Exception):
    """The file is over `settings.FEEDBACK_UPLOAD_MAX_BYTES` (HTTP 413)."""

    def __init__(self, size: int, cap: int):
        self.size, self.cap = size, cap
        super().__init__(
            f"The file is {size / 1_048_576:.1f} MB; the limit is "
            f"{cap / 1_048_576:.0f} MB. Split it and upload the parts."
        )


def upload_cap() -> int:
    return int(settings.FEEDBACK_UPLOAD_MAX_BYTES)


def upload_check_size(*, size: int) -> None:
    """Raise `UploadTooLarge` for a file over the cap."""
    cap = upload_cap()
    if size > cap:
        raise UploadTooLarge(size, cap)


def columns_cap() -> int:
    return int(settings.CXPLAN_IMPORT_MAX_COLUMNS)


def upload_check_columns(*, file) -> None:
    """Raise `TooManyColumns` for an upload (a file object or bytes) whose
    header is wider than `CXPLAN_IMPORT_MAX_COLUMNS`; reads its first bytes
    only and puts a file back at its start."""
    if isinstance(file, bytes):
        check_width(file, max_columns=columns_cap())
        return
    file.seek(0)
    head = file.read(HEADER_SCAN_BYTES)
    file.seek(0)
    check_width(head, max_columns=columns_cap())
