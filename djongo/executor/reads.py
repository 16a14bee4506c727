"""
Reads: run a SELECT's find, aggregate or count, and the commands that
combine the rows of others (UNION and the like, a join by keys, a count of
rows); shape the documents read into rows of the columns asked for.
"""
import contextvars
import itertools

from djongo import window_fallback
from djongo.exceptions import MigrationError
from djongo.executor.common import KEYS_PER_QUERY, Result, bound, require_table, run
from djongo.executor.explain import reads_observed, record_read
from djongo.executor.locking import lock_selected
from djongo.sequences import SCHEMA_COLLECTION
from djongo.sql2mongo import rowsets
from djongo.sql2mongo.binding import Const

# The batch size for the reads of the statement being run: the chunk size of
# QuerySet.iterator(chunk_size=n), which djongo's compiler sets, or None
# for pymongo's own batches.
batch_size = contextvars.ContextVar("batch_size", default=None)


def run_find(command, params, connection):
    """
    Run a SELECT as a find(); return its rows. Under ENFORCE_SCHEMA a
    document that lacks a column raises MigrationError.
    """
    require_table(connection, command.collection)
    limit = bound(command.limit, params, connection)
    if limit == 0:  # SQL's LIMIT 0 is no rows; MongoDB's limit(0) is no limit
        return Result(iter(()), names=command.names)
    collection = connection.collection(command.collection)
    filter_ = bound(command.filter, params, connection)
    projection = command.projection
    enforce = connection.enforce_schema and projection is not None
    if enforce:
        projection = {**projection, "_id": 1}
    session = connection.session()
    skip = bound(command.skip, params, connection) or 0
    if command.lock is not None:
        # The locked documents are the rows, OFFSET and LIMIT counting them.
        filter_ = lock_selected(command, collection, filter_, skip, limit, session, connection)
    batch = batch_size.get()
    cursor = collection.find(
        filter_, projection, sort=list(command.sort) or None, skip=skip, limit=limit or 0, session=session,
        batch_size=batch or 0,
    )
    if reads_observed():
        record_read(command.collection, {
            "find": command.collection, "filter": filter_, "projection": projection,
            "sort": dict(command.sort) or None, "skip": skip or None, "limit": limit or None, "batchSize": batch,
        })
    cursor = _read_now_in_transaction(cursor, session)
    if projection is None:
        return _select_all(cursor)
    columns = command.columns
    if command.constants:
        columns = [Const(bound(column.value, params, connection)) if isinstance(column, Const) else column
                   for column in columns]
    return Result(_fetched_first(document_rows(cursor, columns, enforce, command.collection)), names=command.names)


def _select_all(documents):
    """
    Return the Result of ``SELECT * FROM table`` of a table djongo has no
    record of (a collection another program made): the fields of its first
    document, read from each document by name. A recorded table's ``*`` is
    its recorded columns, named when the statement is planned (naming.py).
    """
    documents = iter(documents)
    first = next(documents, None)
    if first is None:
        return Result(iter(()), names=())
    names = tuple(key for key in first if key != "_id")
    return Result(document_rows(itertools.chain([first], documents), names), names=names)


def _read_now_in_transaction(cursor, session):
    """
    Read all of ``cursor`` now when it runs in a transaction: a transaction's
    cursors end with it, and Django may read rows after the commit.
    """
    return cursor if session is None else list(cursor)


def _fetched_first(rows):
    """
    Fetch the first row now: pymongo's find() is lazy, and the DB-API runs a
    query in execute(), where Django expects its errors.
    """
    first = next(rows, _END)
    if first is _END:
        return iter(())
    return itertools.chain([first], rows)


_END = object()


def document_rows(documents, columns, enforce=False, collection=None):
    """Yield a tuple per document with the values of ``columns`` (field names or dotted paths)."""
    if not enforce and all(type(column) is str and "." not in column for column in columns):
        # The common case, top-level fields, read in C: a missing field is None.
        for doc in documents:
            yield tuple(map(doc.get, columns))
        return
    # A missing field reads as None, or as _MISSING to be reported under ENFORCE_SCHEMA.
    missing = _MISSING if enforce else None
    getters = [
        (lambda doc, value=column.value: value) if isinstance(column, Const)
        else (lambda doc, key=column: doc.get(key, missing)) if "." not in column
        else (lambda doc, parts=tuple(column.split(".")): value_at_path(doc, parts, missing))
        for column in columns
    ]
    for doc in documents:
        row = tuple(getter(doc) for getter in getters)
        if enforce and any(value is _MISSING for value in row):
            column = next(column for column, value in zip(columns, row) if value is _MISSING)
            raise MigrationError(collection, doc.get("_id"), column)
        yield row


_MISSING = object()


def value_at_path(doc, parts, missing=None):
    """
    Return the value at the dotted path ``parts`` of ``doc``, as a find
    projection returns it: through an array, the values of its elements;
    ``missing`` when a field on the path is absent.
    """
    value = doc
    for part in parts:
        if value is None:  # a NULL subdocument has NULL fields
            return None
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, list):
            value = [item[part] for item in value if isinstance(item, dict) and part in item]
        else:
            return missing
        if value is _MISSING:
            return missing
    return value


def run_aggregate(command, params, connection):
    """Run a SELECT as an aggregation pipeline; return its rows, decoded where the command says how."""
    require_table(connection, command.collection)
    pipeline = bound(command.pipeline, params, connection)
    if reads_observed():
        record_read(command.collection, {"aggregate": command.collection, "pipeline": pipeline, "cursor": {}})
    session = connection.session()
    batch = batch_size.get()
    collection = connection.collection(command.collection)
    if window_fallback.needs_fallback(pipeline) and not connection.supports_window_stage:
        # The server lacks $setWindowFields: djongo evaluates those stages (window_fallback.py).
        documents = window_fallback.run(collection, pipeline, session, connection.collection(SCHEMA_COLLECTION))
    else:
        documents = _read_now_in_transaction(
            collection.aggregate(pipeline, session=session, **({"batchSize": batch} if batch else {})), session,
        )
    rows = document_rows(documents, command.columns)
    if command.decoders:
        rows = _decoded(rows, command.decoders)
    return Result(rows, names=command.names)


def _decoded(rows, decoders):
    """Yield each of ``rows`` with each value passed through its column's decoder (None keeps it)."""
    for row in rows:
        yield tuple(value if decode is None else decode(value) for value, decode in zip(row, decoders))


def run_combine(command, params, connection):
    """Run the parts of a UNION, INTERSECT or EXCEPT; return their rows combined, ordered and sliced."""
    row_lists = [list(run(part, params, connection).rows or ()) for part in command.parts]
    rows = rowsets.order(rowsets.combine(command.op, command.all, row_lists), command.order)
    skip = bound(command.skip, params, connection) or 0
    limit = bound(command.limit, params, connection)
    rows = rows[skip:] if limit is None else rows[skip:skip + limit]
    return Result(iter(rows), names=command.names)


def run_keyed_join(command, params, connection):
    """Run the outer statement, then the inner one for its keys; join their rows by key."""
    rows = list(run(command.outer, params, connection).rows or ())
    key = command.key
    found = {}
    if command.by_keys:
        keys = {}
        for row in rows:
            if row[key] is not None:
                keys.setdefault(rowsets.value_key(row[key]), row[key])
        keys = list(keys.values())
        batches = [keys[start:start + KEYS_PER_QUERY] for start in range(0, len(keys), KEYS_PER_QUERY)]
    else:
        batches = [None]
    for batch in batches:
        # The inner statement's list parameter -1 holds the keys.
        inner_params = params if batch is None else (*params, tuple(batch))
        for row in run(command.inner, inner_params, connection).rows or ():
            if row[0] is not None:
                found.setdefault(rowsets.value_key(row[0]), row)
    fills = [(position, inner_position, bound(default, params, connection))
             for position, inner_position, default in command.fills]
    joined = []
    for row in rows:
        match = None if row[key] is None else found.get(rowsets.value_key(row[key]))
        values = list(row)
        for position, inner_position, default in fills:
            values[position] = default if match is None else match[inner_position]
        joined.append(values)
    if command.order:
        rowsets.order(joined, command.order)
    skip = bound(command.skip, params, connection) or 0
    limit = bound(command.limit, params, connection)
    joined = joined[skip:] if limit is None else joined[skip:skip + limit]
    width = command.width
    return Result(iter([tuple(values[:width]) for values in joined]), names=command.names)


def run_count_rows(command, params, connection):
    """Return one row holding the number of rows the command's query reads."""
    rows = run(command.query, params, connection).rows or ()
    return Result(iter([(sum(1 for _ in rows),)]), names=command.names)


def run_count_documents(command, params, connection):
    """Run SELECT COUNT(*) as count_documents(); return one row holding the count."""
    require_table(connection, command.collection)
    filter_ = bound(command.filter, params, connection)
    options = {}
    skip = bound(command.skip, params, connection)
    limit = bound(command.limit, params, connection)
    if skip:
        options["skip"] = skip
    if limit is not None:
        if limit == 0:
            return Result(iter([(0,)]), names=command.names)
        options["limit"] = limit
    if reads_observed():
        # count_documents is an aggregation
        # (https://pymongo.readthedocs.io/en/stable/api/pymongo/collection.html#pymongo.collection.Collection.count_documents).
        counting = [{"$match": filter_}, *({"$" + name: value} for name, value in options.items())]
        record_read(command.collection, {
            "aggregate": command.collection, "cursor": {},
            "pipeline": [*counting, {"$group": {"_id": 1, "n": {"$sum": 1}}}],
        })
    count = connection.collection(command.collection).count_documents(
        filter_, session=connection.session(), **options,
    )
    return Result(iter([(count,)]), names=command.names)
