"""JSONField stored as a native document. Placeholder until implemented (issue 5)."""
from django.db.models import JSONField

__all__ = ["JSONField"]
