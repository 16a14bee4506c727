"""
JSONField: Django's own class, which djongo stores as a native document.

The backend does the work (``DatabaseOperations.adapt_json_value``, the
JSON converter and ``djongo/lookups.py``), so ``django.db.models.JSONField``
and ``djongo.models.JSONField`` behave alike; see docs/json-field.md.
"""
from django.db.models import JSONField

__all__ = ["JSONField"]
