"""
DELETE, and the ON DELETE actions djongo applies itself to the rows that
reference the deleted ones (the DB_* on_delete of Django's foreign keys,
recorded in the catalog: catalog.py).
"""
import collections

from djongo.executor.common import KEYS_PER_QUERY, Result, write_filter
from djongo.logs import log_command
from djongo.sql2mongo import rowsets


def run_delete_many(command, params, connection):
    """Run a DELETE, then the ON DELETE actions of the rows referencing the deleted ones; return how many went."""
    filter_ = write_filter(command, params, connection)
    collection = connection.collection(command.collection)
    session = connection.session()
    on_delete = command.on_delete or {}
    if command.collection not in on_delete:
        log_command("delete_many", command.collection, filter_)
        result = collection.delete_many(filter_, session=session)
        return Result(rowcount=result.deleted_count)
    # Rows reference the deleted ones through a DB_* on_delete: the rows
    # are found first, for the keys the references hold.
    deleted, count = _delete_found(collection, filter_, on_delete[command.collection], session)
    _apply_on_delete(on_delete, command.collection, deleted, connection, session)
    return Result(rowcount=count)


def _delete_found(collection, filter_, actions, session):
    """
    Delete the documents of ``collection`` that ``filter_`` matches; return
    them (their ``_id`` and the keys ``actions`` read) and how many went.
    They are deleted by ``_id``, so exactly the rows found are deleted.
    """
    fields = {"_id": 1, **{action.key: 1 for action in actions}}
    log_command("find", collection.name, filter_, fields)
    found = list(collection.find(filter_, fields, session=session))
    ids = [document["_id"] for document in found]
    count = 0
    for start in range(0, len(ids), KEYS_PER_QUERY):
        batch = {"_id": {"$in": ids[start:start + KEYS_PER_QUERY]}}
        log_command("delete_many", collection.name, batch)
        count += collection.delete_many(batch, session=session).deleted_count
    return found, count


def _apply_on_delete(on_delete, table, deleted, connection, session):
    """
    Apply to the rows referencing the ``deleted`` documents of ``table``
    the OnDelete actions of ``on_delete`` ({table: (OnDelete, ...)}), as
    SQL's ON DELETE does: one command per referencing table and batch of
    keys, not one per row. The rows a CASCADE deletes are found first when
    rows reference them in turn, table after table; each round deletes
    only rows that still exist, so a cycle of references ends.
    """
    pending = collections.deque([(table, deleted)])
    while pending:
        table, deleted = pending.popleft()
        for action in on_delete.get(table, ()):
            keys = {}
            for document in deleted:
                value = document.get(action.key)
                if value is not None:  # NULL references nothing
                    keys.setdefault(rowsets.value_key(value), value)
            keys = list(keys.values())
            child = connection.collection(action.table)
            for start in range(0, len(keys), KEYS_PER_QUERY):
                referencing = {action.column: {"$in": keys[start:start + KEYS_PER_QUERY]}}
                if action.action != "CASCADE":
                    value = action.default if action.action == "SET DEFAULT" else None
                    update = {"$set": {action.column: value}}
                    log_command("update_many", action.table, referencing, update)
                    child.update_many(referencing, update, session=session)
                elif action.table in on_delete:
                    found, _ = _delete_found(child, referencing, on_delete[action.table], session)
                    if found:
                        pending.append((action.table, found))
                else:
                    log_command("delete_many", action.table, referencing)
                    child.delete_many(referencing, session=session)
