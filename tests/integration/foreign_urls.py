"""
An admin site of its own showing Kitchen, every value type, for the tests
of documents another program wrote (test_values.py); the main test site
(urls.py) stays as the browser tests know it.
"""
from django.contrib import admin
from django.urls import path

from tests.integration.app.models import Kitchen

site = admin.AdminSite(name="foreign")
site.register(Kitchen, list_display=["name", "seen", "price", "span"])

urlpatterns = [path("foreign-admin/", site.urls)]
