"""
The integration tests' URLs, plus a ModelAdmin only the browser tests use.

Kitchen is registered here, not in tests/integration/admin_registry.py, so
that the integration tests' admin keeps the models and options they assert.
"""
from django.contrib import admin

from tests.integration.app.models import Kitchen


class KitchenAdmin(admin.ModelAdmin):
    list_display = ["name", "born", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    date_hierarchy = "born"
    # The model's other columns are nullable but not blank: the form would require them.
    fields = ["name", "count", "born", "is_active", "notes"]


# Before the import below: admin.site.urls lists the models registered when it is read.
if not admin.site.is_registered(Kitchen):
    admin.site.register(Kitchen, KitchenAdmin)

from tests.integration.urls import urlpatterns  # noqa: E402,F401 - registers the integration ModelAdmins too
