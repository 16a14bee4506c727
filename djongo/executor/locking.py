"""
SELECT ... FOR UPDATE: lock the rows a query selects with djongo's leases
(djongo/locks.py), then read them again as they are once locked.
"""
import itertools

from bson.objectid import ObjectId

from djongo.executor.common import Result, run
from djongo.locks import LOCK_FIELD
from djongo.sql2mongo import rowsets


def lock_selected(command, collection, filter_, skip, limit, session, connection):
    """
    Lock the documents ``SELECT ... FOR UPDATE`` selects (djongo/locks.py);
    return the filter that reads them again. They are read after they are
    locked, as a SQL database returns the rows as they are once locked, and
    only those that still match.

    As in PostgreSQL, whose row locking runs below LIMIT and OFFSET
    (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE),
    OFFSET and LIMIT count the rows locked that still match: with
    ``skip_locked=True`` a row another connection holds makes way for the
    next one, and so does a row that no longer matches once its lock is
    taken (a task another worker has just claimed), instead of leaving
    fewer rows than the LIMIT allows.
    """
    sort = list(command.sort) or None
    if limit is None:
        found = collection.find(filter_, {"_id": 1}, sort=sort, session=session)
        ids = connection.locks.acquire(command.collection, [document["_id"] for document in found], command.lock)
    else:
        ids = _lock_first(command, collection, filter_, sort, skip + limit, session, connection)
    if connection.autocommit:
        # Outside atomic() (Django allows it where the server has no
        # transactions) the statement is its own transaction: it waits for
        # the locks of others, and its own end with it.
        connection.release_locks()
    write_to_locked(collection, ids, session)
    return {"$and": [filter_, {"_id": {"$in": ids}}]}


def _lock_first(command, collection, filter_, sort, wanted, session, connection):
    """
    Lock documents matching ``filter_`` in ``sort`` order until ``wanted``
    of them are locked and still match; return their _ids. Candidates are
    read, locked and checked again a batch at a time, each batch as large
    as the rows still wanted.
    """
    kept = []
    candidates = collection.find(filter_, {"_id": 1}, sort=sort, session=session, batch_size=wanted)
    batch = []
    for document in itertools.chain(candidates, [None]):
        if document is not None:
            batch.append(document["_id"])
            if len(batch) < wanted - len(kept):
                continue
        if batch:
            locked = connection.locks.acquire(command.collection, batch, command.lock)
            batch = []
            if locked:
                # Read again: a row may have changed while its lock was awaited.
                still = {rowsets.value_key(found["_id"]) for found in collection.find(
                    {"$and": [filter_, {"_id": {"$in": locked}}]}, {"_id": 1}, session=session,
                )}
                kept += [key for key in locked if rowsets.value_key(key) in still]
        if len(kept) >= wanted or document is None:
            break
    return kept


def write_to_locked(collection, ids, session):
    """
    In a transaction, write to each locked document as well: a transaction
    whose snapshot is older than another's committed change to it then
    fails with a write conflict instead of reading the old value (MongoDB
    reads a transaction's snapshot from its first statement:
    https://www.mongodb.com/docs/manual/core/transactions-production-consideration/#in-progress-transactions-and-write-conflicts).
    """
    if session is not None and ids:
        collection.update_many({"_id": {"$in": ids}}, {"$set": {LOCK_FIELD: ObjectId()}}, session=session)


def run_locked_rows(command, params, connection):
    """Lock the FROM table's rows a SELECT ... FOR UPDATE with joins reads, then read them again."""
    ids = [row[-1] for row in run(command.command, params, connection).rows or ()]
    locked = connection.locks.acquire(command.collection, list(dict.fromkeys(ids)), command.mode)
    if connection.autocommit:
        connection.release_locks()  # the statement is its own transaction, see lock_selected()
    write_to_locked(connection.collection(command.collection), locked, connection.session())
    keys = set(map(rowsets.value_key, locked))
    rows = [row[:-1] for row in run(command.command, params, connection).rows or () if rowsets.value_key(row[-1]) in keys]
    return Result(iter(rows), names=command.names)
