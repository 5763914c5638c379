from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    label = "strategy"
    verbose_name = "Strategy"
