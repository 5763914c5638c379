from django.urls import path  # noqa: F401

urlpatterns: list = []

# Ideas and notifications (issue 6).
from rest_framework.routers import SimpleRouter  # noqa: E402

from feedback.api.ideas import IdeaViewSet  # noqa: E402
from feedback.api.notifications import NotificationViewSet  # noqa: E402

ideas_router = SimpleRouter()
ideas_router.register("ideas", IdeaViewSet, basename="api-idea")
ideas_router.register("notifications", NotificationViewSet, basename="api-notification")
urlpatterns += ideas_router.urls

# Ranking (issue 5).
from feedback.api import ranking as ranking_api  # noqa: E402

urlpatterns += [
    path("ranking/", ranking_api.RankingView.as_view(), name="api-ranking"),
    path(
        "ranking/snapshots/",
        ranking_api.SnapshotListView.as_view(),
        name="api-ranking-snapshots",
    ),
    path(
        "ranking/recompute/",
        ranking_api.RecomputeView.as_view(),
        name="api-ranking-recompute",
    ),
    path(
        "ranking/weights/",
        ranking_api.WeightsView.as_view(),
        name="api-ranking-weights",
    ),
    path("evidence/", ranking_api.EvidenceView.as_view(), name="api-evidence"),
]
