"""Settings of the task workers test's project; the database is named by the test."""
import os
from importlib.util import find_spec

SECRET_KEY = "djongo-reliability-tasks"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": os.environ["DJONGO_TASKS_DB"],
        "HOST": os.environ["DJONGO_TEST_URI"],
        "CLIENT": {"serverSelectionTimeoutMS": 10000},
    },
}
INSTALLED_APPS = ["django_tasks_db", "tests.reliability.tasks_project"]
if not find_spec("django.tasks"):
    # Django 5.2: the Tasks framework comes from the django-tasks backport.
    INSTALLED_APPS.append("django_tasks")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# djongo warns (djongo.W001) that a standalone server runs no transactions.
SILENCED_SYSTEM_CHECKS = ["djongo.W001"]
