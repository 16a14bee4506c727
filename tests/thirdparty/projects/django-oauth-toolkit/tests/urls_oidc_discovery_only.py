"""OpenID Connect discovery alone: the endpoints it names cannot be reversed."""
from django.urls import include, re_path

from oauth2_provider.views import ConnectDiscoveryInfoView

urlpatterns = [
    re_path(r"", include(([
        re_path(r"^\.well-known/openid-configuration/?$", ConnectDiscoveryInfoView.as_view(),
                name="oidc-connect-discovery-info"),
    ], "oauth2_provider"))),
]
