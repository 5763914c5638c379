from django.urls import path  # noqa: F401

urlpatterns: list = []

# Ideas and notifications (issue 6).
from feedback.views import ideas as idea_views  # noqa: E402
from feedback.views import notifications as notification_views  # noqa: E402

urlpatterns += [
    path("ideas/", idea_views.idea_list, name="idea-list"),
    path("ideas/mine/", idea_views.idea_mine, name="idea-mine"),
    path("ideas/new/", idea_views.idea_new, name="idea-new"),
    path(
        "ideas/suggest-themes",
        idea_views.idea_suggest_themes,
        name="idea-suggest-themes",
    ),
    path("ideas/<int:pk>/", idea_views.idea_detail, name="idea-detail"),
    path("ideas/<int:pk>/edit/", idea_views.idea_edit, name="idea-edit"),
    path("ideas/<int:pk>/vote", idea_views.idea_vote, name="idea-vote"),
    path("ideas/<int:pk>/comments", idea_views.idea_comment, name="idea-comment"),
    path("ideas/<int:pk>/status", idea_views.idea_status, name="idea-status"),
    path("ideas/<int:pk>/links", idea_views.idea_links, name="idea-links"),
    path("ideas/<int:pk>/merge", idea_views.idea_merge, name="idea-merge"),
    path(
        "notifications/",
        notification_views.notification_list,
        name="notification-list",
    ),
    path(
        "notifications/<int:pk>/open",
        notification_views.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/read-all",
        notification_views.notification_read_all,
        name="notification-read-all",
    ),
]

# Ranking (issue 5).
from feedback.views import ranking as ranking_views  # noqa: E402

urlpatterns += [
    path("ranking/", ranking_views.ranking_page, name="ranking"),
    path("ranking/status", ranking_views.ranking_status, name="ranking-status"),
    path(
        "ranking/recompute", ranking_views.ranking_recompute, name="ranking-recompute"
    ),
    path("ranking/weights", ranking_views.ranking_weights, name="ranking-weights"),
]
