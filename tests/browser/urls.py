"""The integration tests' URLs, with the browser tests' ModelAdmin registered."""
from tests.browser import admin as browser_admin  # noqa: F401 - registers KitchenAdmin
from tests.integration.urls import urlpatterns  # noqa: F401
