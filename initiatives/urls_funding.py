"""Pages of funding and the executive review (issue 8)."""

from django.urls import path

from initiatives.views import funding, review

urlpatterns = [
    path("funding/", funding.funding_plan, name="funding-plan"),
    path("funding/sources/new/", funding.funding_source_new, name="funding-source-new"),
    path("funding/allocate/", funding.allocation_new, name="funding-allocate"),
    path("review/", review.review, name="review"),
    path("review/<int:pk>/decide/", review.review_decide, name="review-decide"),
]
