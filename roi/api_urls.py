from django.urls import path

from roi.api import assumptions, evaluate

urlpatterns = [
    path("roi/evaluate/", evaluate.EvaluateView.as_view(), name="api-roi-evaluate"),
    path(
        "roi/assumptions/",
        assumptions.AssumptionsView.as_view(),
        name="api-roi-assumptions",
    ),
]
