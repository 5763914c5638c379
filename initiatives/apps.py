from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        # Connects the recompute of cached business cases to assumption changes.
        from initiatives.services import results  # noqa: F401
