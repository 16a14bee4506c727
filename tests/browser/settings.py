"""The integration settings, with static files served so that the admin has its CSS and JavaScript."""
from tests.integration.settings import *  # noqa: F401,F403
from tests.integration.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.staticfiles"]
STATIC_URL = "/static/"
ROOT_URLCONF = "tests.browser.urls"
