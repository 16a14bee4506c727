from django.contrib import admin
from django.urls import path

from tests.integration import admin_registry  # noqa: F401 - registers the test models

urlpatterns = [path("admin/", admin.site.urls)]
