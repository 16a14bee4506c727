"""
The ``__columns__`` collection: what Django's schema says of each table that
MongoDB does not keep.

- **Columns.** An empty collection has no fields at all, and a document may
  lack a field added after it was written. So the schema editor records
  each table's columns, in table order, and introspection, ``SELECT *`` and
  the naming of hand-written joins read them back.
- **Index names.** MongoDB keeps one index per key pattern (and partial
  filter), and refuses a second one under another name
  (https://www.mongodb.com/docs/manual/reference/method/db.collection.createIndex/#index-names),
  while Django may give the same columns an index and a unique constraint,
  or rename an index by creating the new one first. The second name is
  recorded as an alias of the index that exists, with the uniqueness
  Django asked for; introspection lists it, and dropping it drops only the
  alias (executor/indexes.py, run_create_index and run_drop_index).
- **References.** MongoDB has no foreign keys. The record of a ForeignKey's
  column says which table and column it references and what deleting a
  referenced row does to its row (``on_delete``: "CASCADE", "SET NULL"
  and "SET DEFAULT" for Django's DB_CASCADE, DB_SET_NULL and
  DB_SET_DEFAULT, with the db_default that SET DEFAULT writes; "NO
  ACTION" for the on_delete options Django applies itself). Introspection
  reads them back (get_relations), and a DELETE applies the actions
  (executor/deletes.py, run_delete_many), which ``on_delete()`` reads once per process
  and database and again after this process changes a table's columns.

- **CHECK constraints.** MongoDB keeps one validator per collection, not
  named constraints. Each CHECK is recorded with its name, the columns it
  reads and the filter of the documents that break it; the collection's
  validator refuses the documents any of them matches, and is set again
  from the records when one is added or dropped (executor/checks.py, run_add_checks,
  run_drop_check). The filter is stored BSON-encoded: it holds
  ``$``-prefixed keys, which MongoDB before 5.0 does not store as field
  names
  (https://www.mongodb.com/docs/manual/core/dot-dollar-considerations/).

One document per table: ``{"table": t, "columns": [{"name": ..., "type":
..., "null": ..., "references": {"table": ..., "column": ..., "on_delete":
..., "default": ...}}, ...], "aliases": [{"name": ..., "index": ...,
"unique": ...}, ...], "checks": [{"name": ..., "columns": [...],
"violation": <BSON>}, ...]}``.
"""
import threading
import types

import bson

from djongo.locks import LOCKS_COLLECTION
from djongo.sequences import SCHEMA_COLLECTION
from djongo.sql2mongo.commands import OnDelete
from djongo.sql2mongo.plans import Facts
from djongo.validators import PROBE_PREFIX

COLUMNS_COLLECTION = "__columns__"
# The collections djongo keeps for itself, which no model has: introspection
# (inspectdb, table_names()) leaves them out, and reading one needs no
# migration.
INTERNAL_COLLECTIONS = frozenset({SCHEMA_COLLECTION, COLUMNS_COLLECTION, LOCKS_COLLECTION})


def is_internal(name):
    """
    Is ``name`` a collection djongo keeps for itself, which no model has: one
    of INTERNAL_COLLECTIONS, a scratch collection of the validator probe
    that a crash left behind, or one of MongoDB's system.* collections?
    """
    return name in INTERNAL_COLLECTIONS or name.startswith((PROBE_PREFIX, "system."))


# The mark of a table a migration made and django_migrations does not
# record yet: a CREATE TABLE that finds it may complete it after a crash
# (schema.py). Once the migration is recorded, the table is that
# migration's and a second CREATE TABLE of it is an error, as Django's
# --fake-initial expects.
UNRECORDED = "unrecorded_migration"
# The table of MigrationRecorder, whose INSERT records a migration.
MIGRATIONS_TABLE = "django_migrations"

# What the database does to a referencing row when the row it references is
# deleted, as SQL's ON DELETE names it; "NO ACTION" leaves it to Django.
DATABASE_ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT")
NO_ACTION = "NO ACTION"


class Catalog:
    """The column records and index aliases of one database."""

    def __init__(self, database):
        self.records = database[COLUMNS_COLLECTION]
        # The OnDelete actions of the database, read once and kept until
        # this process changes a table's columns (database.py shares one
        # Catalog per database among connections).
        self._lock = threading.Lock()
        self._generation = 0
        self._actions = None  # {referenced table: (OnDelete, ...)}
        self._reachable = {}  # {deleted table: what on_delete() returns}
        self._existing = set()  # collections known to exist

    # Tables ------------------------------------------------------------------

    def exists(self, table):
        """
        Return whether the collection ``table`` exists. The names are
        listed once and kept: a name not among them is looked for again,
        so that a collection another process made is found.
        """
        if table in self._existing:
            return True
        names = set(self.records.database.list_collection_names())
        with self._lock:
            self._existing |= names
        return table in names

    def created(self, table):
        with self._lock:
            self._existing.add(table)

    def _gone(self, table):
        with self._lock:
            self._existing.discard(table)

    # Columns ---------------------------------------------------------------

    def columns(self, table):
        """Return the recorded columns of ``table`` in order, or None if none are recorded."""
        entry = self.records.find_one({"table": table}, {"columns": 1})
        return None if entry is None else entry.get("columns")

    def columns_of(self, tables):
        """Return {table: its recorded columns} of those of ``tables`` that have any, read in one query."""
        found = self.records.find({"table": {"$in": list(tables)}}, {"table": 1, "columns": 1})
        return {entry["table"]: entry["columns"] for entry in found if entry.get("columns")}

    def facts(self, needs):
        """
        Return the Facts (sql2mongo/plans.py) that answer a statement's
        ``needs``: the recorded column names of its tables (None for a
        table without a record), read in one query, and the ON DELETE
        actions of the table it deletes from, read once per process.
        """
        columns = ()
        if needs.tables:
            recorded = self.columns_of(needs.tables)
            columns = tuple(
                (table, tuple(column["name"] for column in recorded[table]) if table in recorded else None)
                for table in needs.tables
            )
        on_delete = self.on_delete(needs.deletes) if needs.deletes is not None else None
        return Facts(columns, on_delete or None)

    def set_column(self, table, column):
        """Record ``column`` (a dict with a "name"), replacing the record of that name in place."""
        columns = list(self.columns(table) or [])
        for position, existing in enumerate(columns):
            if existing["name"] == column["name"]:
                columns[position] = column
                break
        else:
            columns.append(column)
        self.set_columns(table, columns)

    def set_columns(self, table, columns, unrecorded=False):
        """
        Record ``columns`` as the whole column list of ``table``; with
        ``unrecorded``, mark the table as made by a migration that
        django_migrations does not record yet (schema.py, create_model).
        """
        update = {"$set": {"columns": list(columns)}}
        if unrecorded:
            update["$set"][UNRECORDED] = True
        self._update(table, update)
        self.forget()

    def columns_and_unrecorded(self, table):
        """
        Return ``table``'s recorded columns (None if none are) and whether a
        migration that django_migrations does not record yet made it, read
        in one query.
        """
        entry = self.records.find_one({"table": table}, {"columns": 1, UNRECORDED: 1})
        if entry is None:
            return None, False
        return entry.get("columns"), bool(entry.get(UNRECORDED))

    def migration_recorded(self):
        """A migration was recorded as applied: the tables its CREATE TABLEs made are its own now."""
        self.records.update_many({UNRECORDED: True}, {"$unset": {UNRECORDED: ""}})

    def drop_column(self, table, name):
        """Forget the record of column ``name`` of ``table``."""
        self.records.update_one({"table": table}, {"$pull": {"columns": {"name": name}}})
        self.forget()

    def rename_column(self, table, old, new):
        """Rename column ``old`` of ``table``, in its record and in the references to it."""
        self.records.update_one({"table": table, "columns.name": old}, {"$set": {"columns.$.name": new}})
        self._rename_references({"table": table, "column": old}, {"column": new})
        self.forget()

    # Tables ----------------------------------------------------------------

    def drop(self, table):
        self.records.delete_one({"table": table})
        self._gone(table)
        self.forget()

    def rename_table(self, old, new):
        """Rename table ``old``, in its record and in the references to it (SQL's foreign keys follow a renamed table)."""
        self.records.update_one({"table": old}, {"$set": {"table": new}})
        self._rename_references({"table": old}, {"table": new})
        self._gone(old)
        self.created(new)
        self.forget()

    def _rename_references(self, old, new):
        """Change the column references that hold the values of ``old`` to those of ``new``."""
        query = {"columns": {"$elemMatch": {f"references.{key}": value for key, value in old.items()}}}
        # Several columns of a record may match, and DDL is rare: each
        # record is written back whole.
        for entry in list(self.records.find(query, {"columns": 1})):
            columns = entry["columns"]
            for column in columns:
                reference = column.get("references")
                if reference and all(reference.get(key) == value for key, value in old.items()):
                    reference.update(new)
            self.records.update_one({"_id": entry["_id"]}, {"$set": {"columns": columns}})

    # References --------------------------------------------------------------

    def on_delete(self, table):
        """
        Return what deleting rows of ``table`` does to other rows: a mapping
        {table: (OnDelete, ...)} of ``table`` and each table whose rows a
        DB_CASCADE from it deletes, to the actions on the rows referencing
        it; empty when no row references ``table`` through a DB_* on_delete.
        Read from ``__columns__`` once, with one query, for every table.
        """
        reachable = self._reachable.get(table)
        if reachable is not None:
            return reachable
        generation = self._generation
        actions = self._actions
        if actions is None:
            actions = actions_of(self.records.find(
                {"columns.references.on_delete": {"$in": list(DATABASE_ACTIONS)}}, {"table": 1, "columns": 1},
            ))
        reachable = cascade_closure(actions, table)
        with self._lock:
            if generation == self._generation:  # no change was recorded meanwhile
                self._actions = actions
                self._reachable[table] = reachable
        return reachable

    def forget(self):
        """
        Forget the actions read, and the collections known to exist: a
        table's columns, or the database, changed. (Called after the change
        is written: a read that began before it is then not kept.) A
        dropped database (a test runner's teardown) has no collection left,
        and the next CREATE TABLE there must not take its table for one an
        interrupted migration left (schema.py).
        """
        with self._lock:
            self._generation += 1
            self._actions = None
            self._reachable = {}
            self._existing = set()

    # Index aliases -----------------------------------------------------------

    def aliases(self, table):
        """Return ``table``'s index aliases: ``{name: {"index": index name, "unique": bool}}``."""
        entry = self.records.find_one({"table": table}, {"aliases": 1}) or {}
        return {alias["name"]: alias for alias in entry.get("aliases", [])}

    def add_alias(self, table, name, index, unique):
        """Record ``name`` as another name of ``table``'s index ``index``, unique or not as Django asked."""
        self.drop_alias(table, name)
        self._update(table, {"$push": {"aliases": {"name": name, "index": index, "unique": unique}}})

    def drop_alias(self, table, name):
        self.records.update_one({"table": table}, {"$pull": {"aliases": {"name": name}}})

    def move_aliases(self, table, old_index, new_index):
        """Point the aliases of ``old_index`` at ``new_index``, which replaced it."""
        aliases = self.aliases(table)
        for alias in aliases.values():
            if alias["index"] == old_index:
                alias["index"] = new_index
        self._update(table, {"$set": {"aliases": [alias for alias in aliases.values() if alias["name"] != new_index]}})

    # CHECK constraints -------------------------------------------------------

    def checks(self, table):
        """Return ``table``'s CHECK constraints: ``{name: {"columns": [...], "violation": filter}}``, in order."""
        entry = self.records.find_one({"table": table}, {"checks": 1}) or {}
        return {
            check["name"]: {"columns": list(check["columns"]), "violation": bson.decode(check["violation"])}
            for check in entry.get("checks", [])
        }

    def add_check(self, table, name, columns, violation):
        """Record the CHECK constraint ``name`` of ``table``, replacing one of that name."""
        self.drop_check(table, name)
        check = {"name": name, "columns": list(columns), "violation": bson.encode(violation)}
        self._update(table, {"$push": {"checks": check}})

    def drop_check(self, table, name):
        self.records.update_one({"table": table}, {"$pull": {"checks": {"name": name}}})

    def set_checks(self, table, checks):
        """Record ``checks`` (as ``checks()`` returns them) as all of ``table``'s CHECK constraints."""
        self._update(table, {"$set": {"checks": [
            {"name": name, "columns": list(check["columns"]), "violation": bson.encode(check["violation"])}
            for name, check in checks.items()
        ]}})

    def _update(self, table, update):
        self.records.create_index("table", unique=True, name="table_uniq")
        self.records.update_one({"table": table}, update, upsert=True)


def actions_of(entries):
    """
    Return the OnDelete actions that the column records ``entries`` (the
    documents of ``__columns__``) hold, as {referenced table: (OnDelete, ...)}.
    """
    actions = {}
    for entry in entries:
        for column in entry.get("columns") or ():
            reference = column.get("references")
            if not reference or reference.get("on_delete") not in DATABASE_ACTIONS:
                continue
            actions.setdefault(reference["table"], []).append(OnDelete(
                entry["table"], column["name"], reference["column"], reference["on_delete"],
                reference.get("default"),
            ))
    return {table: tuple(found) for table, found in actions.items()}


def cascade_closure(actions, table):
    """
    Return the part of ``actions`` that deleting rows of ``table`` applies:
    ``table``'s own, and those of every table a CASCADE reaches from it
    (each once, so that a cycle of references ends), as a read-only
    mapping in the order they are reached.
    """
    reached = {}
    pending = [table]
    while pending:
        current = pending.pop(0)
        if current in reached or current not in actions:
            continue
        reached[current] = actions[current]
        pending.extend(action.table for action in actions[current] if action.action == "CASCADE")
    return types.MappingProxyType(reached)
