"""Settings of the interrupted-migration tests' project; the database is named by the test."""
import os

SECRET_KEY = "djongo-reliability-crash"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": os.environ["DJONGO_CRASH_DB"],
        "HOST": os.environ["DJONGO_TEST_URI"],
        "CLIENT": {"serverSelectionTimeoutMS": 10000},
    },
}
INSTALLED_APPS = ["tests.reliability.crash_project"]
# djongo warns (djongo.W001) that a standalone server runs no transactions.
SILENCED_SYSTEM_CHECKS = ["djongo.W001"]
