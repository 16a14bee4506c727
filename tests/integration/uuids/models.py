"""Models whose UUIDs the database makes: Django 6.1's UUID4() and UUID7()."""
from django.db import models
from django.db.models.functions import UUID4, UUID7


class Token(models.Model):
    """A primary key made by the database for each row, as Django 6.1's release notes show it."""
    uuid = models.UUIDField(primary_key=True, db_default=UUID4(), editable=False)
    name = models.CharField(max_length=50)


class Event(models.Model):
    """A time-ordered key that is not the primary key."""
    key = models.UUIDField(db_default=UUID7(), unique=True)
    name = models.CharField(max_length=50)


class Stamp(models.Model):
    """UUIDs set by UPDATE, from nothing or from the row's own shift."""
    uuid = models.UUIDField(null=True)
    shift = models.DurationField(null=True)
    name = models.CharField(max_length=50)
