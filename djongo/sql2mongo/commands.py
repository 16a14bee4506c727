"""
MongoDB commands, named after the pymongo calls that run them.

A translated statement is a tuple of these. They are plain data: the filters,
updates and pipelines inside them are templates with ``Slot``s where the
statement's parameters go (binding.py).
"""
import functools
from dataclasses import dataclass, field
from typing import Any, Optional

from .binding import Const, Slot


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
class UpdateEach(Command):
    """
    An UPDATE that no update pipeline can run: one setting values djongo
    makes for each row (UUIDV4()), or one whose new values read a
    correlated subquery. An aggregation reads the documents matching
    ``filter`` (or the ``_id``s of ``id_pipeline``), runs ``stages`` (the
    subqueries' ``$lookup`` stages) and computes the expressions of
    ``computed`` ({field: expression}) and the arguments of ``made``
    ((field, maker, [argument expressions]), ...) beside each; then each
    document is written with an update of its own (computed_updates.py).
    """
    filter: dict = field(default_factory=dict)
    computed: dict = field(default_factory=dict)
    made: tuple = ()
    id_pipeline: Optional[list] = None
    stages: tuple = ()


@dataclass(frozen=True)
class BulkUpdate(Command):
    """
    ``collection.bulk_write`` of one UpdateMany per key value (the key
    is bulk_update()'s primary key, but a CASE over any column has this
    shape, and then many rows share a value), and one for the other rows:
    each column is ``CASE WHEN key = k THEN v ... ELSE default END``, so
    the rows matching ``filter`` whose ``key`` field is k get v (the first
    WHEN for k decides), the other matching rows the defaults; all get
    ``fixed``.
    """
    filter: dict = field(default_factory=dict)
    key: str = ""
    columns: tuple = ()  # of (field, ((key, value), ...), default)
    fixed: dict = field(default_factory=dict)
    id_pipeline: Optional[list] = None


@dataclass(frozen=True)
class OnDelete:
    """
    What deleting rows of a table does to the rows of ``table`` whose
    ``column`` holds the deleted rows' ``key`` column: a ForeignKey's
    ``DB_CASCADE`` deletes them (``action`` "CASCADE"), ``DB_SET_NULL`` sets
    the column to NULL ("SET NULL"), ``DB_SET_DEFAULT`` to ``default``, the
    column's db_default ("SET DEFAULT").
    """
    table: str
    column: str
    key: str
    action: str
    default: Any = None


@dataclass(frozen=True)
class DeleteMany(Command):
    """
    ``collection.delete_many(filter)``; ``id_pipeline`` as for UpdateMany.
    ``on_delete`` maps each table whose deleted rows other rows reference,
    this one first, to its OnDelete actions: the rows are then found
    before they are deleted, and the actions applied to the rows
    referencing them, table by table (executor/deletes.py, run_delete_many). The
    schema's facts, given to the plan with the others (plans.Facts).
    """
    filter: dict = field(default_factory=dict)
    id_pipeline: Optional[list] = None
    on_delete: Any = None  # a mapping {table: (OnDelete, ...)}, or None


@dataclass(frozen=True)
class CreateCollection(Command):
    """
    ``database.create_collection(name)``, with the validator of the table's
    CHECK constraints if any; with ``if_absent``, a collection that exists
    already is kept (CREATE TABLE IF NOT EXISTS).
    """
    validator: Optional[dict] = None
    if_absent: bool = False


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
class AddChecks(Command):
    """
    Record CHECK constraints in ``__columns__`` and set the collection's
    validator to refuse documents that break one. ``checks`` holds
    (name, columns, violation) triples: the columns the condition reads,
    and the filter of the documents where it is FALSE.
    """
    checks: tuple = ()


@dataclass(frozen=True)
class DropCheck(Command):
    """Forget the CHECK constraint ``name`` and set the collection's validator from the others."""
    name: str = ""


@dataclass(frozen=True)
class NoOp(Command):
    """A statement that needs no work in MongoDB; ``reason`` says why."""
    reason: str = ""

