"""ObjectIdField and GenericObjectIdField. Placeholders until implemented (issue 5)."""
from django.db import models


class ObjectIdField(models.Field):
    pass


class GenericObjectIdField(models.Field):
    pass
