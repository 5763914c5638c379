"""Every API route under /api/v1/; each app contributes its router or paths."""

from django.urls import include, path

from cxplan.core.api.auth import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("feedback.api_urls")),
    path("", include("roi.api_urls")),
    path("", include("initiatives.api_urls")),
    path("", include("strategy.api_urls")),
    path("", include("deck.api_urls")),
]
