"""
Fields holding a BSON ObjectId.

``ObjectIdField`` is MongoDB's own ``_id`` as the model's primary key:
MongoDB (the driver, on insert) generates it, and the INSERT returns it to
Django. ``GenericObjectIdField`` is any other field storing an ObjectId.

Both accept an ``ObjectId`` or its 24-digit hexadecimal string wherever a
value goes in (assignment, lookups, forms, URLs) and return ``ObjectId``
objects. https://www.mongodb.com/docs/manual/reference/method/ObjectId/
"""
from bson import ObjectId
from bson.errors import InvalidId
from django import forms
from django.core import checks, exceptions
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# The column every MongoDB document's primary key lives in.
ID_COLUMN = "_id"
# The column type djongo's schema editor and DDL translator know ObjectIds by.
DB_TYPE = "objectid"


def to_object_id(value):
    """
    Return ``value`` (an ObjectId or its 24 hex digits, as str or bytes of
    12) as an ObjectId; raise TypeError or ValueError if it is neither.
    """
    if value is None or isinstance(value, ObjectId):
        return value
    if isinstance(value, str):
        value = value.strip()
    elif not isinstance(value, bytes):
        raise TypeError(f"{value!r} is not an ObjectId")
    try:
        return ObjectId(value)
    except InvalidId as exc:
        raise ValueError(str(exc)) from exc


class ObjectIdMixin:
    """The value handling both ObjectId fields share."""

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": _("“%(value)s” is not a valid ObjectId (24 hexadecimal digits)."),
    }
    description = _("MongoDB ObjectId")

    def db_type(self, connection):
        return DB_TYPE

    def rel_db_type(self, connection):
        # A ForeignKey to this field stores the ObjectId itself.
        return DB_TYPE

    def cast_db_type(self, connection):
        return DB_TYPE

    def get_prep_value(self, value):
        value = models.Field.get_prep_value(self, value)
        try:
            return to_object_id(value)
        except (TypeError, ValueError) as exc:
            raise exc.__class__(f"Field '{self.name}' expected an ObjectId but got {value!r}.") from exc

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return to_object_id(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value},
            ) from None

    def from_db_value(self, value, expression, connection):
        # Rows read from MongoDB hold ObjectIds already; a value written by
        # other software as a hex string is still read as an ObjectId.
        if isinstance(value, str):
            try:
                return to_object_id(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class ObjectIdField(ObjectIdMixin, models.AutoField):
    """
    MongoDB's ``_id`` as the primary key, generated when a row is inserted.

    It is the primary key by default and lives in the ``_id`` field of the
    document whatever the model field's name, so ``_id = ObjectIdField()``
    and ``DEFAULT_AUTO_FIELD = "djongo.models.ObjectIdField"`` (an ``id``
    field stored as ``_id``) both work. It is an AutoField subclass because
    Django requires one for DEFAULT_AUTO_FIELD and for fields whose value the
    INSERT returns; it uses no ``__schema__`` counter.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_key", True)
        if kwargs["primary_key"]:
            kwargs.setdefault("db_column", ID_COLUMN)
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        # Not "AutoField": that would give the column an AUTOINCREMENT
        # counter in __schema__, and integer validators and ranges.
        return "ObjectIdField"

    @cached_property
    def validators(self):
        # IntegerField adds range validators by internal type; an ObjectId has no range.
        return [*self.default_validators, *self._validators]

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_id_column()]

    def _check_id_column(self):
        if self.primary_key and self.db_column != ID_COLUMN:
            return [checks.Error(
                f"ObjectIdField primary keys are stored in MongoDB's {ID_COLUMN!r}, "
                f"not in {self.db_column!r}.",
                hint="Remove db_column, or use GenericObjectIdField for an ObjectId that is not the primary key.",
                obj=self,
                id="djongo.E001",
            )]
        return []

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Leave out what __init__ sets by itself, and use the public path.
        if kwargs.get("primary_key"):
            del kwargs["primary_key"]
            if kwargs.get("db_column") == ID_COLUMN:
                del kwargs["db_column"]
        return name, "djongo.models.ObjectIdField", args, kwargs


class GenericObjectIdField(ObjectIdMixin, models.Field):
    """
    An ObjectId that is not the primary key, e.g. the id of a document in a
    collection Django does not manage. Nothing is generated: pass
    ``default=bson.ObjectId`` for a new ObjectId per row. Forms show the 24
    hexadecimal digits.
    """

    def get_internal_type(self):
        return "GenericObjectIdField"

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "djongo.models.GenericObjectIdField", args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ObjectIdFormField, **kwargs})


class ObjectIdFormField(forms.CharField):
    """A text input for an ObjectId's 24 hexadecimal digits; cleans to an ObjectId."""

    default_error_messages = {
        "invalid": _("Enter a valid ObjectId (24 hexadecimal digits)."),
    }

    def prepare_value(self, value):
        return "" if value is None else str(value)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return to_object_id(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid") from None
