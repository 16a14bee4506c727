"""
Django's models API plus djongo's MongoDB fields and manager.

``from djongo import models`` can replace ``from django.db import models``:
every name of Django's module is here, and so are EmbeddedField,
ArrayField, JSONField (stored as a native document), ObjectIdField,
GenericObjectIdField, ArrayReferenceField and DjongoManager.
"""
from django.db.models import *  # noqa: F401,F403
from django.db.models import __all__ as _django_all

from .fields import (
    ArrayField, ArrayReferenceField, EmbeddedField, EmbeddedModelField, GenericObjectIdField, JSONField,
    ObjectIdField,
)
from .manager import DjongoManager

__all__ = [
    *(name for name in _django_all if name != "JSONField"),
    "ArrayField", "ArrayReferenceField", "DjongoManager", "EmbeddedField", "EmbeddedModelField",
    "GenericObjectIdField", "JSONField", "ObjectIdField",
]
