"""
EmbeddedField: a model instance stored as a subdocument.

The model that describes the subdocument (``model_container``) is an
abstract model. Its fields convert each value for storage and back, and
validate it, as they would in a table of their own. Values read back are
instances of a subclass of the container (see ``value_class``), which also
compare equal to dicts.

Queries reach into the subdocument with Django's transforms: the path
``blog__name`` compiles to the column ``"app_entry"."blog.name"``, which the
SQL translator reads as the MongoDB document path ``blog.name``
(https://www.mongodb.com/docs/manual/core/document/#dot-notation).
"""
import functools
import logging

from django.core import checks, exceptions
from django.db import IntegrityError, NotSupportedError, models
from django.db.models.expressions import Col
from django.db.models.fields.mixins import CheckFieldDefaultMixin
from django.db.models.lookups import Lookup, Transform
from django.db.models.query_utils import DeferredAttribute

from djongo import forms
from djongo.compiler import quoted
from djongo.containers import EmbeddedValue, container_fields, plain, to_value, value_class
from djongo.sql2mongo.bsonvalues import to_bson

logger = logging.getLogger("djongo")

__all__ = ["EmbeddedField", "EmbeddedModelField"]


# Documents ---------------------------------------------------------------

def to_document(container, value, connection):
    """Return the subdocument that stores ``value``: each field's value as its own field stores it."""
    value = to_value(container, value)
    if value is None:
        return None
    # The executor converts the parameters of a statement to BSON types
    # (dates, decimals, times), but not the values inside a parameter.
    return {
        **value._unknown_keys,
        **{
            field.column: to_bson(field.get_db_prep_save(getattr(value, field.attname), connection))
            for field in container_fields(container)
        },
    }


def from_document(container, document, connection):
    """Return the container value of a stored subdocument, converting each field as a query would."""
    if document is None:
        return None
    if not isinstance(document, dict):
        raise exceptions.ValidationError(
            "Expected a subdocument for %(container)s, found %(value)r.", code="invalid",
            params={"container": container.__name__, "value": document},
        )
    values = {}
    for field in container_fields(container):
        if field.column not in document:
            continue  # stored before the field existed: its default
        raw = document[field.column]
        expression = Col(None, field)
        # As the SQL compiler does: the backend's converters, then the field's.
        for converter in connection.ops.get_db_converters(expression) + field.get_db_converters(connection):
            raw = converter(raw, expression, connection)
        values[field.attname] = raw
    value = value_class(container)(**values)
    columns = {field.column for field in container_fields(container)}
    unknown = {key: item for key, item in document.items() if key not in columns}
    if unknown:
        # A subdocument written by other code, or before a field was
        # removed: keep what the model does not read, so that saving the
        # value back loses nothing.
        logger.debug("Keeping fields %s of a stored %s that the model does not read",
                     sorted(unknown), container.__name__)
        value._unknown_keys = unknown
    return value


def validation_errors(value, prefix=""):
    """Return the errors of ``value``'s clean_fields() and clean(), each message prefixed with its field name."""
    try:
        value.full_clean()
    except exceptions.ValidationError as exc:
        return [
            exceptions.ValidationError(
                f"{prefix}{name}: {message}" if name != exceptions.NON_FIELD_ERRORS else f"{prefix}{message}",
                code="invalid",
            )
            for name, messages in exc.message_dict.items() for message in messages
        ]
    return []


def run_field_validators(value):
    """Run each container field's validators on its value (what save() checks); raise ValidationError."""
    errors = []
    for field in value._meta.concrete_fields:
        try:
            field.run_validators(getattr(value, field.attname))
        except exceptions.ValidationError as exc:
            errors.extend(exceptions.ValidationError(f"{field.name}: {message}", code="invalid")
                          for message in exc.messages)
    if errors:
        raise exceptions.ValidationError(errors)


# Queries -----------------------------------------------------------------

class PathTransform(Transform):
    """
    Read a field of a subdocument: compile to the column whose name is the
    document path, such as ``"app_entry"."blog.name"``.
    """

    def __init__(self, key_field, lhs):
        # Not "field": Expression.field is the output field.
        self.key_field = key_field
        super().__init__(lhs, output_field=key_field)

    @property
    def lookup_name(self):
        return self.key_field.name

    def column_path(self):
        """Return the Col this path starts from and the document path's parts."""
        lhs = self.lhs
        if isinstance(lhs, PathTransform):
            col, path = lhs.column_path()
        elif isinstance(lhs, Col):
            col, path = lhs, [lhs.target.column]
        else:
            raise NotSupportedError(
                f"The path {self.key_field.name!r} into a subdocument must start at a column, not {lhs!r}."
            )
        return col, [*path, self.key_field.column]

    def as_sql(self, compiler, connection):
        col, path = self.column_path()
        column = ".".join(path)
        identifiers = (col.alias, column) if col.alias else (column,)
        return ".".join(quoted(compiler, identifier) for identifier in identifiers), []


class DocumentLookup(Lookup):
    """
    Match a subdocument against a dict: ``blog__startswith={"name": "B"}``
    is ``blog__name__startswith="B"``, one lookup per key, joined by AND.
    Keys may nest dicts for embedded fields of the container.
    """

    prepare_rhs = False

    def get_prep_lookup(self):
        rhs = plain(self.rhs)
        if rhs is None:
            return None
        if not isinstance(rhs, dict) or not rhs:
            raise ValueError(
                f"The lookup {self.lookup_name!r} on {self.lhs.output_field.name!r} needs a non-empty "
                f"dict of its fields' values, not {rhs!r}."
            )
        if _has_expression(rhs):
            raise NotSupportedError("Expressions in the dict of a subdocument lookup are not supported.")
        return rhs

    def as_sql(self, compiler, connection):
        document_field = self.lhs.output_field
        sqls, params = [], []
        for key, value in self.rhs.items():
            transform = document_field.get_transform(key)
            if transform is None:
                raise exceptions.FieldError(
                    f"{document_field.model_container.__name__} has no field named {key!r}."
                )
            lhs = transform(self.lhs)
            lookup_class = lhs.get_lookup(self.lookup_name)
            if lookup_class is None:
                raise exceptions.FieldError(f"Unsupported lookup {self.lookup_name!r} for the field {key!r}.")
            lookup = lookup_class(lhs, value)
            if lookup.rhs is None and not lookup.can_use_none_as_rhs:
                # As Query.build_lookup does: exact None is IS NULL.
                if self.lookup_name not in ("exact", "iexact"):
                    raise ValueError("Cannot use None as a query value")
                lookup = lhs.get_lookup("isnull")(lhs, True)
            sql, lookup_params = compiler.compile(lookup)
            sqls.append(f"({sql})")
            params.extend(lookup_params)
        return " AND ".join(sqls), params


def _has_expression(value):
    if hasattr(value, "resolve_expression"):
        return True
    if isinstance(value, dict):
        return any(_has_expression(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_expression(item) for item in value)
    return False


# The lookups that take a dict of the container's fields.
DOCUMENT_LOOKUPS = {
    name: type(f"Document{name.capitalize()}", (DocumentLookup,), {"lookup_name": name})
    for name in (
        "exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
        "gt", "gte", "lt", "lte", "regex", "iregex",
    )
}


# The field ----------------------------------------------------------------

class ContainerDescriptor(DeferredAttribute):
    """Convert what is assigned (a dict, a list of dicts) to container values, so reads give instances."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class ContainerField(CheckFieldDefaultMixin, models.Field):
    """What EmbeddedField and ArrayField share: the container, its form, checks, queries and migrations."""

    descriptor_class = ContainerDescriptor
    empty_strings_allowed = False

    def __init__(self, model_container=None, model_form_class=None, model_form_kwargs=None, *args, **kwargs):
        self.model_container = model_container
        self.model_form_class = model_form_class
        self.model_form_kwargs = model_form_kwargs or {}
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_model_container()]

    def _check_model_container(self):
        container = self.model_container
        if not (isinstance(container, type) and issubclass(container, models.Model)):
            return [checks.Error(
                "'model_container' must be a model class.", obj=self, id="djongo.E201",
            )]
        if not container._meta.abstract:
            return [checks.Error(
                "'model_container' must be an abstract model.",
                hint=f"Add 'abstract = True' to the Meta of {container.__name__}.",
                obj=self, id="djongo.E202",
            )]
        return []

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        path = path.replace(self.__class__.__module__, "djongo.models")
        kwargs["model_container"] = self.model_container
        if self.model_form_class is not None:
            kwargs["model_form_class"] = self.model_form_class
        if self.model_form_kwargs:
            kwargs["model_form_kwargs"] = self.model_form_kwargs
        return name, path, args, kwargs

    def get_transform(self, name):
        transform = super().get_transform(name)
        if transform is not None:
            return transform
        try:
            field = self.model_container._meta.get_field(name)
        except exceptions.FieldDoesNotExist:
            return None
        if not field.concrete:
            return None
        return functools.partial(PathTransform, field)

    def get_lookup(self, name):
        return DOCUMENT_LOOKUPS.get(name) or super().get_lookup(name)

    def pre_save(self, model_instance, add):
        """Refuse a missing value when null=False, run the containers' pre_save and field validators."""
        value = self.to_python(getattr(model_instance, self.attname))
        if value is None and not self.null:
            # MongoDB enforces no NOT NULL; the SQL databases raise this.
            raise IntegrityError(f"NOT NULL constraint failed: {model_instance._meta.db_table}.{self.column}")
        for item in self.container_values(value):
            for field in item._meta.concrete_fields:
                setattr(item, field.attname, field.pre_save(item, add))
            run_field_validators(item)
        setattr(model_instance, self.attname, value)
        return value

    def container_values(self, value):
        """Return the container values in ``value`` (a list of them, or none)."""
        raise NotImplementedError

    def formfield(self, **kwargs):
        return super().formfield(**{
            "form_class": self.form_class(forms.fields),
            "model_container": self.model_container,
            "model_form_class": self.model_form_class,
            "model_form_kwargs": self.model_form_kwargs,
            **kwargs,
        })

    def value_to_string(self, obj):
        return plain(self.value_from_object(obj))

    def save_form_data(self, instance, data):
        """
        Assign a form's value, keeping the stored keys that the container
        does not read (see from_document): a form edits the subdocument it
        showed, so it must not drop what it did not show.
        """
        setattr(instance, self.name, self.with_unknown_keys(getattr(instance, self.attname), data))

    def with_unknown_keys(self, stored, edited):
        """Return ``edited``, the form's value of the stored value ``stored``, with the keys it did not show."""
        raise NotImplementedError


class EmbeddedField(ContainerField):
    """
    Store an instance of the abstract model ``model_container`` as a
    subdocument. Assign a dict or a container value; read a container value.
    """

    description = "A model instance stored as a subdocument"
    _default_hint = ("dict", "{}")

    def get_internal_type(self):
        return "EmbeddedField"

    def db_type(self, connection):
        # The name the DDL translator reads; MongoDB stores no column types.
        return "object"

    def to_python(self, value):
        return to_value(self.model_container, value)

    def from_db_value(self, value, expression, connection):
        return from_document(self.model_container, value, connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        return to_document(self.model_container, value, connection)

    def container_values(self, value):
        return [] if value is None else [value]

    def with_unknown_keys(self, stored, edited):
        if isinstance(stored, EmbeddedValue) and isinstance(edited, EmbeddedValue):
            edited._unknown_keys = stored._unknown_keys
        return edited

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value is not None:
            errors = validation_errors(value)
            if errors:
                raise exceptions.ValidationError(errors)

    @staticmethod
    def form_class(fields):
        return fields.EmbeddedFormField


EmbeddedModelField = EmbeddedField
