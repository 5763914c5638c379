from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The wiring: no models, only the `seed_demo` command that loads the demo."""

    name = "cxplan"
    label = "site"
    verbose_name = "CXPlan site"
