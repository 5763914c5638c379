"""Feedback pages: intake, the feedback list and labels, themes, the ranking and
evidence, ideas and notifications."""

from django.urls import path

from feedback.views import (
    alerts,
    drivers,
    evidence,
    feedback_form,
    feedback_list,
    ideas,
    imports,
    labelling,
    notifications,
    ranking,
    theme_models,
    themes,
)

urlpatterns = [
    # Intake: imports and the one-item form.
    path("imports/", imports.import_list, name="import-list"),
    path("imports/new/", imports.import_new, name="import-new"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("feedback/new/", feedback_form.feedback_new, name="feedback-new"),
    # The feedback list and manual labels.
    path("feedback/", feedback_list.feedback_list, name="feedback-list"),
    path("feedback/label", feedback_list.feedback_label, name="feedback-label"),
    # Themes and the labelling queue.
    path("themes/", themes.theme_list, name="theme-list"),
    path("themes/new", themes.theme_create, name="theme-create"),
    path("themes/train", themes.theme_train, name="theme-train"),
    path("themes/model/", theme_models.theme_model_page, name="theme-model"),
    path(
        "themes/model/accept",
        theme_models.theme_model_accept,
        name="theme-model-accept",
    ),
    path(
        "themes/model/discard",
        theme_models.theme_model_discard,
        name="theme-model-discard",
    ),
    path("themes/discover", themes.theme_discover, name="theme-discover"),
    path(
        "themes/suggestions/<int:pk>/accept",
        themes.suggestion_accept,
        name="theme-suggestion-accept",
    ),
    path(
        "themes/suggestions/<int:pk>/dismiss",
        themes.suggestion_dismiss,
        name="theme-suggestion-dismiss",
    ),
    path("themes/queue/", labelling.theme_queue, name="theme-queue"),
    path(
        "themes/queue/<int:pk>/label",
        labelling.theme_queue_label,
        name="theme-queue-label",
    ),
    path(
        "themes/queue/<int:pk>/skip",
        labelling.theme_queue_skip,
        name="theme-queue-skip",
    ),
    path("themes/queue/reset", labelling.theme_queue_reset, name="theme-queue-reset"),
    path("themes/<int:pk>/", themes.theme_detail, name="theme-detail"),
    path("themes/<int:pk>/merge", themes.theme_merge, name="theme-merge"),
    path("themes/<int:pk>/archive", themes.theme_archive, name="theme-archive"),
    path("themes/<int:pk>/restore", themes.theme_restore, name="theme-restore"),
    # The ranking and the evidence search.
    path("ranking/", ranking.ranking_page, name="ranking"),
    path("alerts/", alerts.alert_list, name="alert-list"),
    path("drivers/", drivers.drivers_page, name="drivers"),
    path("alerts/<int:pk>/dismiss", alerts.alert_dismiss, name="alert-dismiss"),
    path("ranking/status", ranking.ranking_status, name="ranking-status"),
    path("ranking/recompute", ranking.ranking_recompute, name="ranking-recompute"),
    path("ranking/weights", ranking.ranking_weights, name="ranking-weights"),
    path("evidence/", evidence.evidence, name="evidence"),
    # Ideas and notifications (an idea's status and links: initiatives.urls).
    path("ideas/", ideas.idea_list, name="idea-list"),
    path("ideas/mine/", ideas.idea_mine, name="idea-mine"),
    path("ideas/new/", ideas.idea_new, name="idea-new"),
    path("ideas/suggest-themes", ideas.idea_suggest_themes, name="idea-suggest-themes"),
    path("ideas/<int:pk>/", ideas.idea_detail, name="idea-detail"),
    path("ideas/<int:pk>/edit/", ideas.idea_edit, name="idea-edit"),
    path("ideas/<int:pk>/vote", ideas.idea_vote, name="idea-vote"),
    path("ideas/<int:pk>/comments", ideas.idea_comment, name="idea-comment"),
    path("ideas/<int:pk>/merge", ideas.idea_merge, name="idea-merge"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path(
        "notifications/<int:pk>/open",
        notifications.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/read-all",
        notifications.notification_read_all,
        name="notification-read-all",
    ),
]
