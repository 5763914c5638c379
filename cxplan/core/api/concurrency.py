"""Optimistic concurrency for versioned records (a `version` integer field).

Reads answer an `ETag: "<version>"` header. A write may send `If-Match` (a stale
tag answers 412) or the `version` it read in the body (a stale one answers 409);
either way nothing is written. A successful write bumps the version.
"""

from rest_framework import status
from rest_framework.exceptions import APIException


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it; reload and try again."
    default_code = "precondition_failed"


class StaleEdit(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed since you read it; reload and try again."
    default_code = "stale"


def etag_for(obj) -> str:
    return f'"{obj.version}"'


def check_fresh(request, obj) -> None:
    """Raise 412/409 when the client's idea of `obj` is older than the stored one."""
    header = request.headers.get("If-Match")
    if header and header.strip() != "*":
        tags = {t.strip().removeprefix("W/") for t in header.split(",")}
        if etag_for(obj) not in tags:
            raise PreconditionFailed()
    sent = request.data.get("version") if hasattr(request.data, "get") else None
    if sent not in (None, ""):
        try:
            sent = int(sent)
        except (TypeError, ValueError):
            sent = -1
        if sent != obj.version:
            raise StaleEdit()
