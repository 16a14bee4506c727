"""ArrayReferenceField: a list of primary keys. Placeholder until implemented (issue 5)."""
from django.db import models


class ArrayReferenceField(models.Field):
    pass
