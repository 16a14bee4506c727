"""ModelAdmins of the embedded integration tests (registered on import by tests/integration/urls.py)."""
from django.contrib import admin

from .models import BlogList, Contact, Entry, Post


class EntryAdmin(admin.ModelAdmin):
    list_display = ["headline", "blog_name"]
    search_fields = ["headline", "blog__name"]

    @admin.display(description="Blog", ordering="blog__name")
    def blog_name(self, entry):
        return entry.blog.name if entry.blog else None


class BlogListAdmin(admin.ModelAdmin):
    list_display = ["headline", "blog_names"]
    search_fields = ["blog__name"]

    @admin.display(description="Blogs")
    def blog_names(self, blog_list):
        return ", ".join(blog.name for blog in blog_list.blog or [])


def register(site=admin.site):
    """Register the test models on ``site`` once."""
    for model, model_admin in ((Entry, EntryAdmin), (BlogList, BlogListAdmin), (Post, None), (Contact, None)):
        if not site.is_registered(model):
            site.register(model, model_admin)


register()
