"""
Run translated commands with pymongo: the only module that does database I/O
for SQL statements.

Each ``run_<command>`` binds the statement's parameters into the command's
templates, calls pymongo and returns a Result that the cursor exposes
through the DB-API.
"""
import logging

from pymongo.errors import CollectionInvalid, OperationFailure

from djongo.exceptions import IntegrityError, NotSupportedError, ProgrammingError
from djongo.logs import log_command
from djongo.sql2mongo import commands as c
from djongo.sql2mongo.translate.ddl import validator
from djongo.executor.explain import run_explain
from djongo.executor.deletes import run_delete_many
from djongo.executor.inserts import run_insert_many
from djongo.executor.locking import run_locked_rows
from djongo.executor.reads import (
    run_aggregate, run_combine, run_count_documents, run_count_rows, run_find, run_keyed_join,
)
from djongo.executor.updates import run_bulk_update, run_update_each, run_update_many
from djongo.executor.common import (  # noqa: F401 (Result and run are the package's API)
    RUNNERS, Result, bound as _bound, run,
)

logger = logging.getLogger("djongo")


# DDL -----------------------------------------------------------------------

def run_drop_field(command, params, connection):
    """Drop the indexes on the field, then the field: Django expects its indexes to go with it."""
    collection = connection.collection(command.collection)
    dropped = set()
    for index in list(collection.list_indexes()):
        if command.field in index["key"]:
            collection.drop_index(index["name"])
            dropped.add(index["name"])
    for name, alias in connection.catalog.aliases(command.collection).items():
        if alias["index"] in dropped:
            connection.catalog.drop_alias(command.collection, name)
    # As in PostgreSQL, the CHECK constraints that read the column go with it.
    checks = connection.catalog.checks(command.collection)
    kept = {name: check for name, check in checks.items() if command.field not in check["columns"]}
    if kept != checks:
        connection.catalog.set_checks(command.collection, kept)
        _set_validator(connection, command.collection)
    log_command("update_many", command.collection, {}, {"$unset": {command.field: ""}})
    collection.update_many({}, {"$unset": {command.field: ""}})
    connection.catalog.drop_column(command.collection, command.field)
    return Result()


def run_rename_field(command, params, connection):
    """Rename the field and rebuild its indexes on the new name, keeping their names and options."""
    collection = connection.collection(command.collection)
    rebuilt = []
    for index in list(collection.list_indexes()):
        if command.old in index["key"]:
            collection.drop_index(index["name"])
            rebuilt.append(index)
    # The CHECK constraints follow the column, before the documents do: the
    # validator judges each renamed document.
    checks = connection.catalog.checks(command.collection)
    if any(command.old in check["columns"] for check in checks.values()):
        connection.catalog.set_checks(command.collection, {
            name: {
                "columns": [command.new if column == command.old else column for column in check["columns"]],
                "violation": _renamed(check["violation"], command.old, command.new),
            }
            for name, check in checks.items()
        })
        _set_validator(connection, command.collection)
    log_command("update_many", command.collection, {}, {"$rename": {command.old: command.new}})
    collection.update_many({command.old: {"$exists": True}}, {"$rename": {command.old: command.new}})
    for index in rebuilt:
        keys = [(command.new if field == command.old else field, direction) for field, direction in index["key"].items()]
        options = {key: value for key, value in index.items() if key not in ("key", "v", "ns")}
        partial = options.get("partialFilterExpression")
        if partial and command.old in partial:
            options["partialFilterExpression"] = {
                (command.new if field == command.old else field): condition for field, condition in partial.items()
            }
        collection.create_index(keys, **options)
    connection.sequences.rename_field(command.collection, command.old, command.new)
    connection.catalog.rename_column(command.collection, command.old, command.new)
    return Result()


def run_create_collection(command, params, connection):
    if command.validator is not None:
        _require_validators(connection, command.collection)
    log_command("create_collection", command.collection, *([command.validator] if command.validator else []))
    try:
        if command.validator is None:
            connection.database.create_collection(command.collection)
        else:
            # https://www.mongodb.com/docs/manual/reference/command/create/#std-label-create-cmd-validator
            connection.database.create_collection(
                command.collection, validator=command.validator, validationLevel="strict", validationAction="error",
            )
    except CollectionInvalid as exc:
        if not command.if_absent:
            raise ProgrammingError(f"table {command.collection!r} already exists ({exc})") from exc
        # CREATE TABLE IF NOT EXISTS: the schema editor found the collection
        # as the same CREATE TABLE left it (schema.py, create_model).
        logger.info("create_collection %s: the collection exists, kept", command.collection)
    connection.catalog.created(command.collection)
    connection.sequences.forget(command.collection)
    return Result()


def run_drop_collection(command, params, connection):
    log_command("drop_collection", command.collection)
    connection.database.drop_collection(command.collection)
    connection.sequences.drop(command.collection)
    connection.catalog.drop(command.collection)
    return Result()


def run_rename_collection(command, params, connection):
    log_command("rename", command.collection, command.new)
    connection.collection(command.collection).rename(command.new)
    connection.sequences.rename_table(command.collection, command.new)
    connection.catalog.rename_table(command.collection, command.new)
    return Result()


def run_create_sequence(command, params, connection):
    log_command("create_sequence", command.collection, command.field_name)
    connection.sequences.create(command.collection, command.field_name)
    return Result()


def run_create_index(command, params, connection):
    if [field for field, _ in command.keys] == ["_id"]:
        # Every collection has a unique index on _id, which MongoDB creates
        # and which cannot be redefined: an ObjectIdField primary key uses it.
        # https://www.mongodb.com/docs/manual/indexes/#default-_id-index
        logger.debug("create_index on %s: the _id index exists", command.collection)
        return Result()
    collection = connection.collection(command.collection)
    keys = [tuple(key) for key in command.keys]
    partial = None if command.partial_filter is None else _bound(command.partial_filter, params, connection)
    indexes = list(collection.list_indexes())
    named = next((index for index in indexes if index["name"] == command.name), None)
    if named is not None:
        # CREATE INDEX run again after a crash: the index is there already
        # if it is the same; another of that name is a conflict, which some
        # servers would not report (https://www.mongodb.com/docs/manual/reference/command/createIndexes/).
        if _index_shape(named) != (keys, bool(command.unique), partial):
            raise ProgrammingError(
                f"index {command.name!r} of {command.collection!r} already exists with other keys or options: "
                f"{_index_shape(named)}, not {(keys, bool(command.unique), partial)} (keys, unique, filter)"
            )
        logger.info("create_index on %s: %s exists, the same", command.collection, command.name)
        return Result()
    existing = _same_index(indexes, keys, partial, command.name)
    if existing is None:
        _create_index(collection, keys, command.name, command.unique, partial)
    elif command.unique and not existing.get("unique"):
        # A unique constraint on the columns of a plain index: the index
        # becomes unique under the new name, and the old name an alias.
        _replace_index(collection, existing, command.name, unique=True, connection=connection)
        connection.catalog.add_alias(command.collection, existing["name"], command.name, unique=False)
    else:
        # MongoDB refuses a second index on the same keys: the name is
        # recorded as another name of the index that exists (catalog.py).
        logger.debug("create_index on %s: %s is another name of %s", collection.name, command.name, existing["name"])
        connection.catalog.add_alias(command.collection, command.name, existing["name"], unique=command.unique)
    return Result()


def _index_shape(index):
    """Return (keys, unique, partial filter) of ``index`` as listIndexes describes it."""
    return [tuple(key) for key in index["key"].items()], bool(index.get("unique")), index.get("partialFilterExpression")


def _same_index(indexes, keys, partial, name):
    """Return the index of ``indexes``, not named ``name``, with the key pattern ``keys`` and filter ``partial``."""
    for index in indexes:
        if index["name"] != name and list(index["key"].items()) == keys \
                and index.get("partialFilterExpression") == partial and "collation" not in index:
            return index
    return None


def _create_index(collection, keys, name, unique, partial):
    options = {"name": name}
    if unique:
        options["unique"] = True
    if partial is not None:
        options["partialFilterExpression"] = partial
    log_command("create_index", collection.name, keys, options)
    collection.create_index(keys, **options)


def _replace_index(collection, index, name, unique, connection):
    """Drop ``index`` and build it again as ``name``, unique or not; its aliases follow it."""
    keys = list(index["key"].items())
    partial = index.get("partialFilterExpression")
    log_command("drop_index", collection.name, index["name"])
    collection.drop_index(index["name"])
    try:
        _create_index(collection, keys, name, unique, partial)
    except OperationFailure:
        # Rows break the new uniqueness: put the index back as it was.
        _create_index(collection, keys, index["name"], bool(index.get("unique")), partial)
        raise
    connection.catalog.move_aliases(collection.name, index["name"], name)


def run_drop_index(command, params, connection):
    collection = connection.collection(command.collection)
    catalog = connection.catalog
    aliases = catalog.aliases(command.collection)
    if command.name in aliases:
        logger.debug("drop_index on %s: %s is another name of %s", collection.name, command.name,
                     aliases[command.name]["index"])
        catalog.drop_alias(command.collection, command.name)
        return Result()
    heirs = [alias for alias in aliases.values() if alias["index"] == command.name]
    if heirs:
        # Other names stand for this index: it stays, under the first of
        # them, unique if any of them is.
        heir = heirs[0]
        index = next(index for index in collection.list_indexes() if index["name"] == command.name)
        catalog.drop_alias(command.collection, heir["name"])
        _replace_index(collection, index, heir["name"], any(alias["unique"] for alias in heirs), connection)
        return Result()
    log_command("drop_index", command.collection, command.name)
    collection.drop_index(command.name)
    return Result()


def run_add_checks(command, params, connection):
    """
    Record the CHECK constraints and set the validator, after making sure no
    document breaks them: SQL refuses to add a constraint the rows break,
    while MongoDB applies a validator to later writes only
    (https://www.mongodb.com/docs/manual/core/schema-validation/handle-invalid-documents/).
    """
    _require_validators(connection, command.collection)
    collection = connection.collection(command.collection)
    checks = [(name, columns, _bound(violation, params, connection)) for name, columns, violation in command.checks]
    for name, _, violation in checks:
        if collection.find_one(violation, {"_id": 1}) is not None:
            raise IntegrityError(f"check constraint {name!r} of table {command.collection!r} is violated by some row")
    for name, columns, violation in checks:
        connection.catalog.add_check(command.collection, name, columns, violation)
    _set_validator(connection, command.collection)
    return Result()


def run_drop_check(command, params, connection):
    catalog = connection.catalog
    if command.name not in catalog.checks(command.collection):
        raise ProgrammingError(f"table {command.collection!r} has no check constraint {command.name!r}")
    catalog.drop_check(command.collection, command.name)
    _set_validator(connection, command.collection)
    return Result()


def _require_validators(connection, table):
    """Refuse a CHECK constraint on a server that would record it and never apply it (validators.py)."""
    # Django writes no CHECK there (features.supports_table_check_constraints);
    # this refuses one written by hand.
    if not connection.supports_validators:
        raise NotSupportedError(
            f"CHECK constraint on table {table!r}: the server does not enforce collection validators"
        )


def _set_validator(connection, table):
    """Set ``table``'s validator from its recorded CHECK constraints (an empty one, accepting all, without any)."""
    violations = [check["violation"] for check in connection.catalog.checks(table).values()]
    wanted = validator(violations)
    found = connection.database.command("listCollections", filter={"name": table}, nameOnly=False)
    # The name is compared here too: some servers list every collection
    # whatever the filter (docs/test-server.md).
    current = [entry.get("options", {}).get("validator", {})
               for entry in found["cursor"]["firstBatch"] if entry.get("name") == table]
    if current == [wanted]:  # CREATE TABLE created the collection with it
        return
    # validationLevel "strict" validates every insert and update, and
    # validationAction "error" refuses the write
    # (https://www.mongodb.com/docs/manual/reference/command/collMod/#document-validation).
    options = {"validator": wanted, "validationLevel": "strict", "validationAction": "error"}
    log_command("collMod", table, options)
    connection.database.command("collMod", table, **options)


def _renamed(item, old, new):
    """Return the filter ``item`` with the field ``old`` (as a key, or a ``$old`` path in an expression) named ``new``."""
    if isinstance(item, dict):
        return {_renamed_path(key, old, new): _renamed(value, old, new) for key, value in item.items()}
    if isinstance(item, list):
        return [_renamed(value, old, new) for value in item]
    if isinstance(item, str) and item.startswith("$"):
        return "$" + _renamed_path(item[1:], old, new)
    return item


def _renamed_path(path, old, new):
    if path == old or path.startswith(old + "."):
        return new + path[len(old):]
    return path


def run_no_op(command, params, connection):
    logger.debug("no-op on %s: %s", command.collection, command.reason)
    return Result()


RUNNERS.update({
    c.LockedRows: run_locked_rows,
    c.Find: run_find,
    c.Aggregate: run_aggregate,
    c.CountDocuments: run_count_documents,
    c.Combine: run_combine,
    c.KeyedJoin: run_keyed_join,
    c.CountRows: run_count_rows,
    c.Explain: run_explain,
    c.InsertMany: run_insert_many,
    c.UpdateMany: run_update_many,
    c.UpdateEach: run_update_each,
    c.BulkUpdate: run_bulk_update,
    c.DeleteMany: run_delete_many,
    c.CreateCollection: run_create_collection,
    c.DropCollection: run_drop_collection,
    c.RenameCollection: run_rename_collection,
    c.CreateSequence: run_create_sequence,
    c.DropField: run_drop_field,
    c.RenameField: run_rename_field,
    c.CreateIndex: run_create_index,
    c.DropIndex: run_drop_index,
    c.AddChecks: run_add_checks,
    c.DropCheck: run_drop_check,
    c.NoOp: run_no_op,
})
