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

# Themes and manual labels (issue 4). Inserted first, so that no `feedback/<pk>/`
# route registered by another block can shadow `feedback/labels/`.
from django.urls import path as themes_path  # noqa: E402
from rest_framework.routers import SimpleRouter as ThemesRouter  # noqa: E402

from feedback.api.themes import (  # noqa: E402
    FeedbackLabelsView,
    FeedbackThemesView,
    SuggestionViewSet,
    ThemeViewSet,
)

themes_router = ThemesRouter()
themes_router.register(
    "themes/suggestions", SuggestionViewSet, basename="api-theme-suggestion"
)
themes_router.register("themes", ThemeViewSet, basename="api-theme")
urlpatterns[0:0] = [
    themes_path(
        "feedback/<int:pk>/themes/",
        FeedbackThemesView.as_view(),
        name="api-feedback-themes",
    ),
    themes_path(
        "feedback/labels/", FeedbackLabelsView.as_view(), name="api-feedback-labels"
    ),
    *themes_router.urls,
]

# Feedback intake: items, imports, customers (issue 3).
from feedback.api.customers import CustomerViewSet  # noqa: E402
from feedback.api.feedback import FeedbackViewSet  # noqa: E402
from feedback.api.imports import ImportViewSet  # noqa: E402

intake_router = SimpleRouter()
intake_router.register("feedback", FeedbackViewSet, basename="api-feedback")
intake_router.register("imports", ImportViewSet, basename="api-import")
intake_router.register("customers", CustomerViewSet, basename="api-customer")
urlpatterns += intake_router.urls
