"""
Settings of django-oauth-toolkit's test project, written for
scripts/thirdparty from what the suite its sdist ships (tests/test_*.py)
expects: the provider and the test app of swappable models, the admin, the
URLs under /o/. DATABASES is replaced by thirdparty_shim.
"""
SECRET_KEY = "django-oauth-toolkit tests under scripts/thirdparty"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "tests",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
ROOT_URLCONF = "tests.urls"
STATIC_URL = "/static/"

# Client secrets and passwords are hashed on every save: a cheap PBKDF2
# keeps the suite fast; test_models names "fast_pbkdf2" as a secret hasher.
PASSWORD_HASHERS = ["tests.utils.FastPBKDF2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# The views build their oauthlib server once unless told to rebuild it:
# the tests change the provider's settings between requests.
OAUTH2_PROVIDER = {"ALWAYS_RELOAD_OAUTHLIB_CORE": True}
