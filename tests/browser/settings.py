"""
Settings of the browser tests: the integration tests' project, with the
admin's static files served and the browser tests' own URLconf.
"""
from tests.integration.settings import *  # noqa: F401,F403

from tests.integration.settings import INSTALLED_APPS

# StaticLiveServerTestCase serves the admin's CSS and JavaScript through the
# staticfiles finders, so the browser sees the admin as a user would.
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.staticfiles"]
STATIC_URL = "/static/"
ROOT_URLCONF = "tests.browser.urls"
