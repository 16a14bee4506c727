"""Settings of the integration tests' Django project."""
import os

import django

SECRET_KEY = "djongo-integration-tests"
USE_TZ = True
TIME_ZONE = "UTC"
DATABASES = {
    "default": {
        "ENGINE": "djongo",
        # Separate names let several runs share one server.
        "NAME": os.environ.get("DJONGO_IT_DB", "djongo_it"),
        "HOST": os.environ["DJONGO_TEST_URI"],
        "CLIENT": {"serverSelectionTimeoutMS": 10000},
    },
}
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "tests.integration.app",
    "tests.integration.embedded",
    "tests.integration.jsondata",
    "tests.integration.objectids",
    "tests.integration.mongo_api",
    "tests.integration.composite",
]
if django.VERSION >= (6, 1):
    # Django 6.1's database-level on_delete options (models.DB_CASCADE, ...).
    INSTALLED_APPS.append("tests.integration.ondelete")
    # Django 6.1's UUID4() and UUID7() database functions.
    INSTALLED_APPS.append("tests.integration.uuids")
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
ROOT_URLCONF = "tests.integration.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
