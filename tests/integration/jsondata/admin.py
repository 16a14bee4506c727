"""ModelAdmins of the jsondata integration tests (imported by the admin's autodiscovery)."""
from django.contrib import admin

from .models import Record


class RecordAdmin(admin.ModelAdmin):
    list_display = ["name"]
    # Searching a JSONField compares its text; a name is searchable as it is.
    search_fields = ["name"]


def register(site=admin.site):
    """Register the test models on ``site`` once."""
    if not site.is_registered(Record):
        site.register(Record, RecordAdmin)


register()
