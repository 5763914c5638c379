from django.contrib import admin

from strategy import models

admin.site.register(models.Strategy)
admin.site.register(models.MissionVersion)
admin.site.register(models.StrategyStep)
admin.site.register(models.Competency)
admin.site.register(models.CompetencyRating)
admin.site.register(models.Action)
admin.site.register(models.SuccessMetric)
admin.site.register(models.MetricReading)
