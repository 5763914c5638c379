"""The root URL conf: the site's own routes, then each app's pages and its API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cxplan.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("cxplan.core.urls")),
    path("api/v1/", include("cxplan.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"
    ),
    path("", include("feedback.urls")),
    path("", include("roi.urls")),
    path("", include("initiatives.urls")),
    path("", include("strategy.urls")),
    path("", include("deck.urls")),
]

# A refused query string (cxplan.core.queries.BadQuery) names its fields.
handler400 = "cxplan.core.queries.bad_request"
