"""One error shape for the API: 400 `{"errors": [{"field", "message", ...}]}`;
a database too busy to write answers 503 `{"detail"}` with Retry-After; a
throttled request 429 `{"errors"}` with Retry-After."""

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cxplan.core.busy import BUSY_MESSAGE, RETRY_AFTER_SECONDS, database_busy


class DatabaseBusy(exceptions.APIException):
    """503: the write could not get the database's lock in time; nothing was
    saved. DRF's handler turns `wait` into the Retry-After header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = BUSY_MESSAGE
    default_code = "database_busy"
    wait = RETRY_AFTER_SECONDS


def flatten_errors(detail, index=None, prefix="") -> list[dict]:
    """Turn DRF's nested error detail into a flat list of `{field, message}` dicts."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = key if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors":
                field = prefix or "non_field_errors"
            out.extend(flatten_errors(value, index=index, prefix=field))
    elif isinstance(detail, list):
        if detail and all(isinstance(d, dict) for d in detail) and not prefix:
            for i, item in enumerate(detail):
                out.extend(flatten_errors(item, index=i))
        else:
            for i, item in enumerate(detail):
                if isinstance(item, (dict, list)):
                    out.extend(
                        flatten_errors(item, index=index, prefix=f"{prefix}.{i}")
                    )
                else:
                    out.extend(flatten_errors(item, index=index, prefix=prefix))
    else:
        err = {"field": prefix or "non_field_errors", "message": str(detail)}
        if index is not None:
            err["index"] = index
        out.append(err)
    return out


def exception_handler(exc, context):
    if database_busy(exc):
        exc = DatabaseBusy()
    if isinstance(exc, OverflowError):
        # A number in the path or query too big for the database's integers.
        exc = exceptions.ValidationError(
            {"non_field_errors": ["A number in the request is out of range."]}
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        # 429 in the errors shape; DRF's handler already set Retry-After.
        wait = f" in {math.ceil(exc.wait)} seconds" if exc.wait else " later"
        response.data = {
            "errors": [
                {
                    "field": "non_field_errors",
                    "message": f"Too many requests of this kind; try again{wait}.",
                }
            ]
        }
        return response
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(response.data, dict) and "errors" in response.data:
            return response
        return Response(
            {"errors": flatten_errors(response.data)},
            status=status.HTTP_400_BAD_REQUEST,
            headers=getattr(response, "headers", None) and {},
        )
    return response
