from django.apps import AppConfig


class DeckConfig(AppConfig):
    name = "deck"
    label = "deck"
    verbose_name = "Leadership deck"

    def ready(self):
        from cxplan.core.outbox import outbox_register
        from deck.sweeps import deck_sweep

        outbox_register("deck", deck_sweep)
