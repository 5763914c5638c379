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
    path("evidence/", ranking_views.evidence, name="evidence"),
]

# Themes, the feedback list and the labelling queue (issue 4).
from feedback.views import feedback_list as feedback_list_views  # noqa: E402
from feedback.views import labelling as labelling_views  # noqa: E402
from feedback.views import themes as theme_views  # noqa: E402

urlpatterns += [
    path("feedback/", feedback_list_views.feedback_list, name="feedback-list"),
    path("feedback/label", feedback_list_views.feedback_label, name="feedback-label"),
    path("themes/", theme_views.theme_list, name="theme-list"),
    path("themes/new", theme_views.theme_create, name="theme-create"),
    path("themes/train", theme_views.theme_train, name="theme-train"),
    path("themes/discover", theme_views.theme_discover, name="theme-discover"),
    path(
        "themes/suggestions/<int:pk>/accept",
        theme_views.suggestion_accept,
        name="theme-suggestion-accept",
    ),
    path(
        "themes/suggestions/<int:pk>/dismiss",
        theme_views.suggestion_dismiss,
        name="theme-suggestion-dismiss",
    ),
    path("themes/queue/", labelling_views.theme_queue, name="theme-queue"),
    path(
        "themes/queue/<int:pk>/label",
        labelling_views.theme_queue_label,
        name="theme-queue-label",
    ),
    path(
        "themes/queue/<int:pk>/skip",
        labelling_views.theme_queue_skip,
        name="theme-queue-skip",
    ),
    path(
        "themes/queue/reset",
        labelling_views.theme_queue_reset,
        name="theme-queue-reset",
    ),
    path("themes/<int:pk>/", theme_views.theme_detail, name="theme-detail"),
    path("themes/<int:pk>/merge", theme_views.theme_merge, name="theme-merge"),
    path("themes/<int:pk>/archive", theme_views.theme_archive, name="theme-archive"),
    path("themes/<int:pk>/restore", theme_views.theme_restore, name="theme-restore"),
]

# Feedback intake: imports and the one-item form (issue 3).
from feedback.views import feedback_form as feedback_form_views  # noqa: E402
from feedback.views import imports as import_views  # noqa: E402

urlpatterns += [
    path("imports/", import_views.import_list, name="import-list"),
    path("imports/new/", import_views.import_new, name="import-new"),
    path("imports/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("feedback/new/", feedback_form_views.feedback_new, name="feedback-new"),
]
