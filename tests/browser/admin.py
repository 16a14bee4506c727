"""
The ModelAdmin the browser tests drive beside the integration tests' own: a
changelist with search, a list filter and a date hierarchy.
"""
from django.contrib import admin

from tests.integration.app.models import Kitchen


@admin.register(Kitchen)
class KitchenAdmin(admin.ModelAdmin):
    list_display = ["name", "count", "born", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    date_hierarchy = "born"
    fields = ["name", "count", "born", "is_active", "notes"]
