from django.urls import path  # noqa: F401

urlpatterns: list = []

from initiatives.urls_funding import urlpatterns as funding_urls  # noqa: E402

urlpatterns += funding_urls

from initiatives.urls_initiatives import urlpatterns as initiative_urls  # noqa: E402

urlpatterns += initiative_urls
