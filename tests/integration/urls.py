from django.contrib import admin
from django.urls import include, path

from tests.integration import admin_registry  # noqa: F401 - registers the test models
from tests.integration.embedded import admin as embedded_admin  # noqa: F401
from tests.integration.mongo_api import admin as mongo_api_admin  # noqa: F401
from tests.integration.objectids import admin as objectids_admin  # noqa: F401

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tests.integration.mongo_api.urls")),
]
