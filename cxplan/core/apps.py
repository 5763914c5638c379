from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared base. Its label stays `cxplan` (the app it was split from), so
    its tables (`cxplan_auditevent`) and migration history are unchanged."""

    name = "cxplan.core"
    label = "cxplan"
    verbose_name = "CXPlan"

    def ready(self):
        from cxplan.core import token_revocation

        token_revocation.connect()
