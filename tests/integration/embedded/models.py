"""
Models of the embedded integration tests: the examples of the EmbeddedField
and ArrayField documentation, plus nesting and value conversion.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from djongo import models


# "Use Django Admin to add documents": a Blog embedded in an Entry.
class Blog(models.Model):
    name = models.CharField(max_length=100)
    tagline = models.TextField(blank=True)

    class Meta:
        abstract = True


class Entry(models.Model):
    blog = models.EmbeddedField(model_container=Blog)
    headline = models.CharField(max_length=255)

    def __str__(self):
        return self.headline


# "Nest a list of dict inside a model": an ArrayField of blogs.
class NamedBlog(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        abstract = True


class BlogList(models.Model):
    blog = models.ArrayField(model_container=NamedBlog)
    headline = models.CharField(max_length=255)

    def __str__(self):
        return self.headline


# "Security and Integrity Checks": validators and null/blank.
def script_injection(value):
    if value.find("<script>") != -1:
        raise ValidationError(_("Script injection in %(value)s"), params={"value": value})


class Address(models.Model):
    city = models.CharField(max_length=50)
    # URLField validates URLs already (URLValidator is its default validator).
    homepage = models.URLField(validators=[script_injection])

    class Meta:
        abstract = True


class Contact(models.Model):
    address = models.EmbeddedField(model_container=Address, null=False, blank=False)


class OptionalContact(models.Model):
    address = models.EmbeddedField(model_container=Address, null=True, blank=True)


# Nesting and value conversion: dates, decimals, times inside subdocuments.
class Stats(models.Model):
    published = models.DateField()
    rating = models.DecimalField(max_digits=4, decimal_places=2)
    updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Author(models.Model):
    name = models.CharField(max_length=100)
    stats = models.EmbeddedField(model_container=Stats, null=True, blank=True)

    class Meta:
        abstract = True


class Comment(models.Model):
    text = models.CharField(max_length=200)
    author = models.EmbeddedField(model_container=Author)

    class Meta:
        abstract = True


def default_blog():
    return {"name": "Unnamed", "tagline": ""}


class Post(models.Model):
    headline = models.CharField(max_length=255)
    author = models.EmbeddedField(model_container=Author)
    comments = models.ArrayField(model_container=Comment, blank=True, default=list)
    # Added by migration 0002 to a collection that already holds documents.
    featured = models.EmbeddedField(model_container=Blog, default=default_blog)

    def __str__(self):
        return self.headline
