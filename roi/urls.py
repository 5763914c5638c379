from django.urls import path

from roi import views

urlpatterns = [
    path("assumptions/", views.assumptions, name="assumptions"),
]
