"""Strategy pages: the board and its edit forms, the health check."""

from django.urls import path

from strategy import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("strategy/", views.strategy_page, name="strategy"),
    path("strategy/health/", views.health_page, name="strategy-health"),
    path("strategy/edit/", views.strategy_edit, name="strategy-edit"),
    path("strategy/mission/", views.mission_add, name="strategy-mission"),
    path("strategy/steps/<int:pk>/", views.step_edit, name="strategy-step-edit"),
    path(
        "strategy/steps/<int:pk>/sign-off/",
        views.step_sign_off,
        name="strategy-step-sign-off",
    ),
    path("strategy/rate/", views.rate, name="strategy-rate"),
    path("strategy/actions/new/", views.action_edit, name="strategy-action-new"),
    path("strategy/actions/<int:pk>/", views.action_edit, name="strategy-action-edit"),
    path(
        "strategy/actions/<int:pk>/delete/",
        views.action_delete,
        name="strategy-action-delete",
    ),
    path("strategy/metrics/new/", views.metric_edit, name="strategy-metric-new"),
    path("strategy/metrics/<int:pk>/", views.metric_edit, name="strategy-metric-edit"),
    path(
        "strategy/metrics/<int:pk>/delete/",
        views.metric_delete,
        name="strategy-metric-delete",
    ),
    path(
        "strategy/metrics/<int:pk>/readings/",
        views.metric_reading,
        name="strategy-metric-reading",
    ),
]
