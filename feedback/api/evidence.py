"""The evidence check's API: GET /api/v1/evidence/?q=&exclude= (issue 20.6).

Who: every member (advisors too: the answer holds counts, texts and scores,
none of the hidden fields of cxplan.core.visibility); others 401/403.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cxplan.core.api.permissions import IsMember
from feedback.forms.evidence import EXCLUDE_MAX, PHRASE_ERROR, excluded_terms
from feedback.selectors.evidence import evidence_search


class EvidenceQuery(serializers.Serializer):
    q = serializers.CharField(
        min_length=2,
        max_length=200,
        trim_whitespace=True,
        help_text="The phrase customers would use, 2-200 characters.",
        error_messages={
            "blank": PHRASE_ERROR,
            "required": PHRASE_ERROR,
            "min_length": PHRASE_ERROR,
            "max_length": PHRASE_ERROR,
        },
    )
    exclude = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=EXCLUDE_MAX,
        help_text="Related terms to leave out (repeat it, or comma-separated).",
    )

    def validate_exclude(self, value):
        terms, error = excluded_terms(value)
        if error:
            raise serializers.ValidationError(error)
        return terms


class EvidenceView(APIView):
    """How many customers and items say a phrase, by exact words, stems or
    related words; each matched item with its kind and score (0..1)."""

    permission_classes = [IsMember]

    @extend_schema(parameters=[EvidenceQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = EvidenceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return Response(
            evidence_search(phrase=data["q"], exclude=data.get("exclude", set()))
        )
