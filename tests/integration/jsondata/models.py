"""Models of the jsondata integration tests."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models as django_models

from djongo import models


class Record(models.Model):
    """A djongo.models.JSONField, which is Django's own."""
    name = models.CharField(max_length=50, default="")
    data = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class PlainRecord(django_models.Model):
    """django.db.models.JSONField, stored natively on djongo as well."""
    data = django_models.JSONField(default=dict)


class EncodedRecord(models.Model):
    """A JSONField with an encoder: dates, UUIDs and Decimals are stored as their text."""
    data = models.JSONField(encoder=DjangoJSONEncoder, null=True)
