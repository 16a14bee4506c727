"""The provider's metadata documents and none of its endpoints."""
from django.urls import include, path

from oauth2_provider.urls import metadata_urlpatterns

urlpatterns = [path("", include((metadata_urlpatterns, "oauth2_provider")))]
