"""EmbeddedField: a model instance stored as a subdocument. Placeholder until implemented (issue 5)."""
from django.db import models


class EmbeddedField(models.Field):
    pass


EmbeddedModelField = EmbeddedField
