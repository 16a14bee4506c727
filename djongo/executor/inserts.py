"""
INSERT: number the rows whose ids the table's counter gives (sequences.py),
insert them so that a failure leaves none behind, and handle ON CONFLICT
DO NOTHING (bulk_create(ignore_conflicts=True)) and ON CONFLICT DO UPDATE
(bulk_create(update_conflicts=True)).
"""
import itertools

from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from djongo.catalog import MIGRATIONS_TABLE
from djongo.exceptions import IntegrityError, ProgrammingError
from djongo.executor.common import Result, bound
from djongo.executor.conflicts import check_conflict_target, same_key_filter, stored_rows, unconflicting
from djongo.logs import log_command
from djongo.sql2mongo.binding import DEFAULT
from djongo.sql2mongo.bsonvalues import bson_values


def run_insert_many(command, params, connection):
    """
    Run an INSERT: give the rows that lack one an id from the table's
    counter, insert them all or none, and return the RETURNING rows.
    """
    table = command.collection
    fields = command.fields
    if command.plain:
        # Every value the next parameter as it is: Django's INSERT, bound
        # straight from the parameters, row by row.
        values, width = bson_values(params), len(fields)
        documents = [dict(zip(fields, values[start:start + width])) for start in range(0, len(values), width)]
    else:
        documents = []
        for row in command.rows:
            values = bound(list(row), params, connection)
            documents.append({field: value for field, value in zip(fields, values) if value is not DEFAULT})
    sequences = connection.sequences
    auto = sequences.auto_field(table)
    if auto is None and any(field not in fields and field != "_id" for field in command.returning):
        # The statement leaves an id to the database, and the database has
        # no counter for the table: it was never migrated. (An ObjectId
        # _id is made by pymongo as it inserts.)
        raise ProgrammingError(
            f"no such table: {table} (it has no __schema__ entry for its auto-increment key; "
            "run migrate, see docs/existing-databases.md)"
        )
    numbered = []  # the documents given ids here, not by the statement
    if auto is not None:
        numbered = [doc for doc in documents if doc.get(auto) is None]
        numbers = [doc[auto] for doc in documents if isinstance(doc.get(auto), int)]
        # Rows inserted with their own ids move the counter past them, so
        # that no id handed out from now on collides with them; an id
        # inside this process's block needs no round trip, the counter is
        # past it already.
        if numbers and not sequences.skip_past(table, max(numbers)):
            sequences.advance_to(table, max(numbers))
        _assign_ids(numbered, auto, sequences, table)
    collection = connection.collection(table)
    session = connection.session()
    if command.skip_conflicts:
        inserted = _insert_skipping_conflicts(collection, documents, numbered, auto, sequences, session)
        return Result(rowcount=inserted)
    if command.upsert_keys:
        rows = _upsert(collection, command, documents, session)
        return Result(rows, rowcount=len(documents), names=command.returning)
    for attempt in itertools.count(1):
        try:
            _insert_all(collection, documents, session)
            break
        except (DuplicateKeyError, BulkWriteError) as exc:
            taken = _taken_id(collection, exc, documents, numbered, auto)
            if taken is None:
                raise
            # Another process reset or moved the counter (a flush, the
            # djongo_sequences command, a restore) while this one held a
            # block: the rest of the block may be taken too.
            sequences.discard(table)
            if session is not None or attempt == _NUMBERING_ATTEMPTS:
                # A failed write ends a MongoDB transaction, so the
                # statement cannot be tried again inside it.
                raise IntegrityError(
                    f"id {taken} of {table} is taken: its counter was reset or moved by another process "
                    "while this one held reserved ids; the next attempt uses new ids"
                ) from exc
            _assign_ids(numbered, auto, sequences, table)
    if table == MIGRATIONS_TABLE:
        # A migration is recorded: the tables it made are no longer ones a
        # crash may have left half made (schema.py, create_model).
        connection.catalog.migration_recorded()
    rows = None
    if command.returning:
        rows = iter([tuple(map(doc.get, command.returning)) for doc in documents])
    lastrowid = documents[-1].get(auto) if auto is not None and documents else None
    return Result(rows, rowcount=len(documents), lastrowid=lastrowid, names=command.returning)


# How many times an INSERT takes new ids after finding the ones it was given
# taken; each time skips past one stale block of another process.
_NUMBERING_ATTEMPTS = 10


def _assign_ids(documents, auto, sequences, table):
    """Give each of ``documents`` a new id in its ``auto`` field."""
    for doc, new_id in zip(documents, sequences.next_ids(table, len(documents))):
        doc[auto] = new_id


def _insert_all(collection, documents, session):
    """Insert ``documents`` in order; a failure leaves none of them behind, as a failed SQL INSERT does."""
    log_command("insert_many", collection.name, documents)
    if len(documents) == 1:
        collection.insert_one(documents[0], session=session)
        return
    try:
        collection.insert_many(documents, ordered=True, session=session)
    except BulkWriteError as exc:
        if session is None:  # a transaction's rollback undoes it all
            _undo_partial_insert(collection, documents, exc)
        raise


def _insert_skipping_conflicts(collection, documents, numbered, auto, sequences, session):
    """
    Insert ``documents`` but those a unique index refuses, as ``INSERT ...
    ON CONFLICT DO NOTHING`` does; return how many were inserted.

    An unordered insert_many goes on past each duplicate key and reports it
    (https://www.mongodb.com/docs/manual/reference/method/db.collection.insertMany/#unordered-inserts).
    A row refused only because its new id was taken by another process
    (which reset the table's counter) is given a new id and tried again.
    """
    if session is not None:
        # In a transaction a duplicate key aborts the whole transaction
        # (https://www.mongodb.com/docs/manual/core/transactions-in-applications/#transaction-error-handling):
        # the conflicting rows are found and left out before the insert.
        documents = unconflicting(collection, documents, session)
        if documents:
            _insert_all(collection, documents, session)
        return len(documents)
    inserted, pending = [], documents
    for attempt in itertools.count(1):
        log_command("insert_many", collection.name, pending, "ordered=False")
        try:
            collection.insert_many(pending, ordered=False)
            return len(inserted) + len(pending)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors") or []
            refused = {error["index"] for error in errors}
            inserted.extend(doc for index, doc in enumerate(pending) if index not in refused)
            if any(error.get("code") != 11000 for error in errors):
                # Not a conflict: the statement fails and, as in SQL, leaves
                # no rows behind.
                _delete_inserted(collection, inserted)
                raise
            pending = _stale_ids(collection, [pending[index] for index in sorted(refused)], numbered, auto)
        if not pending:
            return len(inserted)
        sequences.discard(collection.name)
        if attempt == _NUMBERING_ATTEMPTS:
            _delete_inserted(collection, inserted)
            raise IntegrityError(
                f"ids of {collection.name} are taken: its counter was reset or moved by another process "
                "while this one held reserved ids; the next attempt uses new ids"
            )
        _assign_ids(pending, auto, sequences, collection.name)


def _stale_ids(collection, refused, numbered, auto):
    """
    Return those of the ``refused`` documents whose new id (given here, so
    unique unless the counter was reset) is already stored, so the id and
    not the row was the conflict.
    """
    numbered = {id(doc) for doc in numbered}
    mine = [doc for doc in refused if id(doc) in numbered]
    if not mine:
        return []
    taken = {found[auto] for found in collection.find({auto: {"$in": [doc[auto] for doc in mine]}}, {auto: 1})}
    return [doc for doc in mine if doc[auto] in taken]


def _delete_inserted(collection, documents):
    """Delete ``documents``, inserted by this statement, by their ``_id``."""
    ids = [doc["_id"] for doc in documents if "_id" in doc]
    if ids:
        collection.delete_many({"_id": {"$in": ids}})


def _upsert(collection, command, documents, session):
    """
    Insert ``documents``, updating instead the stored document whose
    ``upsert_keys`` match, as ``INSERT ... ON CONFLICT (keys) DO UPDATE``
    does; return the RETURNING rows, in the statement's order.

    Each row is an upsert: ``$set`` for the updated fields and
    ``$setOnInsert`` for the rest, so a new document gets every value
    (https://www.mongodb.com/docs/manual/reference/operator/update/setOnInsert/).
    MongoDB retries an upsert that races another on a unique index
    (https://www.mongodb.com/docs/manual/reference/method/db.collection.update/#upsert-with-duplicate-values).
    A row with a NULL key is inserted: NULL never conflicts in SQL.
    """
    keys = command.upsert_keys
    check_conflict_target(collection, keys)
    requests = []
    for doc in documents:
        if any(doc.get(key) is None for key in keys):
            requests.append(InsertOne(doc))
            continue
        changes = {field: doc[source] for field, source in command.upsert_updates if source in doc}
        update = {"$set": changes} if changes else {}
        on_insert = {field: value for field, value in doc.items() if field not in changes}
        if on_insert:
            update["$setOnInsert"] = on_insert
        requests.append(UpdateOne(same_key_filter(doc, keys), update, upsert=True))
    log_command("bulk_write", collection.name, requests)
    try:
        result = collection.bulk_write(requests, ordered=True, session=session)
    except BulkWriteError as exc:
        if session is None:  # a transaction's rollback undoes it all
            # Updates of stored documents cannot be undone; the new ones can.
            added = {entry["index"] for entry in exc.details.get("upserted", [])}
            failed_at = (exc.details.get("writeErrors") or [{"index": len(requests)}])[0]["index"]
            _delete_inserted(collection, [
                doc for index, (doc, request) in enumerate(zip(documents, requests))
                if index < failed_at and (index in added or isinstance(request, InsertOne))
            ])
        raise
    if not command.returning:
        return None
    matched = [
        doc for index, (doc, request) in enumerate(zip(documents, requests))
        if isinstance(request, UpdateOne) and index not in result.upserted_ids
    ]
    stored = stored_rows(collection, matched, keys, command.returning, session)
    return iter([
        stored.get(id(doc)) or tuple(map(doc.get, command.returning))
        for doc in documents
    ])


def _taken_id(collection, exc, documents, numbered, auto):
    """
    Return the id given here that made the insert fail as a duplicate key,
    or None when the failure was something else (another unique index, an
    id the statement gave). The id is looked up outside any transaction:
    the failed write has ended it, and the row that holds the id was
    committed by another process.
    """
    if not numbered:
        return None
    if isinstance(exc, BulkWriteError):
        errors = exc.details.get("writeErrors") or [{}]
        if errors[0].get("code") != 11000 or errors[0].get("index") is None:
            return None
        failed = documents[errors[0]["index"]]
    else:
        failed = documents[0]
    if not any(failed is doc for doc in numbered):
        return None
    # The server's message names the index, in a form that varies by
    # server; a look-up of the id says it exactly.
    if collection.find_one({auto: failed[auto]}, {"_id": 1}) is None:
        return None
    return failed[auto]


def _undo_partial_insert(collection, documents, exc):
    """
    Delete the documents an ordered insert_many wrote before it failed, so
    that a failing INSERT statement leaves no rows behind, as in SQL.
    """
    inserted = exc.details.get("nInserted", 0)
    ids = [doc["_id"] for doc in documents[:inserted] if "_id" in doc]
    if ids:
        collection.delete_many({"_id": {"$in": ids}})
