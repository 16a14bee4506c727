"""The blog in Django's admin: lists with filters, search and a date drill-down."""
from django.contrib import admin

from .models import Author, Blog, Entry


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ["name", "tagline"]
    list_filter = ["name"]
    search_fields = ["name", "tagline"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    list_filter = ["name"]
    search_fields = ["name", "email"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["headline", "blog", "pub_date", "mod_date", "rating",
                    "number_of_comments", "number_of_pingbacks"]
    list_filter = ["blog", "authors", "pub_date", "rating"]
    search_fields = ["headline", "body_text", "blog__name", "authors__name"]
    date_hierarchy = "pub_date"
    filter_horizontal = ["authors"]
