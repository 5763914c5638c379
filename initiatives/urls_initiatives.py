"""Pages of initiatives and their business case (issue 7)."""

from django.urls import path

from initiatives.views import initiatives

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
]
