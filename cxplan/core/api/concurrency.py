"""Optimistic concurrency for versioned records (a `version` integer field).

Reads answer an `ETag: "<version>"` header. A write may send `If-Match` (a stale
tag answers 412) or the `version` it read in the body (a stale one answers 409);
either way nothing is written. A successful write bumps the version.
"""

from django.db.models import F
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


def bump_version(obj) -> None:
    """Increment the stored version atomically and refresh it on the instance."""
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


class VersionedMixin:
    """For ModelViewSets: ETag on retrieve, freshness check and bump on update."""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def perform_update(self, serializer):
        check_fresh(self.request, serializer.instance)
        instance = serializer.save()
        bump_version(instance)
        self.response_etag = etag_for(instance)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        if getattr(self, "response_etag", None):
            response["ETag"] = self.response_etag
        return response
