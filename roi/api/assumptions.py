"""`roi/assumptions/`: read the current ROI assumptions; CX leads save a new set."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.concurrency import PreconditionFailed
from cxplan.core.api.permissions import MembersReadCxLeadWrite
from roi.api.serializers import AssumptionsSerializer
from roi.selectors import assumptions_as_dict, assumptions_current
from roi.services import assumptions_set


def _etag(data: dict) -> str:
    return f'"{data["id"] or 0}"'


class AssumptionsView(APIView):
    """The current assumptions. PUT (CX leads) saves a new current set; fields
    left out keep their value. `If-Match` with the ETag read refuses a stale edit
    (412)."""

    permission_classes = [MembersReadCxLeadWrite]

    @extend_schema(
        operation_id="roi_assumptions_read", responses={200: AssumptionsSerializer}
    )
    def get(self, request):
        data = assumptions_as_dict(assumptions_current())
        return Response(data, headers={"ETag": _etag(data)})

    @extend_schema(
        operation_id="roi_assumptions_update",
        request=AssumptionsSerializer,
        responses={200: AssumptionsSerializer},
    )
    def put(self, request):
        serializer = AssumptionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        header = request.headers.get("If-Match", "").strip()
        if header and header != "*":
            current = assumptions_as_dict(assumptions_current())
            if header.removeprefix("W/") != _etag(current):
                raise PreconditionFailed()
        values = dict(serializer.validated_data)
        note = values.pop("note", "")
        try:
            saved = assumptions_set(actor=request.user, note=note, **values)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        data = assumptions_as_dict(saved)
        return Response(data, headers={"ETag": _etag(data)})
