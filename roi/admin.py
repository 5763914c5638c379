from django.contrib import admin

from roi.models import AssumptionSet


@admin.register(AssumptionSet)
class AssumptionSetAdmin(admin.ModelAdmin):
    list_display = ("id", "is_current", "rate", "horizon", "gross_margin", "created_at")
