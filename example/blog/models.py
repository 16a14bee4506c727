"""
The blog of Django's "Making queries" guide: blogs, authors and entries,
with an author's contact details kept inside the author's document
(djongo's EmbeddedField).
"""
from datetime import date

from django.db import models

from djongo import models as mongo_models


class Contact(models.Model):
    """An author's contact details: a sub-document of the author, no table of its own."""
    city = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        abstract = True


class Blog(models.Model):
    name = models.CharField(max_length=100)
    tagline = models.TextField()

    def __str__(self):
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField()
    contact = mongo_models.EmbeddedField(model_container=Contact, null=True, blank=True)

    def __str__(self):
        return self.name


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE)
    headline = models.CharField(max_length=255)
    body_text = models.TextField()
    pub_date = models.DateField()
    mod_date = models.DateField(default=date.today)
    authors = models.ManyToManyField(Author)
    number_of_comments = models.IntegerField(default=0)
    number_of_pingbacks = models.IntegerField(default=0)
    rating = models.IntegerField(default=5)

    class Meta:
        verbose_name_plural = "entries"

    def __str__(self):
        return self.headline
