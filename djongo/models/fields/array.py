"""ArrayField: a list of subdocuments. Placeholder until implemented (issue 5)."""
from django.db import models


class ArrayField(models.Field):
    pass
