"""/api/v1/ routes of initiatives (with decisions), funding and the portfolio."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from initiatives.api import decisions, funding, initiatives, portfolio

router = SimpleRouter()
router.register("initiatives", initiatives.InitiativeViewSet, basename="api-initiative")
router.register(
    "funding-sources", funding.FundingSourceViewSet, basename="api-funding-source"
)
router.register("allocations", funding.AllocationViewSet, basename="api-allocation")

urlpatterns = [
    re_path(
        r"^initiatives/(?P<pk>[0-9]+)/decide/?$",
        decisions.DecideView.as_view(),
        name="api-initiative-decide",
    ),
    path("decisions/", decisions.DecisionListView.as_view(), name="api-decisions"),
    path("funding/plan/", funding.FundingPlanView.as_view(), name="api-funding-plan"),
    path(
        "portfolio/optimize/",
        portfolio.OptimizeView.as_view(),
        name="api-portfolio-optimize",
    ),
    *router.urls,
]
