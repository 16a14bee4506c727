"""
The values of EmbeddedField and ArrayField: instances of the container model.

A container is an abstract model; its values are instances of a subclass
that mixes in EmbeddedValue (``value_class``), which stands in for the parts
of Model that need a table, and compares equal to dicts. The model fields
(models/fields/embedded.py, array.py) and the form fields (forms/) both
work with these values, so they live apart from either.
"""
import importlib

from django.core import exceptions
from django.db import models
from django.db.models.base import ModelState


class EmbeddedValue:
    """
    Behaviour of the values of embedded fields, mixed into a subclass of the
    container model.

    Django refuses to instantiate abstract models, and a subdocument has no
    primary key, table or manager, so this replaces the parts of Model that
    need them.
    """

    # The stored keys that no field of the container reads (see
    # from_document), kept so that saving the value writes them back.
    _unknown_keys = {}

    def __init__(self, **values):
        self._state = ModelState()
        for field in self._meta.concrete_fields:
            if field.attname in values:
                value = values.pop(field.attname)
            elif field.name in values:
                value = values.pop(field.name)
            else:
                value = field.get_default()
            setattr(self, field.attname, value)
        if values:
            raise TypeError(f"{type(self).__name__} has no field named {', '.join(map(repr, values))}")

    def __eq__(self, other):
        if isinstance(other, EmbeddedValue):
            return value_dict(self) == value_dict(other)
        if isinstance(other, dict):
            # A dict may leave out fields that hold their defaults, as
            # EmbeddedValue(**dict) fills them in.
            defaults = {field.attname: field.get_default() for field in self._meta.concrete_fields}
            names = {field.name: field.attname for field in self._meta.concrete_fields}
            given = {names.get(key, key): value for key, value in other.items()}
            return value_dict(self) == {**defaults, **given}
        return NotImplemented

    __hash__ = None  # mutable, and equal to dicts, which are unhashable too

    def __repr__(self):
        return f"<{type(self).__name__}: {value_dict(self)!r}>"

    def __str__(self):
        # A __str__ the container defines wins over Model's, which needs a pk.
        for klass in type(self).__mro__[1:]:
            if "__str__" in klass.__dict__:
                if klass is models.Model:
                    break
                return klass.__dict__["__str__"](self)
        return f"{type(self).__name__} {value_dict(self)!r}"

    def __reduce__(self):
        # pickle and copy call this: the value class is not importable by name.
        container = self._embedded_container
        return _rebuild, (container.__module__, container.__qualname__, value_dict(self), self._unknown_keys)

    @property
    def prepare_database_save(self):
        # Django's UPDATE compiler takes a value with this method for a
        # related object and refuses it for other fields; a container value
        # is a plain value, so hide Model's method from hasattr().
        raise AttributeError("prepare_database_save")

    # A subdocument has no table to check uniqueness or constraints against.
    def validate_unique(self, exclude=None):
        pass

    def validate_constraints(self, exclude=None):
        pass

    def full_clean(self, exclude=None, validate_unique=False, validate_constraints=False):
        """Validate the fields and run clean(); uniqueness has no meaning inside a subdocument."""
        super().full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _rebuild(module, qualname, values, unknown_keys):
    container = importlib.import_module(module)
    for name in qualname.split("."):
        container = getattr(container, name)
    value = value_class(container)(**values)
    value._unknown_keys = unknown_keys
    return value


_value_classes = {}


def value_class(container):
    """
    Return the class of ``container``'s values: an abstract subclass with
    EmbeddedValue's behaviour. Abstract models are not registered with the
    app registry, so the subclass adds no table and no migration.
    """
    cls = _value_classes.get(container)
    if cls is None:
        meta = {"abstract": True, "verbose_name": container._meta.verbose_name}
        if container._meta.app_label:
            meta["app_label"] = container._meta.app_label
        cls = type(container.__name__, (EmbeddedValue, container), {
            "__module__": container.__module__,
            "__qualname__": container.__qualname__,
            "Meta": type("Meta", (), meta),
            "_embedded_container": container,
        })
        _value_classes[container] = cls
    return cls


def value_dict(value):
    """Return the values of ``value``'s fields by attname (Python values, not BSON)."""
    return {field.attname: getattr(value, field.attname) for field in value._meta.concrete_fields}


def plain(value):
    """Return ``value`` with every embedded value replaced by a dict, recursively."""
    if isinstance(value, EmbeddedValue):
        value = value_dict(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def container_fields(container):
    return container._meta.concrete_fields


def to_value(container, value):
    """Return ``value`` (a dict or a container instance) as a container value; None stays None."""
    if value is None or isinstance(value, container):
        return value
    if isinstance(value, dict):
        try:
            return value_class(container)(**value)
        except TypeError as exc:
            raise exceptions.ValidationError(str(exc), code="invalid") from None
    raise exceptions.ValidationError(
        "%(value)r is neither a dict nor a %(container)s.", code="invalid",
        params={"value": value, "container": container.__name__},
    )
