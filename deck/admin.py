from django.contrib import admin

from deck.models import Deck


@admin.register(Deck)
class DeckAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "built_by", "created_at")
