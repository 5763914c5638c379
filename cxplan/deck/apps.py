from django.apps import AppConfig


class DeckConfig(AppConfig):
    name = "cxplan.deck"
    label = "deck"
    verbose_name = "Leadership deck"
