"""
ArrayField: a list of model instances stored as an array of subdocuments.

Each element follows EmbeddedField's rules (djongo/models/fields/embedded.py).
A query path such as ``entries__headline`` matches a document when any
element matches, which is how MongoDB reads a path through an array
(https://www.mongodb.com/docs/manual/tutorial/query-array-of-documents/).
"""
from django.core import exceptions

from djongo.containers import EmbeddedValue, to_value

from .embedded import ContainerField, from_document, to_document, validation_errors

__all__ = ["ArrayField"]


class ArrayField(ContainerField):
    """
    Store a list of instances of the abstract model ``model_container`` as
    an array of subdocuments. Assign a list of dicts or container values;
    read a list of container values.
    """

    description = "A list of model instances stored as an array of subdocuments"
    _default_hint = ("list", "[]")

    def get_internal_type(self):
        return "ArrayField"

    def db_type(self, connection):
        # The name the DDL translator reads; MongoDB stores no column types.
        return "array"

    def to_python(self, value):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise exceptions.ValidationError(
                "%(value)r is not a list.", code="invalid", params={"value": value},
            )
        return [to_value(self.model_container, item) for item in value]

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if not isinstance(value, list):
            # A path into the array (values("entries__x")) reads the
            # elements' values, not subdocuments; see PathTransform.
            raise exceptions.ValidationError(
                "Expected an array for %(field)s, found %(value)r.", code="invalid",
                params={"field": self.name, "value": value},
            )
        return [from_document(self.model_container, item, connection) for item in value]

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.to_python(value)
        if value is None:
            return None
        return [to_document(self.model_container, item, connection) for item in value]

    def container_values(self, value):
        return [item for item in value or [] if item is not None]

    def with_unknown_keys(self, stored, edited):
        # An ArrayFormField row says which stored element it showed.
        stored = stored or []
        for index, item in zip(getattr(edited, "stored_indexes", ()), edited or []):
            if index is not None and index < len(stored) and isinstance(stored[index], EmbeddedValue):
                item._unknown_keys = stored[index]._unknown_keys
        return edited

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        errors = []
        for index, item in enumerate(value or []):
            if item is None:
                errors.append(exceptions.ValidationError(f"Item {index + 1}: this item is empty.", code="invalid"))
            else:
                errors.extend(validation_errors(item, prefix=f"Item {index + 1}, "))
        if errors:
            raise exceptions.ValidationError(errors)

    @staticmethod
    def form_class(fields):
        return fields.ArrayFormField
