"""ModelAdmins of the objectids integration tests (registered on import by tests/integration/urls.py)."""
from django.contrib import admin

from .models import Author, Entry, Magazine, Publisher, Tag

admin.site.register(Publisher)
admin.site.register(Magazine)
admin.site.register(Author)
admin.site.register(Tag)
admin.site.register(Entry)
