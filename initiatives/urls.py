"""Pages of initiatives and their business case, funding and the executive review,
and the triage posts of an idea that take initiatives."""

from django.urls import path

from initiatives.views import funding, idea_links, initiatives, review

urlpatterns = [
    path("initiatives/", initiatives.initiative_list, name="initiative-list"),
    path("initiatives/new/", initiatives.initiative_new, name="initiative-new"),
    path(
        "initiatives/compare/",
        initiatives.initiative_compare,
        name="initiative-compare",
    ),
    path(
        "initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"
    ),
    path(
        "initiatives/<int:pk>/edit/",
        initiatives.initiative_edit,
        name="initiative-edit",
    ),
    path("funding/", funding.funding_plan, name="funding-plan"),
    path("funding/sources/new/", funding.funding_source_new, name="funding-source-new"),
    path("funding/allocate/", funding.allocation_new, name="funding-allocate"),
    path("review/", review.review, name="review"),
    path("review/<int:pk>/decide/", review.review_decide, name="review-decide"),
    # The triage posts of an idea page (feedback's) that take initiatives.
    path("ideas/<int:pk>/status", idea_links.idea_status, name="idea-status"),
    path("ideas/<int:pk>/links", idea_links.idea_links, name="idea-links"),
]
