"""Settings for Django's own test suite (tests/runtests.py) on djongo.

scripts/conformance puts this directory on PYTHONPATH and passes
``--settings=settings``; runtests.py adds INSTALLED_APPS and the rest.
"""
import os

import django

_URI = os.environ["DJONGO_CONFORMANCE_URI"]
_PREFIX = os.environ.get("DJONGO_CONFORMANCE_DB", "djongo_conformance")

DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": _PREFIX,
        "HOST": _URI,
    },
    "other": {
        "ENGINE": "djongo",
        "NAME": _PREFIX + "_other",
        "HOST": _URI,
    },
}

SECRET_KEY = "django_tests_secret_key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# As Django's own tests/test_sqlite.py of each version: 5.2's names
# AutoField, 6.0's leaves Django's new default, BigAutoField.
if django.VERSION < (6, 0):
    DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = False
TEST_RUNNER = "runner.ConformanceRunner"
