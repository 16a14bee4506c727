"""
The unique-index keys of ON CONFLICT: which rows of an INSERT a unique
index refuses, the filter of a row's equals, the check of a conflict
target, and the stored rows an upsert updated.
"""
import datetime

from djongo.exceptions import NotSupportedError, ProgrammingError
from djongo.logs import log_command
from djongo.sql2mongo import rowsets
from djongo.sql2mongo.translate.values import equal_to


def unconflicting(collection, documents, session=None):
    """
    Return those of ``documents`` that no unique index of ``collection``
    refuses, neither for a stored document nor for one before them: what
    an unordered insert would insert, found by one query.

    A unique index whose partial filter only keeps NULLs out (the schema
    editor's form for a nullable unique column) applies to the rows whose
    values in those columns are not NULL; an index with any other partial
    filter cannot be applied here, and raises NotSupportedError.
    """
    # listIndexes is not allowed in a transaction, so it runs outside it.
    indexes = []
    for index in collection.list_indexes():
        if not index.get("unique"):
            continue
        keys = tuple(index["key"])
        partial = index.get("partialFilterExpression") or {}
        if not all(field in keys and set(condition) == {"$type"} for field, condition in partial.items()):
            raise NotSupportedError(
                f"bulk_create(ignore_conflicts=True) in a transaction on {collection.name}, whose unique index "
                f"{index['name']} has a condition: MongoDB aborts a transaction at a duplicate key, and which "
                "rows the condition covers is known only to the server"
            )
        indexes.append((keys, tuple(partial)))
    # Each document's key in each index, None where the index skips it.
    keys_of = [
        [unique_key(doc, keys) if all(doc.get(field) is not None for field in nullable) else None
         for keys, nullable in indexes]
        for doc in documents
    ]
    clauses = [
        same_key_filter(doc, keys)
        for doc, doc_keys in zip(documents, keys_of)
        for (keys, _), key in zip(indexes, doc_keys) if key is not None
    ]
    if not clauses:
        return documents
    fields = {field: 1 for keys, _ in indexes for field in keys}
    log_command("find", collection.name, {"$or": clauses}, fields)
    stored = list(collection.find({"$or": clauses}, fields, session=session))
    taken = [{unique_key(found, keys) for found in stored} for keys, _ in indexes]
    kept = []
    for doc, doc_keys in zip(documents, keys_of):
        if any(key is not None and key in seen for key, seen in zip(doc_keys, taken)):
            continue
        for key, seen in zip(doc_keys, taken):
            if key is not None:
                seen.add(key)
        kept.append(doc)
    return kept


def same_key_filter(doc, keys):
    """Return the filter of the documents a unique index on ``keys`` counts as ``doc``'s equal."""
    # A unique index counts a missing field as null, as {field: None} matches.
    return {key: None if doc.get(key) is None else equal_to(doc[key]) for key in keys}


def check_conflict_target(collection, keys):
    """
    Raise ProgrammingError unless a unique index has exactly ``keys``, as
    PostgreSQL refuses an ON CONFLICT target that matches no unique
    constraint. (Indexes are listed outside any transaction, where MongoDB
    does not allow listIndexes.)
    """
    wanted = set(keys)
    for index in collection.list_indexes():
        if index.get("unique") and set(index["key"]) == wanted:
            return
    names = ", ".join(keys)
    raise ProgrammingError(f"ON CONFLICT ({names}) matches no unique index of {collection.name}")


def stored_rows(collection, documents, keys, returning, session):
    """
    Return the RETURNING rows of the stored documents that ``documents``
    updated, by ``id()`` of the document, read in one query.
    """
    if not documents:
        return {}
    wanted = {field: 1 for field in (*keys, *returning)}
    query = {"$or": [same_key_filter(doc, keys) for doc in documents]}
    log_command("find", collection.name, query, wanted)
    found = {}
    for stored in collection.find(query, wanted, session=session):
        found[unique_key(stored, keys)] = tuple(map(stored.get, returning))
    return {id(doc): found.get(unique_key(doc, keys)) for doc in documents}


def unique_key(document, keys):
    """Return a hashable key of ``document``'s values of ``keys``, equal for equal BSON values."""
    return tuple(rowsets.value_key(_as_stored(document.get(key))) for key in keys)


def _as_stored(value):
    """
    Return ``value`` as it reads once stored: BSON keeps datetimes to the
    millisecond, so a value about to be written equals the stored one cut
    to that precision.
    """
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value
