from django.contrib import admin

from feedback import models


@admin.register(models.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("external_id", "name", "segment", "annual_revenue")
    search_fields = ("external_id", "name")
    list_filter = ("segment",)


@admin.register(models.FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ("id", "created", "channel", "polarity", "source", "short_text")
    list_filter = ("channel", "polarity", "score_type")
    search_fields = ("text", "external_id")
    raw_id_fields = ("customer", "batch", "created_by")
    list_select_related = ("customer",)

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "source", "original_name", "status", "progress", "created_at")
    list_filter = ("status",)


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "merged_into")
    search_fields = ("name",)


@admin.register(models.ThemeAssignment)
class ThemeAssignmentAdmin(admin.ModelAdmin):
    list_display = ("item", "theme", "method", "confidence")
    list_filter = ("method", "theme")
    raw_id_fields = ("item",)


@admin.register(models.Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "author", "vote_count", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "body")


admin.site.register(models.Vote)
admin.site.register(models.IdeaComment)
admin.site.register(models.Notification)
admin.site.register(models.SourceMapping)
admin.site.register(models.ThemeModelVersion)
admin.site.register(models.ThemeSuggestion)
admin.site.register(models.RankingState)
admin.site.register(models.RankingSnapshot)
