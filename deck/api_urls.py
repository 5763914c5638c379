"""/api/v1/decks/...: list and detail, `build` (POST, 202) and files per format."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from deck import api

router = SimpleRouter(trailing_slash=True)
router.register("decks", api.DeckViewSet, basename="api-deck")

urlpatterns = [
    path("decks/build/", api.DeckBuildView.as_view(), name="api-deck-build"),
    path(
        "decks/<int:pk>/<str:file_format>/",
        api.DeckFileView.as_view(),
        name="api-deck-file",
    ),
    path("", include(router.urls)),
]
