"""ModelAdmins of the mongo_api integration tests (registered on import by tests/integration/urls.py)."""
from django.contrib import admin

from tests.integration.mongo_api.models import Document, Entry, Profile

admin.site.register(Document)
admin.site.register(Entry)
admin.site.register(Profile)
