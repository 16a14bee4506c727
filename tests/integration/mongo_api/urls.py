"""URLs of the mongo_api integration tests (included by tests/integration/urls.py)."""
from django.urls import path

from djongo.storage import serve
from tests.integration.mongo_api.models import gridfs_storage

urlpatterns = [
    # gridfs_storage's base_url is "/files/": its url() points here.
    path("files/<path:name>", serve, {"storage": gridfs_storage}, name="mongo_api_files"),
]
