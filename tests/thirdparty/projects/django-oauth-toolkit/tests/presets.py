"""
The provider settings the suite's tests name (``@pytest.mark.oauth2_settings(
presets.X)``). The RSA keys are made when the suite starts: tests that
compare the JWKS document with the key ids and moduli of the provider's own
test keys fail on every backend.
"""
from jwcrypto import jwk


def _rsa_key():
    return jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()


RSA_KEY = _rsa_key()
RSA_KEY_INACTIVE = _rsa_key()

OIDC_SCOPES = {"read": "Reading scope", "write": "Writing scope", "openid": "OpenID connect"}

DEFAULT_SCOPES_RO = {"DEFAULT_SCOPES": ["read"]}
DEFAULT_SCOPES_RW = {"DEFAULT_SCOPES": ["read", "write"]}

OIDC_SETTINGS_RW = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": "http://localhost/o",
    "OIDC_USERINFO_ENDPOINT": "http://localhost/o/userinfo/",
    "OIDC_RSA_PRIVATE_KEY": RSA_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [RSA_KEY_INACTIVE],
    "SCOPES": OIDC_SCOPES,
    "DEFAULT_SCOPES": ["read", "write"],
    "PKCE_REQUIRED": False,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 3600,
}
OIDC_SETTINGS_RO = {**OIDC_SETTINGS_RW, "DEFAULT_SCOPES": ["read"]}
OIDC_SETTINGS_RP_LOGOUT = {
    **OIDC_SETTINGS_RW,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
OIDC_SETTINGS_RP_LOGOUT_STRICT_REDIRECT_URI = {
    **OIDC_SETTINGS_RP_LOGOUT,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}
OIDC_SETTINGS_RP_LOGOUT_DENY_EXPIRED = {
    **OIDC_SETTINGS_RP_LOGOUT,
    "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": False,
}
OIDC_SETTINGS_RP_LOGOUT_KEEP_TOKENS = {**OIDC_SETTINGS_RP_LOGOUT, "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False}
OIDC_SETTINGS_RP_REGISTRATION = {
    **OIDC_SETTINGS_RW,
    "OIDC_RP_INITIATED_REGISTRATION_ENABLED": True,
    "OIDC_RP_INITIATED_REGISTRATION_URL": "/accounts/signup/",
}

INTROSPECTION_SETTINGS = {
    "SCOPES": {
        "read": "Reading scope",
        "write": "Writing scope",
        "introspection": "Introspect token scope",
        "dolphin": "Dolphin scope",
    },
    "RESOURCE_SERVER_INTROSPECTION_URL": "http://example.org/o/introspect/",
    "RESOURCE_SERVER_AUTH_TOKEN": "123456",
}

REST_FRAMEWORK_SCOPES = {
    "SCOPES": {
        "read": "Reading scope",
        "write": "Writing scope",
        "scope1": "Scope 1",
        "scope2": "Scope 2",
        "resource1": "Resource 1",
    },
}

ALLOWED_SCHEMES_DEFAULT = {"ALLOWED_SCHEMES": ["https"]}
ALLOWED_SCHEMES_HTTP = {"ALLOWED_SCHEMES": ["https", "http"]}

DCR_SETTINGS = {"DCR_ENABLED": True}
