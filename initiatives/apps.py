from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        # Connects the recompute of cached business cases to assumption changes,
        # and the links to ideas to feedback's merges (signal receivers).
        from cxplan.core.outbox import outbox_register
        from feedback.selectors.ideas import ideas_prefetch_register
        from initiatives.selectors.idea_links import idea_initiatives_prefetch
        from initiatives.services import idea_links, results  # noqa: F401
        from initiatives.sweeps import initiatives_sweep

        # Feedback's idea pages and API show an idea's initiatives.
        ideas_prefetch_register("initiatives", idea_initiatives_prefetch)
        # Business cases left on an old assumption set are re-sent by the sweep.
        outbox_register("initiatives", initiatives_sweep)
