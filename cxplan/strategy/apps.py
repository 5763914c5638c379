from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "cxplan.strategy"
    label = "strategy"
    verbose_name = "Strategy"
