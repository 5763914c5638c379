from django.contrib import admin

from initiatives import models


class CostLineInline(admin.TabularInline):
    model = models.CostLine
    extra = 0


class BenefitDriverInline(admin.TabularInline):
    model = models.BenefitDriver
    extra = 0


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "owner", "npv", "roi", "payback_months")
    list_filter = ("status",)
    search_fields = ("title", "problem")
    inlines = [CostLineInline, BenefitDriverInline]
    filter_horizontal = ("themes", "ideas")


class FundingAmountInline(admin.TabularInline):
    model = models.FundingAmount
    extra = 0


@admin.register(models.FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "savings_of")
    inlines = [FundingAmountInline]


admin.site.register(models.Decision)
admin.site.register(models.Allocation)
