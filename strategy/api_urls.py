"""/api/v1/strategy/...: the strategy, its steps, competencies, actions, metrics,
health check and benefits realisation."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from strategy.api import competencies, crud, reports, strategy

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("strategy/steps", strategy.StepViewSet, basename="strategy-step")
router.register(
    "strategy/competencies",
    competencies.CompetencyViewSet,
    basename="strategy-competency",
)
router.register("strategy/actions", crud.ActionViewSet, basename="strategy-action")
router.register("strategy/metrics", crud.MetricViewSet, basename="strategy-metric")

urlpatterns = [
    path("strategy/", strategy.StrategyView.as_view(), name="api-strategy"),
    path(
        "strategy/mission/",
        strategy.MissionListView.as_view(),
        name="api-strategy-mission",
    ),
    path("strategy/health/", reports.HealthView.as_view(), name="api-strategy-health"),
    path(
        "strategy/benefits/",
        reports.BenefitsView.as_view(),
        name="api-strategy-benefits",
    ),
    path("", include(router.urls)),
]
