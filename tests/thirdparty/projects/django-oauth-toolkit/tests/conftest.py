"""
The fixtures django-oauth-toolkit's suite uses, written for scripts/thirdparty
from what its tests expect of them.

``oauth2_settings`` gives a test the provider's live settings object
(``oauth2_provider.settings.oauth2_settings``) with the settings of the
closest ``@pytest.mark.oauth2_settings(dict)`` marker, and on a unittest
class sets it as ``self.oauth2_settings``; what a test assigns to it lasts
until the test ends. The OpenID Connect fixtures get their tokens through
the provider's own authorization and token endpoints.
"""
import json
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jwt

from oauth2_provider.models import get_application_model, get_id_token_model
from oauth2_provider.settings import oauth2_settings as live_settings

from . import presets

CLEARTEXT_SECRET = "1234567890abcdefghijklmnopqrstuvwxyz"
_BASELINE = {name: live_settings.__dict__[name] for name in ("defaults", "import_strings", "mandatory")}


def _reset():
    """Forget every cached or assigned setting: the next read goes to Django's settings."""
    live_settings.__dict__.clear()
    live_settings.__dict__.update(_BASELINE, _cached_attrs=set())


class _Settings:
    """The live settings object, with ``update()`` to assign several settings at once."""

    def __getattr__(self, name):
        return getattr(live_settings, name)

    def __setattr__(self, name, value):
        setattr(live_settings, name, value)

    def __delattr__(self, name):
        delattr(live_settings, name)

    def update(self, values):
        for name, value in values.items():
            setattr(live_settings, name, value)


@pytest.fixture(autouse=True)
def _marked_oauth2_settings(request):
    """Every test starts from the settings of its marker, or of Django's settings."""
    _reset()
    marker = request.node.get_closest_marker("oauth2_settings")
    if marker is not None:
        live_settings._user_settings = {**getattr(django_settings, "OAUTH2_PROVIDER", {}), **marker.args[0]}
    yield
    _reset()


@pytest.fixture
def oauth2_settings(request):
    fixture = _Settings()
    if request.instance is not None:
        request.instance.oauth2_settings = fixture
    return fixture


@pytest.fixture
def oidc_key(request, oauth2_settings):
    key = jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode())
    if request.instance is not None:
        request.instance.key = key
    return key


@pytest.fixture
def test_user(django_user_model):
    return django_user_model.objects.create_user("test_user", "test@example.com", "123456")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user("other_user", "other@example.com", "123456")


@pytest.fixture
def logged_in_client(client, test_user):
    client.force_login(test_user)
    return client


def _application(**fields):
    Application = get_application_model()
    values = dict(
        name="Test Application",
        redirect_uris="http://example.org",
        post_logout_redirect_uris="http://example.org",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=CLEARTEXT_SECRET,
        algorithm=Application.RS256_ALGORITHM,
    )
    values.update(fields)
    return Application.objects.create(**values)


@pytest.fixture
def application(test_user):
    return _application(user=test_user)


@pytest.fixture
def public_application(test_user):
    Application = get_application_model()
    return _application(
        name="Public Application",
        redirect_uris="http://other.org",
        post_logout_redirect_uris="http://other.org",
        client_type=Application.CLIENT_PUBLIC,
        user=test_user,
    )


@pytest.fixture
def hybrid_application(test_user):
    Application = get_application_model()
    return _application(
        name="Hybrid Application", authorization_grant_type=Application.GRANT_OPENID_HYBRID, user=test_user,
    )


@pytest.fixture
def cors_application(test_user):
    return _application(
        name="CORS Application", allowed_origins="https://example.com http://example.com", user=test_user,
    )


def _tokens(oauth2_settings, application, user, scope="openid", secret=CLEARTEXT_SECRET):
    """Tokens of ``user`` for ``application``, by the authorization code flow."""
    if not oauth2_settings.OIDC_ENABLED:
        oauth2_settings.update(presets.OIDC_SETTINGS_RW)
    redirect_uri = application.redirect_uris.split()[0]
    browser = Client()
    browser.force_login(user)
    response = browser.post(reverse("oauth2_provider:authorize"), {
        "client_id": application.client_id,
        "state": "random_state_string",
        "scope": scope,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "allow": True,
    })
    assert response.status_code == 302, response
    code = parse_qs(urlparse(response["Location"]).query)["code"][0]
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": application.client_id,
    }
    if secret:
        data["client_secret"] = secret
    response = Client().post(reverse("oauth2_provider:token"), data)
    assert response.status_code == 200, response.content
    content = response.json()
    return SimpleNamespace(
        user=user,
        application=application,
        access_token=content["access_token"],
        id_token=content["id_token"],
        refresh_token=content.get("refresh_token"),
        oauth2_settings=oauth2_settings,
    )


@pytest.fixture
def oidc_tokens(oauth2_settings, application, test_user):
    return _tokens(oauth2_settings, application, test_user)


@pytest.fixture
def oidc_email_scope_tokens(oauth2_settings, application, test_user):
    if not oauth2_settings.OIDC_ENABLED:
        oauth2_settings.update(presets.OIDC_SETTINGS_RW)
    oauth2_settings.SCOPES = {**oauth2_settings.SCOPES, "email": "Email address"}
    for cached in ("_SCOPES", "_DEFAULT_SCOPES"):
        live_settings.__dict__.pop(cached, None)
    return _tokens(oauth2_settings, application, test_user, scope="openid email")


@pytest.fixture
def oidc_non_confidential_tokens(oauth2_settings, public_application, test_user):
    return _tokens(oauth2_settings, public_application, test_user, secret=None)


@pytest.fixture
def rp_settings(request, oauth2_settings):
    """The settings of RP-Initiated Logout, unless the test's marker names others."""
    if request.node.get_closest_marker("oauth2_settings") is None:
        oauth2_settings.update(presets.OIDC_SETTINGS_RP_LOGOUT)
    return oauth2_settings


def _signed_id_token(application, user, issuer="http://localhost/o", audience=None, expired=False):
    """An ID token of ``application`` for ``user``, saved and signed with the provider's key."""
    IDToken = get_id_token_model()
    now = timezone.now()
    expires = now - timedelta(hours=1) if expired else now + timedelta(hours=1)
    id_token = IDToken.objects.create(
        user=user, application=application, expires=expires, scope="openid", jti=uuid.uuid4(),
    )
    key = jwk.JWK.from_pem(presets.RSA_KEY.encode())
    claims = {
        "iss": issuer,
        "sub": str(user.pk),
        "aud": audience or application.client_id,
        "iat": int(time.time()) - 7200,
        "exp": int(expires.timestamp()),
        "jti": str(id_token.jti),
    }
    token = jwt.JWT(header={"alg": "RS256", "kid": key.thumbprint()}, claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()


@pytest.fixture
def expired_id_token(application, test_user):
    return _signed_id_token(application, test_user, expired=True)


@pytest.fixture
def id_token_wrong_aud(application, test_user):
    return _signed_id_token(application, test_user, audience="not-a-client-id")


@pytest.fixture
def id_token_wrong_iss(application, test_user):
    return _signed_id_token(application, test_user, issuer="http://wrong.example.org/o")
