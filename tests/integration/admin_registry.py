"""
The integration test app in Django's admin (imported by urls.py).

The app's package belongs to the models' owners, so its ModelAdmins live
here rather than in app/admin.py. They use what the admin tests exercise: a
ForeignKey in list_display (select_related, a JOIN), a related list_filter,
search and a small page size for pagination.
"""
from django.contrib import admin

from tests.integration.app.models import Author, Book


class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name"]
    list_per_page = 2


class BookAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "pages"]
    list_filter = ["author"]
    search_fields = ["title"]


def register(site=admin.site):
    """Register the test models on ``site`` once."""
    for model, model_admin in ((Author, AuthorAdmin), (Book, BookAdmin)):
        if not site.is_registered(model):
            site.register(model, model_admin)


register()
