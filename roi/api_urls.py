from django.urls import path

from roi import api

urlpatterns = [
    path("roi/evaluate/", api.EvaluateView.as_view(), name="api-roi-evaluate"),
    path("roi/assumptions/", api.AssumptionsView.as_view(), name="api-roi-assumptions"),
]
