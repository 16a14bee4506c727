"""The provider under /o/, its RFC 8414 and RFC 9728 metadata also at the root."""
from django.urls import include, path

from oauth2_provider.urls import metadata_urlpatterns

urlpatterns = [
    path("o/", include("oauth2_provider.urls")),
    path("", include((metadata_urlpatterns, "oauth2_provider"))),
]
