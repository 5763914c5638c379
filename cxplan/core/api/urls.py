"""Every API route under /api/v1/; each app contributes its router or paths."""

from django.urls import include, path

from cxplan.core.api.auth import TokenView
from cxplan.core.api.tokens import ApiTokenDetailView, ApiTokenListView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", ApiTokenListView.as_view(), name="api-token-list"),
    path(
        "auth/tokens/<int:pk>/", ApiTokenDetailView.as_view(), name="api-token-detail"
    ),
    path("", include("feedback.api_urls")),
    path("", include("roi.api_urls")),
    path("", include("initiatives.api_urls")),
    path("", include("strategy.api_urls")),
    path("", include("deck.api_urls")),
]
