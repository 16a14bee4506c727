"""
MongoDB commands, named after the pymongo calls that run them.

A translated statement is a tuple of these. They are plain data: the filters,
updates and pipelines inside them are templates in which ``Slot`` objects
stand for the statement's parameters. ``bind`` fills the slots at run time,
so a parameter is only ever a value in a document, never an operator or a
piece of a regular expression.
"""
import datetime
import decimal
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from bson.decimal128 import Decimal128
from bson.regex import Regex

from djongo.exceptions import DataError

from . import rowsets


@dataclass(frozen=True, slots=True)
class Slot:
    """A parameter hole; ``convert`` turns the bound value into what the query needs."""
    index: int
    convert: Optional[Callable] = None

    def resolve(self, params):
        value = to_bson(params[self.index])
        return value if self.convert is None else self.convert(value)


@dataclass(frozen=True, slots=True)
class Const:
    """A constant output column, e.g. the ``1`` of ``SELECT 1 AS "a"``."""
    value: Any


@dataclass(frozen=True, slots=True)
class PreRun:
    """
    An uncorrelated subquery, run before its statement; ``shape`` says what
    its rows become in the statement: "values" (the first column's values),
    "value" (the first of them, or None), "any" and "none" (whether there are
    rows), "in" and "not in" (the field condition of [NOT] IN, with SQL's
    NULL rules), "implied in" (IN, or every row when the subquery returns
    ``limit`` rows: a condition that only narrows the rows early).
    """
    command: Any
    shape: str
    limit: Optional[int] = None

    def resolve(self, rows):
        values = [row[0] for row in rows]
        shape = self.shape
        if shape == "values":
            return values
        if shape == "value":
            return values[0] if values else None
        if shape == "any":
            return bool(values)
        if shape == "none":
            return not values
        if shape == "implied in" and len(values) >= self.limit:
            # $nin of nothing matches every document, a missing field too.
            return {"$nin": []}
        if shape in ("in", "implied in"):
            return {"$in": members(item for item in distinct_keys(values) if item is not None)}
        if shape == "not in":
            values = distinct_keys(values)
            # x NOT IN (.., NULL) is never TRUE.
            if any(item is None for item in values):
                return {"$in": []}
            return {"$nin": [*members(values), None]}
        raise ValueError(f"unknown subquery shape {shape!r}")


def member(value):
    """
    Return ``value``, a value of an IN list (a parameter, or a key a
    subquery read): MongoDB's ``$in`` and ``$nin`` match a regular
    expression in their list as a pattern
    (https://www.mongodb.com/docs/manual/reference/operator/query/in/), so
    one is refused rather than become a pattern.
    """
    if isinstance(value, (re.Pattern, Regex)):
        raise DataError(f"regular expression {value!r} in an IN list: MongoDB would match it as a pattern")
    return value


def members(values):
    """Return the list ``values`` of an IN list, each checked by member()."""
    return [member(item) for item in values]


def distinct_keys(values):
    """
    Return the keys ``values`` hold for an IN test, each once: the elements
    of an array count one by one, as MongoDB matches a key against an array
    (an ArrayReferenceField's column) and as ``$lookup`` joins its elements
    (https://www.mongodb.com/docs/manual/reference/operator/query/in/).
    """
    keys = {}
    for value in values:
        for item in value if isinstance(value, list) else (value,):
            try:
                keys.setdefault(rowsets.value_key(item), item)
            except TypeError:  # a value no key can stand for: keep it as it is
                keys[id(item)] = item
    return list(keys.values())


@dataclass(frozen=True, slots=True)
class Build:
    """A part of a template made at bind time: ``function(*bound parts)``."""
    function: Callable
    parts: tuple


# Types BSON stores as they are: most parameters, so looked up first.
_NATIVE_TYPES = frozenset({int, str, float, bool, type(None), bytes})


def bson_values(values):
    """Return the list of ``values``, each as BSON stores it."""
    return [value if type(value) in _NATIVE_TYPES else to_bson(value) for value in values]


def to_bson(value):
    """Return ``value`` as a type BSON stores natively."""
    if type(value) in _NATIVE_TYPES:
        return value
    if isinstance(value, decimal.Decimal):
        try:
            return Decimal128(value)
        except decimal.DecimalException:
            raise DataError(
                f"Decimal {value} does not fit BSON's Decimal128 (34 significant digits, exponents -6176 to 6111)"
            ) from None
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        # BSON has no date type: a date is stored as midnight UTC.
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        # BSON has no time type: a fixed-width string sorts in time order.
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (memoryview, bytearray)):
        return bytes(value)
    if isinstance(value, (tuple, list)):
        return [to_bson(item) for item in value]
    if isinstance(value, dict):
        # Subdocuments (EmbeddedField, JSONField values) hold Python values too.
        return {key: to_bson(item) for key, item in value.items()}
    return value


def bind(template, params, run=None):
    """
    Return a copy of ``template`` with every Slot replaced by its parameter
    and every PreRun by its result; ``run(command)`` returns a command's rows.
    """
    kind = type(template)
    if kind is Slot:
        return template.resolve(params)
    if kind is dict:
        return {key: bind(value, params, run) for key, value in template.items()}
    if kind is list:
        return [bind(value, params, run) for value in template]
    if kind is Build:
        return template.function(*(bind(part, params, run) for part in template.parts))
    if kind is PreRun:
        if run is None:
            raise ValueError("a subquery cannot be bound without a database")
        return template.resolve(run(template.command))
    return template


@dataclass(frozen=True)
class Command:
    collection: str


@dataclass(frozen=True)
class Find(Command):
    """``collection.find(filter, projection).sort().skip().limit()``; ``columns`` name the row's fields."""
    filter: dict = field(default_factory=dict)
    projection: Optional[dict] = None
    sort: tuple = ()  # of (field, 1 | -1)
    skip: Any = None  # int, Slot or None
    limit: Any = None
    columns: tuple = ()  # of field names or Const; empty for SELECT *
    names: tuple = ()  # the result column names
    lock: Optional[str] = None  # FOR UPDATE: "wait", "nowait" or "skip locked"

    @functools.cached_property
    def constants(self):
        """Does a column hold a constant (``SELECT 1``, ``SELECT %s``) rather than a field?"""
        return any(isinstance(column, Const) for column in self.columns)


@dataclass(frozen=True)
class LockedRows(Command):
    """
    ``SELECT ... FOR UPDATE`` with joins: run ``command``, whose last column
    is the ``_id`` of each row of ``collection`` (the FROM table), lock those
    rows (``mode`` as Find.lock), then run it again and return the rows
    whose ``_id`` is locked, without that column.
    """
    ID_COLUMN = "__lock_id"

    command: Any = None
    mode: str = "wait"
    names: tuple = ()


@dataclass(frozen=True)
class Aggregate(Command):
    """``collection.aggregate(pipeline)``; the last stage yields documents keyed by ``columns``."""
    pipeline: list = field(default_factory=list)
    columns: tuple = ()
    names: tuple = ()
    decoders: tuple = ()  # per column, a function turning the stored value into the SQL value, or None


@dataclass(frozen=True)
class CountDocuments(Command):
    """``collection.count_documents(filter, skip=, limit=)`` as a one-row, one-column result."""
    filter: dict = field(default_factory=dict)
    skip: Any = None
    limit: Any = None
    names: tuple = ("count",)


@dataclass(frozen=True)
class Combine(Command):
    """
    A compound SELECT: run each command of ``parts``, combine their rows
    with ``op`` (UNION, INTERSECT or EXCEPT; ``all`` keeps duplicates),
    then sort by ``order`` and apply ``skip`` and ``limit``. MongoDB has
    no stage for INTERSECT or EXCEPT, so the rows are combined in djongo.
    """
    op: str = "UNION"
    all: bool = False
    parts: tuple = ()  # of query commands, each yielding rows of the same width
    order: tuple = ()  # of (column index, descending, nulls "FIRST" | "LAST" | None)
    skip: Any = None  # int, Slot or None
    limit: Any = None
    names: tuple = ()


@dataclass(frozen=True)
class KeyedJoin(Command):
    """
    A LEFT JOIN djongo completes itself (see tree.KeyedJoin): run ``outer``,
    then ``inner`` (whose first column is the key; with ``by_keys``, once per
    batch of the outer rows' keys, bound to its list parameter -1); give each
    outer row, at the positions ``fills`` names, the values of the inner row
    with an equal key, or the defaults; then sort by ``order``, apply
    ``skip`` and ``limit``, and keep the first ``width`` columns.
    """
    outer: Any = None
    inner: Any = None
    key: int = 0
    fills: tuple = ()  # of (outer position, inner position, default value)
    width: int = 0
    by_keys: bool = False
    order: tuple = ()  # of (column index, descending, nulls "FIRST" | "LAST" | None)
    skip: Any = None
    limit: Any = None
    names: tuple = ()


@dataclass(frozen=True)
class Explain(Command):
    """
    Run ``commands`` (a SELECT's), recording each find, aggregate and count
    they send, then ask the server to explain each one; the rows describe
    the commands and carry the server's answers, as text or as JSON.
    """
    commands: tuple = ()
    format: str = "TEXT"
    verbosity: str = "queryPlanner"
    names: tuple = ("QUERY PLAN",)


@dataclass(frozen=True)
class CountRows(Command):
    """The number of rows ``query`` returns, as a one-row, one-column result."""
    query: Any = None
    names: tuple = ("count",)


@dataclass(frozen=True)
class InsertMany(Command):
    """``collection.insert_many(documents)``; ids of the auto field come from ``__schema__``."""
    fields: tuple = ()
    rows: tuple = ()  # of tuples of values, Slots or DEFAULT
    returning: tuple = ()  # field names whose values come back as rows
    # ON CONFLICT DO NOTHING: rows that would break a unique index are skipped.
    skip_conflicts: bool = False
    # ON CONFLICT (upsert_keys) DO UPDATE: a row whose upsert_keys match a
    # stored document updates it instead, setting each (field, source) pair's
    # field to the row's value of source.
    upsert_keys: tuple = ()
    upsert_updates: tuple = ()

    @functools.cached_property
    def plain(self):
        """
        Is every value the next parameter taken as it is, row by row (a
        Slot without a conversion), as in every INSERT Django writes?
        """
        slots = [value for row in self.rows for value in row]
        return bool(slots) and all(
            type(value) is Slot and value.convert is None and value.index == position
            for position, value in enumerate(slots)
        )


@dataclass(frozen=True)
class UpdateMany(Command):
    """
    ``collection.update_many(filter, update)``; ``update`` is an update
    document or a pipeline. With ``id_pipeline``, the rows to update are
    the ``_id``s that aggregation finds, not ``filter``.
    """
    filter: dict = field(default_factory=dict)
    update: Any = None
    id_pipeline: Optional[list] = None


@dataclass(frozen=True)
class BulkUpdate(Command):
    """
    ``collection.bulk_write`` of one UpdateOne per key value: each column
    is ``CASE WHEN key = k THEN v ... ELSE default END``, so the rows
    matching ``filter`` whose ``key`` field is k get v (the first WHEN for
    k decides), the other matching rows the defaults; all get ``fixed``.
    """
    filter: dict = field(default_factory=dict)
    key: str = ""
    columns: tuple = ()  # of (field, ((key, value), ...), default)
    fixed: dict = field(default_factory=dict)
    id_pipeline: Optional[list] = None


@dataclass(frozen=True)
class DeleteMany(Command):
    """``collection.delete_many(filter)``; ``id_pipeline`` as for UpdateMany."""
    filter: dict = field(default_factory=dict)
    id_pipeline: Optional[list] = None


@dataclass(frozen=True)
class CreateCollection(Command):
    """``database.create_collection(name)``."""


@dataclass(frozen=True)
class DropCollection(Command):
    """``database.drop_collection(name)`` and its ``__schema__`` entry."""


@dataclass(frozen=True)
class RenameCollection(Command):
    """``collection.rename(new)`` and its ``__schema__`` entry."""
    new: str = ""


@dataclass(frozen=True)
class CreateSequence(Command):
    """Insert the ``__schema__`` entry that counts ids of an auto-increment field."""
    field_name: str = "id"


@dataclass(frozen=True)
class DropField(Command):
    """Drop a field from every document (``$unset``) and the indexes on it."""
    field: str = ""


@dataclass(frozen=True)
class RenameField(Command):
    """Rename a field in every document (``$rename``), in its indexes and in ``__schema__``."""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class CreateIndex(Command):
    """``collection.create_index(keys, name=, unique=, partialFilterExpression=)``."""
    keys: tuple = ()  # of (field, 1 | -1)
    name: str = ""
    unique: bool = False
    partial_filter: Optional[dict] = None


@dataclass(frozen=True)
class DropIndex(Command):
    """``collection.drop_index(name)``."""
    name: str = ""


@dataclass(frozen=True)
class NoOp(Command):
    """A statement that needs no work in MongoDB; ``reason`` says why."""
    reason: str = ""


DEFAULT = object()  # a DEFAULT value in an INSERT row: the field is left out
