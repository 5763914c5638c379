"""Deck pages."""

from django.urls import path

from deck import brand_views, views

urlpatterns = [
    path("decks/", views.deck_list, name="deck-list"),
    path("decks/build/", views.deck_build, name="deck-build"),
    path("decks/brand/", brand_views.brand_edit, name="deck-brand"),
    path("decks/<int:pk>/", views.deck_detail, name="deck-detail"),
    path("decks/<int:pk>/progress/", views.deck_progress, name="deck-progress"),
    path("decks/<int:pk>/<str:file_format>/", views.deck_file, name="deck-file"),
]
