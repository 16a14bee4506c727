"""
CHECK constraints: recorded in the catalog (catalog.py) and enforced as the
collection's validator, set with ``collMod`` whenever they change
(validators.py says which servers enforce one).
"""
from djongo.exceptions import IntegrityError, NotSupportedError, ProgrammingError
from djongo.executor.common import Result, bound
from djongo.logs import log_command
from djongo.sql2mongo.translate.ddl import validator


def run_add_checks(command, params, connection):
    """
    Record the CHECK constraints and set the validator, after making sure no
    document breaks them: SQL refuses to add a constraint the rows break,
    while MongoDB applies a validator to later writes only
    (https://www.mongodb.com/docs/manual/core/schema-validation/handle-invalid-documents/).
    """
    require_validators(connection, command.collection)
    collection = connection.collection(command.collection)
    checks = [(name, columns, bound(violation, params, connection)) for name, columns, violation in command.checks]
    for name, _, violation in checks:
        if collection.find_one(violation, {"_id": 1}) is not None:
            raise IntegrityError(f"check constraint {name!r} of table {command.collection!r} is violated by some row")
    for name, columns, violation in checks:
        connection.catalog.add_check(command.collection, name, columns, violation)
    set_validator(connection, command.collection)
    return Result()


def run_drop_check(command, params, connection):
    """Forget the CHECK constraint and set the validator of those left."""
    catalog = connection.catalog
    if command.name not in catalog.checks(command.collection):
        raise ProgrammingError(f"table {command.collection!r} has no check constraint {command.name!r}")
    catalog.drop_check(command.collection, command.name)
    set_validator(connection, command.collection)
    return Result()


def drop_column_checks(connection, table, column):
    """Drop the CHECK constraints of ``table`` that read ``column``, as PostgreSQL drops them with it."""
    checks = connection.catalog.checks(table)
    kept = {name: check for name, check in checks.items() if column not in check["columns"]}
    if kept != checks:
        connection.catalog.set_checks(table, kept)
        set_validator(connection, table)


def rename_column_checks(connection, table, old, new):
    """Make the CHECK constraints of ``table`` that read the column ``old`` read ``new``."""
    checks = connection.catalog.checks(table)
    if any(old in check["columns"] for check in checks.values()):
        connection.catalog.set_checks(table, {
            name: {
                "columns": [new if column == old else column for column in check["columns"]],
                "violation": _renamed(check["violation"], old, new),
            }
            for name, check in checks.items()
        })
        set_validator(connection, table)


def require_validators(connection, table):
    """Refuse a CHECK constraint on a server that would record it and never apply it (validators.py)."""
    # Django writes no CHECK there (features.supports_table_check_constraints);
    # this refuses one written by hand.
    if not connection.supports_validators:
        raise NotSupportedError(
            f"CHECK constraint on table {table!r}: the server does not enforce collection validators"
        )


def set_validator(connection, table):
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
    """Return the dotted ``path`` with its first field named ``new`` if it was ``old``."""
    if path == old or path.startswith(old + "."):
        return new + path[len(old):]
    return path
