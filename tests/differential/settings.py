"""Settings of the differential test: djongo as ``default``, SQLite as ``sqlite``."""
import os

SECRET_KEY = "djongo-differential-tests"
USE_TZ = True
TIME_ZONE = "UTC"
DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": "djongo_diff",
        "HOST": os.environ.get("DJONGO_TEST_URI", "mongodb://127.0.0.1:27017"),
        "CLIENT": {"serverSelectionTimeoutMS": 10000},
    },
    "sqlite": {
        # Django's SQLite backend with case-sensitive LIKE (see sqlite_cs/base.py).
        "ENGINE": "tests.differential.sqlite_cs",
        "NAME": ":memory:",
    },
}
INSTALLED_APPS = ["tests.differential.app"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
