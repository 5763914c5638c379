"""API routes of initiatives and their business case (issue 7)."""

from rest_framework.routers import SimpleRouter

from initiatives.api import initiatives

router = SimpleRouter()
router.register("initiatives", initiatives.InitiativeViewSet, basename="api-initiative")

urlpatterns = [*router.urls]
