"""Serializers of the theme-model API: the applied model and the candidate,
their measured quality, the candidate's diff and the top three after."""

from rest_framework import serializers

from feedback.models import ThemeModelVersion


class ThemeQualitySerializer(serializers.Serializer):
    theme = serializers.IntegerField()
    name = serializers.CharField()
    labels = serializers.IntegerField()
    precision = serializers.FloatField(
        allow_null=True, help_text="Null when the model never assigns the theme."
    )
    recall = serializers.FloatField(allow_null=True)
    f1 = serializers.FloatField()


class LabelsSerializer(serializers.Serializer):
    theme = serializers.IntegerField()
    name = serializers.CharField()
    labels = serializers.IntegerField()


class DiffThemeSerializer(serializers.Serializer):
    theme = serializers.IntegerField()
    name = serializers.CharField()
    gain = serializers.IntegerField(help_text="Items that would gain the theme.")
    lose = serializers.IntegerField(help_text="Items that would lose the theme.")


class DiffSerializer(serializers.Serializer):
    items_changed = serializers.IntegerField()
    themes = DiffThemeSerializer(many=True)


class ModelVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ThemeModelVersion.Status.choices)
    state = serializers.ChoiceField(choices=ThemeModelVersion.State.choices)
    trained_at = serializers.DateTimeField(allow_null=True)
    macro_f1 = serializers.FloatField(
        allow_null=True, help_text="Cross-validated macro-F1 (0..1)."
    )
    macro_f1_ci = serializers.ListField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="95% bootstrap interval [low, high] of the macro-F1.",
    )
    per_theme = ThemeQualitySerializer(many=True)
    label_counts = LabelsSerializer(many=True)
    diff = DiffSerializer(help_text="Against the model applied when it was trained.")
    top_three_before = serializers.ListField(child=serializers.IntegerField())
    top_three_after = serializers.ListField(child=serializers.IntegerField())
    can_accept = serializers.BooleanField()
    reason = serializers.CharField(
        help_text="Why it cannot be accepted, or why it waits for a CX lead."
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())


class ModelOverviewSerializer(serializers.Serializer):
    applied = ModelVersionSerializer(allow_null=True)
    candidate = ModelVersionSerializer(allow_null=True)
    latest_failed = serializers.CharField()
    training = serializers.BooleanField()
    labelled_items = serializers.IntegerField()
    auto_accept = serializers.BooleanField()
    auto_accept_min_labels = serializers.IntegerField()


class ModelVersionChoice(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
