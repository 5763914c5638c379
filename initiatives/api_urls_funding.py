"""API routes of funding, decisions and the portfolio optimiser (issue 8)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from initiatives.api import decisions, funding, portfolio

router = SimpleRouter()
router.register(
    "funding-sources", funding.FundingSourceViewSet, basename="api-funding-source"
)
router.register("allocations", funding.AllocationViewSet, basename="api-allocation")

urlpatterns = [
    *router.urls,
    path("funding/plan/", funding.FundingPlanView.as_view(), name="api-funding-plan"),
    re_path(
        r"^initiatives/(?P<pk>[0-9]+)/decide/?$",
        decisions.DecideView.as_view(),
        name="api-initiative-decide",
    ),
    path("decisions/", decisions.DecisionListView.as_view(), name="api-decisions"),
    path(
        "portfolio/optimize/",
        portfolio.OptimizeView.as_view(),
        name="api-portfolio-optimize",
    ),
]
