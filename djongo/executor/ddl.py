"""
The DDL of tables and columns: collections created, dropped and renamed,
fields dropped and renamed with their indexes and CHECK constraints, and
the counters of auto-increment keys (sequences.py). The catalog
(catalog.py) follows each change.
"""
import logging

from pymongo.errors import CollectionInvalid

from djongo.exceptions import ProgrammingError
from djongo.executor.checks import drop_column_checks, rename_column_checks, require_validators
from djongo.executor.common import Result
from djongo.executor.indexes import drop_aliases_of, drop_indexes_on, rebuild_renamed
from djongo.logs import log_command

logger = logging.getLogger("djongo")


def run_create_collection(command, params, connection):
    """Create the collection, with the validator of its CHECK constraints if it has any."""
    if command.validator is not None:
        require_validators(connection, command.collection)
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
    """Drop the collection with its counter and its records in the catalog."""
    log_command("drop_collection", command.collection)
    connection.database.drop_collection(command.collection)
    connection.sequences.drop(command.collection)
    connection.catalog.drop(command.collection)
    return Result()


def run_rename_collection(command, params, connection):
    """Rename the collection; its counter and its records in the catalog follow."""
    log_command("rename", command.collection, command.new)
    connection.collection(command.collection).rename(command.new)
    connection.sequences.rename_table(command.collection, command.new)
    connection.catalog.rename_table(command.collection, command.new)
    return Result()


def run_create_sequence(command, params, connection):
    """Create the counter of the table's auto-increment field."""
    log_command("create_sequence", command.collection, command.field_name)
    connection.sequences.create(command.collection, command.field_name)
    return Result()


def run_drop_field(command, params, connection):
    """Drop the indexes on the field, then the field: Django expects its indexes to go with it."""
    collection = connection.collection(command.collection)
    dropped = drop_indexes_on(collection, command.field)
    drop_aliases_of(connection.catalog, command.collection, {index["name"] for index in dropped})
    # As in PostgreSQL, the CHECK constraints that read the column go with it.
    drop_column_checks(connection, command.collection, command.field)
    log_command("update_many", command.collection, {}, {"$unset": {command.field: ""}})
    collection.update_many({}, {"$unset": {command.field: ""}})
    connection.catalog.drop_column(command.collection, command.field)
    return Result()


def run_rename_field(command, params, connection):
    """Rename the field and rebuild its indexes on the new name, keeping their names and options."""
    collection = connection.collection(command.collection)
    dropped = drop_indexes_on(collection, command.old)
    # The CHECK constraints follow the column, before the documents do: the
    # validator judges each renamed document.
    rename_column_checks(connection, command.collection, command.old, command.new)
    log_command("update_many", command.collection, {}, {"$rename": {command.old: command.new}})
    collection.update_many({command.old: {"$exists": True}}, {"$rename": {command.old: command.new}})
    rebuild_renamed(collection, dropped, command.old, command.new)
    connection.sequences.rename_field(command.collection, command.old, command.new)
    connection.catalog.rename_column(command.collection, command.old, command.new)
    return Result()


def run_no_op(command, params, connection):
    """Run nothing: the statement has no effect on MongoDB (the command says why)."""
    logger.debug("no-op on %s: %s", command.collection, command.reason)
    return Result()
