"""The query strings of the initiatives API, parsed by
`cxplan.core.queries.query_params` (and named in the schema by `extend_schema`)."""

from rest_framework import serializers

from cxplan.core.queries import ID_MAX
from initiatives.models import Initiative


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class InitiativeListQuery(serializers.Serializer):
    # `sort` stays free text: the selector refuses an unknown one with the list.
    sort = serializers.CharField(required=False, max_length=40)
    status = serializers.ChoiceField(choices=Initiative.Status.choices, required=False)
    theme = _id(required=False)


class InitiativePrefillQuery(serializers.Serializer):
    theme = _id()


class DecisionListQuery(serializers.Serializer):
    initiative = _id(required=False)


class AllocationListQuery(serializers.Serializer):
    source = _id(required=False)
    initiative = _id(required=False)
    year = serializers.IntegerField(required=False, min_value=0, max_value=32767)
