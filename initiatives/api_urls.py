"""/api/v1/ routes of initiatives (with decisions), funding, the portfolio, and an
idea's triage actions that take initiatives."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from initiatives.api import decisions, funding, idea_links, initiatives, portfolio

router = SimpleRouter()
router.register("initiatives", initiatives.InitiativeViewSet, basename="api-initiative")
router.register(
    "funding-sources", funding.FundingSourceViewSet, basename="api-funding-source"
)
router.register("allocations", funding.AllocationViewSet, basename="api-allocation")
# Only `ideas/{pk}/status/` and `ideas/{pk}/links/` (the viewset has no list or
# detail route); feedback.api_urls has the rest of `ideas`, with the same basename.
router.register("ideas", idea_links.IdeaTriageViewSet, basename="api-idea")

urlpatterns = [
    re_path(
        r"^initiatives/(?P<pk>[0-9]+)/decide/?$",
        decisions.DecideView.as_view(),
        name="api-initiative-decide",
    ),
    path("decisions/", decisions.DecisionListView.as_view(), name="api-decisions"),
    path(
        "decisions/<int:pk>/",
        decisions.DecisionDetailView.as_view(),
        name="api-decision-detail",
    ),
    path("funding/plan/", funding.FundingPlanView.as_view(), name="api-funding-plan"),
    path(
        "portfolio/optimize/",
        portfolio.OptimizeView.as_view(),
        name="api-portfolio-optimize",
    ),
    *router.urls,
]
