from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        from cxplan.core.outbox import outbox_register
        from feedback.sweeps import feedback_sweep

        outbox_register("feedback", feedback_sweep)
