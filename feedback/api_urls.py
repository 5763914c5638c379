"""/api/v1/ routes of feedback: items and labels, imports, customers, themes, the
ranking and evidence, ideas and notifications."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from feedback.api import (
    alerts,
    customers,
    drivers,
    evidence,
    feedback,
    ideas,
    imports,
    notifications,
    ranking,
    themes,
)

router = SimpleRouter()
router.register("feedback", feedback.FeedbackViewSet, basename="api-feedback")
router.register("imports", imports.ImportViewSet, basename="api-import")
router.register("customers", customers.CustomerViewSet, basename="api-customer")
router.register(
    "themes/suggestions", themes.SuggestionViewSet, basename="api-theme-suggestion"
)
router.register("themes", themes.ThemeViewSet, basename="api-theme")
# An idea's `status` and `links` (they take initiatives): initiatives.api_urls.
router.register("ideas", ideas.IdeaViewSet, basename="api-idea")
router.register(
    "notifications", notifications.NotificationViewSet, basename="api-notification"
)

urlpatterns = [
    # Before the router, whose `feedback/<pk>/` would otherwise take `labels`.
    path(
        "feedback/labels/",
        themes.FeedbackLabelsView.as_view(),
        name="api-feedback-labels",
    ),
    path(
        "feedback/<int:pk>/themes/",
        themes.FeedbackThemesView.as_view(),
        name="api-feedback-themes",
    ),
    path("ranking/", ranking.RankingView.as_view(), name="api-ranking"),
    path("drivers/", drivers.DriversView.as_view(), name="api-drivers"),
    path("alerts/", alerts.AlertListView.as_view(), name="api-alert-list"),
    path(
        "alerts/recompute/",
        alerts.AlertRecomputeView.as_view(),
        name="api-alert-recompute",
    ),
    path(
        "alerts/<int:pk>/dismiss/",
        alerts.AlertDismissView.as_view(),
        name="api-alert-dismiss",
    ),
    path(
        "ranking/snapshots/",
        ranking.SnapshotListView.as_view(),
        name="api-ranking-snapshots",
    ),
    path(
        "ranking/recompute/",
        ranking.RecomputeView.as_view(),
        name="api-ranking-recompute",
    ),
    path("ranking/weights/", ranking.WeightsView.as_view(), name="api-ranking-weights"),
    path("evidence/", evidence.EvidenceView.as_view(), name="api-evidence"),
    path(
        "imports/<int:pk>/errors.csv",
        imports.ImportErrorsCsvView.as_view(),
        name="api-import-errors-csv",
    ),
    *router.urls,
]
