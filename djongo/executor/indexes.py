"""
Indexes: CREATE INDEX and DROP INDEX, and the indexes that follow a column
dropped or renamed.

MongoDB refuses a second index on the same keys, which SQL allows: such a
name is recorded in the catalog as an alias of the index that exists
(catalog.py), and dropping a name an alias still stands for keeps the
index under that alias.
"""
import logging

from pymongo.errors import OperationFailure

from djongo.exceptions import ProgrammingError
from djongo.executor.common import Result, bound
from djongo.logs import log_command

logger = logging.getLogger("djongo")


def run_create_index(command, params, connection):
    """
    Create the index, unless an index of the same shape exists: then the
    name becomes another name of it (and a plain index becomes unique when
    the new name asks for it).
    """
    if [field for field, _ in command.keys] == ["_id"]:
        # Every collection has a unique index on _id, which MongoDB creates
        # and which cannot be redefined: an ObjectIdField primary key uses it.
        # https://www.mongodb.com/docs/manual/indexes/#default-_id-index
        logger.debug("create_index on %s: the _id index exists", command.collection)
        return Result()
    collection = connection.collection(command.collection)
    keys = [tuple(key) for key in command.keys]
    partial = None if command.partial_filter is None else bound(command.partial_filter, params, connection)
    indexes = list(collection.list_indexes())
    named = next((index for index in indexes if index["name"] == command.name), None)
    if named is not None:
        # CREATE INDEX run again after a crash: the index is there already
        # if it is the same; another of that name is a conflict, which some
        # servers would not report (https://www.mongodb.com/docs/manual/reference/command/createIndexes/).
        if index_shape(named) != (keys, bool(command.unique), partial):
            raise ProgrammingError(
                f"index {command.name!r} of {command.collection!r} already exists with other keys or options: "
                f"{index_shape(named)}, not {(keys, bool(command.unique), partial)} (keys, unique, filter)"
            )
        logger.info("create_index on %s: %s exists, the same", command.collection, command.name)
        return Result()
    existing = same_index(indexes, keys, partial, command.name)
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


def run_drop_index(command, params, connection):
    """
    Drop the index, or only the name when it is an alias; an index that
    aliases still stand for stays, under the first of them.
    """
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


def index_shape(index):
    """Return (keys, unique, partial filter) of ``index`` as listIndexes describes it."""
    return [tuple(key) for key in index["key"].items()], bool(index.get("unique")), index.get("partialFilterExpression")


def same_index(indexes, keys, partial, name):
    """Return the index of ``indexes``, not named ``name``, with the key pattern ``keys`` and filter ``partial``."""
    for index in indexes:
        if index["name"] != name and list(index["key"].items()) == keys \
                and index.get("partialFilterExpression") == partial and "collation" not in index:
            return index
    return None


def _create_index(collection, keys, name, unique, partial):
    """Create the index ``name`` on ``keys``, unique or not, with the partial filter ``partial`` if any."""
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


def drop_indexes_on(collection, field):
    """Drop the indexes of ``collection`` whose keys hold ``field``; return them as listIndexes described them."""
    dropped = []
    for index in list(collection.list_indexes()):
        if field in index["key"]:
            collection.drop_index(index["name"])
            dropped.append(index)
    return dropped


def drop_aliases_of(catalog, table, index_names):
    """Forget the aliases of ``table`` that stand for an index of ``index_names``, dropped."""
    for name, alias in catalog.aliases(table).items():
        if alias["index"] in index_names:
            catalog.drop_alias(table, name)


def rebuild_renamed(collection, indexes, old, new):
    """
    Build ``indexes`` again with the field ``old`` named ``new`` in their
    keys and partial filters, keeping their names and other options.
    """
    for index in indexes:
        keys = [(new if field == old else field, direction) for field, direction in index["key"].items()]
        options = {key: value for key, value in index.items() if key not in ("key", "v", "ns")}
        partial = options.get("partialFilterExpression")
        if partial and old in partial:
            options["partialFilterExpression"] = {
                (new if field == old else field): condition for field, condition in partial.items()
            }
        collection.create_index(keys, **options)
