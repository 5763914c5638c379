from django.apps import AppConfig


class CxplanConfig(AppConfig):
    name = "cxplan"
    verbose_name = "CXPlan"
