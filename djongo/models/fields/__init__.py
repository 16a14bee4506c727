"""djongo's model fields for MongoDB documents, one module per kind."""
from .array import ArrayField
from .embedded import EmbeddedField, EmbeddedModelField
from .json import JSONField
from .objectid import GenericObjectIdField, ObjectIdField
from .reference import ArrayReferenceField

__all__ = [
    "ArrayField", "ArrayReferenceField", "EmbeddedField", "EmbeddedModelField", "GenericObjectIdField",
    "JSONField", "ObjectIdField",
]
