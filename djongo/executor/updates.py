"""
UPDATE: update_many() with an update document or pipeline, the rows of a
computed update written one by one (computed_updates.py), and the CASE
WHEN ... of bulk_update() as one bulk_write.
"""
from pymongo import UpdateMany

from djongo import computed_updates
from djongo.executor.common import Result, bound, write_filter
from djongo.logs import log_command
from djongo.sequences import SCHEMA_COLLECTION
from djongo.sql2mongo import rowsets
from djongo.sql2mongo.binding import members
from djongo.sql2mongo.translate.values import equal_to


def run_update_many(command, params, connection):
    """Run an UPDATE as update_many(); return the number of rows matched."""
    filter_ = write_filter(command, params, connection)
    update = bound(command.update, params, connection)
    collection = connection.collection(command.collection)
    if isinstance(update, list) and not connection.supports_update_pipelines:
        # The server refuses an update pipeline: its result is computed
        # with an aggregation and written with bulk_write (computed_updates.py).
        matched = computed_updates.run(collection, filter_, update, connection.session())
    else:
        log_command("update_many", command.collection, filter_, update)
        matched = collection.update_many(filter_, update, session=connection.session()).matched_count
    if command.collection == SCHEMA_COLLECTION:
        # A sequence reset (sql_flush, sequence_reset_by_name_sql): ids this
        # process reserved before it must not be handed out after it.
        connection.sequences.discard()
    # Django expects the number of rows matched, not the number changed.
    return Result(rowcount=matched)


def run_update_each(command, params, connection):
    """
    Run an UPDATE whose values are computed per row by an aggregation and
    written one document at a time (computed_updates.py); return the
    number of rows matched.
    """
    filter_ = write_filter(command, params, connection)
    computed = bound(command.computed, params, connection)
    made = [(field, maker, bound(arguments, params, connection)) for field, maker, arguments in command.made]
    stages = bound(list(command.stages), params, connection)
    collection = connection.collection(command.collection)
    matched = computed_updates.run(collection, filter_, [{"$addFields": computed}], connection.session(), made, stages)
    return Result(rowcount=matched)


def run_bulk_update(command, params, connection):
    """
    Run the UPDATE ... SET col = CASE key WHEN ... of bulk_update() as one
    bulk_write: an update_many per key value, and one for the rows no
    WHEN names; return the number of rows matched.
    """
    filter_ = write_filter(command, params, connection)
    fixed = bound(command.fixed, params, connection)
    defaults = {}
    per_key = {}  # key value -> {field: value}, in the order keys first appear
    for field, cases, default in command.columns:
        defaults[field] = bound(default, params, connection)
        for key, value in cases:
            values = per_key.setdefault(bound(key, params, connection), {})
            # A repeated WHEN never matches: the first one decides.
            values.setdefault(field, bound(value, params, connection))
    # One update per key value, of every row holding it: the key is the
    # primary key for bulk_update(), but a CASE over any column has this
    # shape too, and then many rows share a value.
    listed = _listed_keys(filter_, command.key)
    requests = []
    for key, values in per_key.items():
        holding = {command.key: equal_to(key)}
        if listed is None or rowsets.value_key(key) not in listed:
            holding = {"$and": [filter_, holding]}
        # else: WHERE key IN (...) holds for the rows of a listed key, and
        # repeating the list in every update would make the command grow
        # with the square of the rows (bulk_update's WHERE pk IN (...)).
        requests.append(UpdateMany(holding, {"$set": {**fixed, **defaults, **values}}))
    if listed is None:
        others = {"$and": [filter_, {command.key: {"$nin": members(per_key)}}]}
    else:
        done = {rowsets.value_key(key) for key in per_key}
        rest = [key for key in filter_[command.key]["$in"] if rowsets.value_key(key) not in done]
        others = {command.key: {"$in": rest}} if rest else None
    if others is not None:
        requests.append(UpdateMany(others, {"$set": {**fixed, **defaults}}))
    log_command("bulk_write", command.collection, requests)
    result = connection.collection(command.collection).bulk_write(
        requests, ordered=True, session=connection.session(),
    )
    return Result(rowcount=result.matched_count)


def _listed_keys(filter_, key):
    """
    Return the keys (rowsets.value_key) of ``filter_`` when it is exactly
    ``{key: {"$in": values}}``, else None.
    """
    condition = filter_.get(key) if len(filter_) == 1 else None
    if not (isinstance(condition, dict) and list(condition) == ["$in"]):
        return None
    try:
        return {rowsets.value_key(value) for value in condition["$in"]}
    except TypeError:  # a value no key can stand for
        return None
