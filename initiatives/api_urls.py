from django.urls import path  # noqa: F401

urlpatterns: list = []

from initiatives.api_urls_funding import urlpatterns as funding_api_urls  # noqa: E402

urlpatterns += funding_api_urls

from initiatives.api_urls_initiatives import urlpatterns as initiative_api_urls  # noqa: E402

urlpatterns += initiative_api_urls
