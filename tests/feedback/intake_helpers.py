"""Helpers shared by the intake tests: small CSV files written in the tests."""

import pytest

HEADER = "external_id,text,created,channel,score,score_type,customer_id,segment"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


GOOD_ROWS = (
    "a1,The app crashes when I pay,2026-10-01,survey,3,nps,C1,smb",
    "a2,Lovely support team,2026-10-02,chat,10,nps,C2,enterprise",
    "a3,Delivery took three weeks,2026-10-03,ticket,,,C1,smb",
)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
