"""
ArrayReferenceField: a list of primary keys of another model, stored as an
array in the document (``{"authors": [1, 2]}``).

It is a ForeignKey whose column holds an array. MongoDB matches an array
against a value when any element equals it, and ``$lookup`` joins every
element of an array ``localField``, so Django's SQL for a foreign key
(``"entry"."authors" = %s``, ``JOIN author ON ("entry"."authors" =
"author"."id")``) selects the entries that hold the key:
https://www.mongodb.com/docs/manual/tutorial/query-arrays/ and
https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/#use--lookup-with-an-array

Adding and removing keys are single atomic updates, ``$addToSet`` and
``$pull``: the manager sends ``UPDATE ... SET "authors" =
ARRAY_APPEND("authors", %s)`` (or ``ARRAY_REMOVE``), which
``djongo/sql2mongo/translate/dml.py`` translates.

``prefetch_related()`` works both ways with one query per level, as for a
many-to-many: the managers implement Django's prefetch protocol,
``get_prefetch_querysets()``, reading the rows with ``$in`` on the keys and
pairing them with the arrays in Python
(https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related).
"""
import copy

from django import forms
from django.core import exceptions
from django.db import models, router
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.db.models.fields.related_lookups import RelatedExact
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from djongo.sql2mongo import dialect

# The column type of the array in the schema editor's CREATE TABLE.
DB_TYPE = "array"


class ArrayChange(models.Expression):
    """
    The SQL of an atomic change to an array column: ``ARRAY_APPEND(column,
    values)`` adds the values not in it yet, ``ARRAY_REMOVE(column, values)``
    removes every occurrence of them. Only UPDATE ... SET accepts it.
    """

    def __init__(self, function, field, values):
        super().__init__(output_field=field)
        self.function = function
        self.array_field = field
        self.values = list(values)

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name(self.array_field.column)
        values = self.array_field.get_db_prep_save(self.values, connection)
        return dialect.call(self.function, column, "%s"), [values]


def _unique(keys):
    """Return ``keys`` without repeats, in order."""
    return list(dict.fromkeys(keys))


def _forget_prefetched(instance, cache_name):
    """Drop the rows prefetched into ``instance`` under ``cache_name``: its array changed."""
    getattr(instance, "_prefetched_objects_cache", {}).pop(cache_name, None)


def _prefetch_source(querysets, default, instances, db):
    """
    Return the queryset a prefetch reads (the Prefetch() one, else
    ``default``) with its slice removed, and the slice as (low, high).

    The slice applies to each instance's rows, as for Django's prefetching
    of a sliced queryset, so it is taken in Python once the rows are paired.
    """
    if querysets and len(querysets) != 1:
        raise ValueError(f"get_prefetch_querysets() takes one queryset, not {len(querysets)}.")
    queryset = querysets[0] if querysets else default
    queryset._add_hints(instance=instances[0])
    queryset = queryset.using(queryset._db or db)  # a clone: the caller's queryset keeps its slice
    low, high = queryset.query.low_mark, queryset.query.high_mark
    queryset.query.clear_limits()
    return queryset, low, high


def _pair_up(matches, low, high):
    """
    Return what prefetch_one_level() matches instances with: the related
    rows, one per (owner key, row) pair of ``matches`` within the slice
    [low:high] of each owner, and a function giving a row's owner key.

    prefetch_one_level() files each row under the one key that function
    returns, so a row held by several arrays is copied, once per owner, as
    a many-to-many join returns it once per related row.
    """
    rows, owners, taken, counts = [], {}, set(), {}
    for owner, row in matches:
        position = counts[owner] = counts.get(owner, 0) + 1
        if position <= low or (high is not None and position > high):
            continue
        if id(row) in taken:
            row = copy.copy(row)
        taken.add(id(row))
        owners[id(row)] = owner
        rows.append(row)
    return rows, lambda row: owners[id(row)]


def PULL(collector, field, sub_objs, using):
    """
    ``on_delete`` handler of ArrayReferenceField, its default: remove the
    primary keys of the deleted rows from the arrays that hold them.
    """
    target = field.target_field
    model = field.remote_field.model._meta.concrete_model
    deleted = [getattr(obj, target.attname) for obj in collector.data.get(model, ())]
    if deleted:
        collector.add_field_update(field, ArrayChange(dialect.ARRAY_REMOVE, field, deleted), sub_objs)


# Collector.collect() need not fetch the referencing rows for PULL, as for SET_NULL.
PULL.lazy_sub_objs = True


class ArrayHoldsExact(RelatedExact):
    """
    ``authors = <column>`` on an ArrayReferenceField: whether the array holds
    the other column's key. Django compares the array with a column when
    exclude() or a subquery correlates through the reverse relation (``NOT
    EXISTS (... WHERE U1."authors" = "author"."id")``); djongo writes that
    as ARRAY_HOLDS(), since inside an aggregation expression equality
    compares whole arrays. A value on the right stays ``=``: a query filter
    matches an array by its elements already.
    """

    def as_djongo(self, compiler, connection):
        if not hasattr(self.rhs, "as_sql"):
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return dialect.call(dialect.ARRAY_HOLDS, lhs_sql, rhs_sql), [*lhs_params, *rhs_params]


class ArrayReferenceField(models.ForeignKey):
    """
    A list of references to ``to``'s rows, stored as an array of their
    primary keys. ``entry.authors`` is a manager (``all()``, ``add()``,
    ``remove()``, ``clear()``, ``set()``, ``create()``); the raw list is
    ``entry.authors_id``. ``on_delete`` defaults to PULL.
    """

    description = _("Array of references")
    empty_strings_allowed = False
    # The column holds many keys: a join through it meets a row per element,
    # even into a unique column (see djongo/compiler.py).
    holds_many_keys = True

    def __init__(self, to, on_delete=None, **kwargs):
        # null=True keeps select_related() without arguments from following
        # the array as if it were one row.
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(to, PULL if on_delete is None else on_delete, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("on_delete") is PULL:
            del kwargs["on_delete"]
        if kwargs.get("null") is True:
            del kwargs["null"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        return name, "djongo.models.ArrayReferenceField", args, kwargs

    def get_attname_column(self):
        # The document field is named after the model field: {"authors": [...]}.
        attname = self.get_attname()
        return attname, self.db_column or self.name

    def db_type(self, connection):
        return DB_TYPE

    def db_parameters(self, connection):
        return {"type": self.db_type(connection), "check": None}

    def get_default(self):
        default = super().get_default()
        return [] if default is None else default

    def keys(self, values):
        """Return the primary keys of ``values`` (instances of ``to`` or keys), without repeats, in order."""
        if values is None:
            return None
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(
                f"'{self.name}' expects a list of {self.remote_field.model.__name__} or their keys, not {values!r}."
            )
        target = self.target_field
        keys = []
        for item in values:
            if isinstance(item, models.Model):
                if not isinstance(item, self.remote_field.model):
                    raise TypeError(f"'{self.name}' references {self.remote_field.model.__name__}, not {item!r}.")
                key = getattr(item, target.attname)
                if key is None:
                    raise ValueError(f"{item!r} must be saved before it can be referenced by '{self.name}'.")
            else:
                key = target.to_python(item)
            if key not in keys:
                keys.append(key)
        return keys

    def _each(self, value, convert):
        target = self.target_field
        if isinstance(value, (list, tuple)):
            return [
                convert(getattr(item, target.attname) if isinstance(item, models.Model) else item)
                for item in value
            ]
        return convert(value)

    def get_prep_value(self, value):
        return self._each(value, self.target_field.get_prep_value)

    def get_db_prep_value(self, value, connection, prepared=False):
        return self._each(value, lambda item: self.target_field.get_db_prep_value(item, connection, prepared))

    def get_db_prep_save(self, value, connection):
        if value is None:
            return None
        return self._each(value, lambda item: self.target_field.get_db_prep_save(item, connection))

    def to_python(self, value):
        if value is None:
            return None
        return self._each(value, self.target_field.to_python)

    def from_db_value(self, value, expression, connection):
        # A row read through a join (one element per row) holds a key, not an array.
        return value

    def validate(self, value, model_instance):
        models.Field.validate(self, value, model_instance)
        if not value:
            return
        using = router.db_for_read(self.remote_field.model, instance=model_instance)
        found = set(
            self.remote_field.model._base_manager.using(using)
            .filter(**{f"{self.target_field.attname}__in": value})
            .values_list(self.target_field.attname, flat=True)
        )
        missing = [key for key in value if key not in found]
        if missing:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid",
                params={
                    "model": self.remote_field.model._meta.verbose_name, "pk": missing[0],
                    "field": self.remote_field.field_name, "value": missing[0],
                },
            )

    def value_to_string(self, obj):
        return str(self.value_from_object(obj))

    def formfield(self, *, using=None, **kwargs):
        # Field.formfield, not ForeignKey's: a multiple choice of the rows.
        return models.Field.formfield(self, **{
            "form_class": forms.ModelMultipleChoiceField,
            "queryset": self.remote_field.model._default_manager.using(using),
            "limit_choices_to": self.remote_field.limit_choices_to,
            **kwargs,
        })


class ArrayReferenceDescriptor:
    """``entry.authors``: a manager of the referenced rows; assigning a list sets the keys."""

    def __init__(self, field):
        self.field = field

    @cached_property
    def manager_class(self):
        return create_array_reference_manager(self.field.remote_field.model._default_manager.__class__, self.field)

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return self.manager_class(instance)

    def __set__(self, instance, value):
        setattr(instance, self.field.attname, self.field.keys(value))
        _forget_prefetched(instance, self.field.name)


def create_array_reference_manager(superclass, field):
    """Return the manager class of ``entry.authors``, based on the referenced model's manager class."""

    class ArrayReferenceManager(superclass):
        def __init__(self, instance):
            super().__init__()
            self.instance = instance
            self.field = field
            self.model = field.remote_field.model

        def __call__(self, *, manager):
            manager = getattr(self.model, manager)
            return create_array_reference_manager(manager.__class__, field)(self.instance)

        def _keys(self):
            return list(getattr(self.instance, field.attname) or ())

        def _apply_rel_filters(self, queryset):
            """Filter ``queryset`` to the rows the instance's array holds."""
            queryset._add_hints(instance=self.instance)
            db = self._db or router.db_for_read(self.model, instance=self.instance)
            return queryset.using(db).filter(**{f"{field.target_field.attname}__in": self._keys()})

        def get_queryset(self):
            try:
                return self.instance._prefetched_objects_cache[field.name]
            except (AttributeError, KeyError):
                return self._apply_rel_filters(super().get_queryset())

        def get_prefetch_querysets(self, instances, querysets=None):
            """
            Return the referenced rows of all ``instances`` for
            prefetch_one_level(): one query for the union of their arrays,
            then each instance's rows in its array's order, or in the
            queryset's order when it has one.
            """
            queryset, low, high = _prefetch_source(querysets, super().get_queryset(), instances, self._db)
            target = field.target_field.attname
            # Instances repeated by a join are one owner, keyed by primary key.
            arrays = {}
            for instance in instances:
                arrays.setdefault(instance.pk, _unique(getattr(instance, field.attname) or ()))
            wanted = _unique(key for keys in arrays.values() for key in keys)
            found = {}
            if wanted:
                found = {getattr(row, target): row for row in queryset.filter(**{f"{target}__in": wanted})}
            # An ordered queryset orders each instance's rows; else its array does.
            rank = {key: index for index, key in enumerate(found)} if queryset.ordered else None

            def held(keys):
                keys = [key for key in keys if key in found]
                return sorted(keys, key=rank.__getitem__) if rank else keys

            matches = ((owner, found[key]) for owner, keys in arrays.items() for key in held(keys))
            rows, owner_of = _pair_up(matches, low, high)
            return rows, owner_of, lambda instance: instance.pk, False, field.name, False

        def _write(self, value):
            """Store ``value`` (a list or an ArrayChange) in the instance's row."""
            instance = self.instance
            if instance.pk is None:
                raise ValueError(
                    f"{instance!r} needs a value for field '{instance._meta.pk.name}' "
                    f"before '{field.name}' can be changed."
                )
            _forget_prefetched(instance, field.name)
            db = router.db_for_write(type(instance), instance=instance)
            type(instance)._base_manager.using(db).filter(pk=instance.pk).update(**{field.name: value})

        def add(self, *objs):
            keys = field.keys(objs)
            if keys:
                self._write(ArrayChange(dialect.ARRAY_APPEND, field, keys))
                current = self._keys()
                setattr(self.instance, field.attname, current + [key for key in keys if key not in current])

        add.alters_data = True

        def remove(self, *objs):
            keys = field.keys(objs)
            if keys:
                self._write(ArrayChange(dialect.ARRAY_REMOVE, field, keys))
                setattr(self.instance, field.attname, [key for key in self._keys() if key not in keys])

        remove.alters_data = True

        def clear(self):
            self._write([])
            setattr(self.instance, field.attname, [])

        clear.alters_data = True

        def set(self, objs):
            keys = field.keys(objs)
            self._write(keys)
            setattr(self.instance, field.attname, keys)

        set.alters_data = True

        def create(self, **kwargs):
            db = router.db_for_write(self.model, instance=self.instance)
            obj = self.model._default_manager.db_manager(db).create(**kwargs)
            self.add(obj)
            return obj

        create.alters_data = True

        def get_or_create(self, **kwargs):
            # As for a many-to-many manager: look among the referenced rows,
            # and reference the row only if it was created.
            obj, created = super().get_or_create(**kwargs)
            if created:
                self.add(obj)
            return obj, created

        get_or_create.alters_data = True

        def update_or_create(self, **kwargs):
            obj, created = super().update_or_create(**kwargs)
            if created:
                self.add(obj)
            return obj, created

        update_or_create.alters_data = True

    return ArrayReferenceManager


class ReverseArrayReferenceDescriptor(ReverseManyToOneDescriptor):
    """``author.entry_set``: the rows whose array holds ``author``'s key."""

    @cached_property
    def related_manager_cls(self):
        base = super().related_manager_cls
        field = self.rel.field

        class ReverseArrayReferenceManager(base):
            def _apply_rel_filters(self, queryset):
                queryset = super()._apply_rel_filters(queryset)
                # Django would attach self.instance to each row by the row's
                # key; the row holds a list of keys, so nothing is attached.
                queryset._known_related_objects.pop(field, None)
                return queryset

            def _key(self):
                return getattr(self.instance, field.target_field.attname)

            def _update(self, queryset, change):
                self._remove_prefetched_objects()
                queryset.update(**{field.name: ArrayChange(change, field, [self._key()])})

            def _rows(self, objs):
                keys = []
                for obj in objs:
                    if not isinstance(obj, self.model):
                        raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
                    if obj.pk is None:
                        raise ValueError(f"{obj!r} must be saved before it can be added to a related set.")
                    keys.append(obj.pk)
                db = router.db_for_write(self.model, instance=self.instance)
                return self.model._base_manager.using(db).filter(pk__in=keys)

            def add(self, *objs, bulk=True):
                self._check_fk_val()
                key = self._key()
                self._update(self._rows(objs), dialect.ARRAY_APPEND)
                for obj in objs:
                    keys = list(getattr(obj, field.attname) or ())
                    setattr(obj, field.attname, keys if key in keys else keys + [key])
                    _forget_prefetched(obj, field.name)

            add.alters_data = True

            def remove(self, *objs, bulk=True):
                self._check_fk_val()
                key = self._key()
                self._update(self._rows(objs), dialect.ARRAY_REMOVE)
                for obj in objs:
                    setattr(obj, field.attname, [item for item in getattr(obj, field.attname) or () if item != key])
                    _forget_prefetched(obj, field.name)

            remove.alters_data = True

            def clear(self, *, bulk=True):
                self._check_fk_val()
                db = router.db_for_write(self.model, instance=self.instance)
                self._update(self.model._base_manager.using(db).filter(**{field.name: self._key()}), dialect.ARRAY_REMOVE)

            clear.alters_data = True

            def set(self, objs, *, bulk=True, clear=False):
                self._check_fk_val()
                self._remove_prefetched_objects()
                objs = list(objs)
                db = router.db_for_write(self.model, instance=self.instance)
                current = set(self.using(db).values_list("pk", flat=True))
                wanted = {obj.pk for obj in objs}
                self.remove(*(obj for obj in self.filter(pk__in=current - wanted)))
                self.add(*(obj for obj in objs if obj.pk not in current))

            set.alters_data = True

            def create(self, **kwargs):
                self._check_fk_val()
                self._remove_prefetched_objects()
                kwargs[field.attname] = [self._key()]
                db = router.db_for_write(self.model, instance=self.instance)
                return self.model._default_manager.db_manager(db).create(**kwargs)

            create.alters_data = True

            def get_or_create(self, **kwargs):
                raise NotImplementedError(f"get_or_create() through '{field.name}' is not supported; use add().")

            update_or_create = get_or_create

            def get_prefetch_querysets(self, instances, querysets=None):
                """
                Return the rows referencing any of ``instances`` for
                prefetch_one_level(): one query for the arrays holding any
                of their keys, each row once per instance it references,
                in the queryset's order.
                """
                # super(base, self): the model's manager, not the instance's filtered set.
                default = super(base, self).get_queryset()
                queryset, low, high = _prefetch_source(querysets, default, instances, self._db)
                target = field.target_field.attname
                wanted = _unique(getattr(instance, target) for instance in instances)
                wanted = [key for key in wanted if key is not None]
                matches = []
                if wanted:
                    wanted_set = set(wanted)
                    # {"authors": {"$in": wanted}}: the arrays holding any of the keys.
                    for row in queryset.filter(**{f"{field.name}__in": wanted}):
                        keys = _unique(getattr(row, field.attname) or ())
                        matches.extend((key, row) for key in keys if key in wanted_set)
                rows, owner_of = _pair_up(matches, low, high)
                instance_key = lambda instance: getattr(instance, target)
                return rows, owner_of, instance_key, False, field.remote_field.cache_name, False

        return ReverseArrayReferenceManager


ArrayReferenceField.forward_related_accessor_class = ArrayReferenceDescriptor
ArrayReferenceField.related_accessor_class = ReverseArrayReferenceDescriptor
ArrayReferenceField.register_lookup(ArrayHoldsExact)
