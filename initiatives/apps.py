from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        # Connects the recompute of cached business cases to assumption changes,
        # and the links to ideas to feedback's merges (signal receivers).
        from feedback.selectors.ideas import ideas_prefetch_register
        from initiatives.selectors.idea_links import idea_initiatives_prefetch
        from initiatives.services import idea_links, results  # noqa: F401

        # Feedback's idea pages and API show an idea's initiatives.
        ideas_prefetch_register("initiatives", idea_initiatives_prefetch)
