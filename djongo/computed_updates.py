"""
Updates to computed values on servers that lack update pipelines.

djongo writes ``UPDATE t SET a = <expression over columns>`` as an update
whose update is an aggregation pipeline (``update_many(filter,
[{"$addFields": {...}}])``, MongoDB 4.2+:
https://www.mongodb.com/docs/manual/tutorial/update-documents-with-aggregation-pipeline/),
which computes each document's new values from its own, atomically per
document. Some servers that speak MongoDB's protocol refuse that form
(mongo-java-server, the local test server, does). Whether a server runs it
is asked once per client, by ``update_pipelines_supported()``; a server
that does always gets the pipeline form.

For a server that does not, ``run()`` gives the pipeline update's result
in two steps: an aggregation matches the same documents with the same
filter and computes the same expressions beside each stored document
(``$addFields``); then each document is written with an update whose
filter is a compare-and-set (``$$ROOT`` equal to the document as read) and
which sets the new values, a field whose expression is missing being
unset, as the pipeline leaves it. A document another client changed in
between is read again and updated from its new state, so that no
concurrent update is lost and the count of updated rows is exact, as with
the pipeline update, which changes each document atomically. The writes
cost a round trip per document: this is the fallback of servers that lack
the pipeline form, such as the local test server (docs/how-it-works.md).
"""
import logging

from pymongo.errors import OperationFailure

from djongo.exceptions import NotSupportedError, OperationalError
from djongo.logs import brief, log_command
from djongo.sql2mongo.rowsets import value_key

logger = logging.getLogger("djongo")

# The documents one aggregation batch returns and one bulk_write writes.
BATCH_SIZE = 1000

# The stage of an update pipeline that sets fields, as djongo writes it;
# $set is the other name of $addFields
# (https://www.mongodb.com/docs/manual/reference/operator/aggregation/set/).
SETTING_STAGES = ("$addFields", "$set")

# The probe's filter: every stored document has an _id, so it matches none,
# and the probe writes nothing whatever the collection holds.
PROBE_FILTER = {"_id": {"$exists": False}}
PROBE_UPDATE = [{"$addFields": {"__djongo_probe": {"$literal": 1}}}]
# MongoDB's error code for a command the user lacks the privileges to run
# (https://www.mongodb.com/docs/manual/reference/error-codes/).
UNAUTHORIZED = 13


def update_pipelines_supported(collection):
    """
    Return whether the server runs updates with an aggregation pipeline:
    send one to ``collection`` whose filter matches no document. A server
    that runs the form parses the pipeline and matches nothing; one that
    lacks it refuses the command.
    """
    try:
        collection.update_one(PROBE_FILTER, PROBE_UPDATE)
    except OperationFailure as exc:
        if exc.code == UNAUTHORIZED:
            raise  # a user who may not update, not a server without the form
        message = (exc.details or {}).get("errmsg") or str(exc)
        logger.info(
            "the server refuses updates with an aggregation pipeline (%s): updates to computed values "
            "are computed with an aggregation and written with bulk_write, not atomically per document",
            message,
        )
        return False
    return True


def computed_fields(pipeline):
    """
    Return the {field: expression} document of the update ``pipeline``,
    one ``$addFields`` (or ``$set``) stage as djongo writes it.
    """
    if not (len(pipeline) == 1 and isinstance(pipeline[0], dict) and len(pipeline[0]) == 1
            and next(iter(pipeline[0])) in SETTING_STAGES):
        raise NotSupportedError(
            f"the update pipeline {brief(pipeline)} on a server that runs no update pipelines"
        )
    return next(iter(pipeline[0].values()))


# The field of each document read that holds the new values, under
# positional names ("v0", "v1"... in the order of the update's fields and
# then of ``made``), so that a dotted field ("a.b") needs no key with a dot.
NEW = "__djongo_new"


def read_pipeline(filter_, pipeline, made=(), stages=()):
    """
    Return the aggregation that reads each document matching ``filter_``
    whole, with what the update ``pipeline`` writes to it beside, under
    NEW: each new value by the same expression, then for each ``(field,
    maker, arguments)`` of ``made``, the maker's argument values.

    ``stages`` (the ``$lookup`` stages of correlated subqueries) run
    before the expressions, which read the fields they add; those fields
    are then removed, so that the document read is the stored one.

    Every expression is evaluated against the stored document, as the
    update's own ``$addFields`` evaluates them (so ``SET a = b, b = a``
    swaps): they sit in one object under one new field, so that none reads
    another even on a server whose ``$addFields`` lets a field read one set
    before it in the same stage. A number or a boolean is made a
    ``$literal``, as in ``$project``.
    """
    new = {}
    for position, (field, expression) in enumerate(computed_fields(pipeline).items()):
        new[f"v{position}"] = _as_expression(field, expression)
    offset = len(new)
    for position, (field, _, arguments) in enumerate(made, offset):
        # One name per argument ("v1_0"): the local test server leaves an
        # array of expressions inside an object unevaluated.
        for index, argument in enumerate(arguments):
            new[f"v{position}_{index}"] = _as_expression(field, argument)
    reading = [{"$match": filter_}, *stages, {"$addFields": {NEW: new}}]
    added = _added_fields(stages)
    if added:
        # https://www.mongodb.com/docs/manual/reference/operator/aggregation/project/#exclude-fields
        reading.append({"$project": {name: 0 for name in added}})
    return reading


def _added_fields(stages):
    """Return the fields that ``stages`` ($lookup and $addFields stages) add to each document."""
    added = []
    for stage in stages:
        if "$lookup" in stage:
            added.append(stage["$lookup"]["as"])
        elif "$addFields" in stage:
            added.extend(stage["$addFields"])
        else:
            raise NotSupportedError(f"the stage {brief(stage)} before an update computed per document")
    return added


def _as_expression(field, expression):
    if isinstance(expression, dict):
        if len(expression) == 1 and next(iter(expression)).startswith("$"):
            return expression  # an operator
        # A document of specifications sets fields inside the stored
        # document under $addFields and builds a new one under $project.
        raise NotSupportedError(
            f"an update of {field!r} to the document {brief(expression)} on a server that runs no update pipelines"
        )
    if isinstance(expression, str) and expression.startswith("$"):
        return expression  # a field path or a variable
    if isinstance(expression, list):
        return expression  # an array expression under both stages
    return {"$literal": expression}


def compare_and_set(document, fields, made=()):
    """
    Return (filter, update) of the write of ``document`` (the read
    pipeline's output): the update sets each of ``fields`` to its new value,
    or unsets it where the value is missing, as the pipeline leaves it,
    and each field of ``made`` to the value its maker makes of the
    document's arguments. The filter matches the document only while it
    is still as it was read, so that a write another client made in
    between is never overwritten: each stored field equal to its value as
    read (``$eq``, which takes a document or an array as a value, not as
    operators), and each field the update writes that was missing still
    missing. (A field another client adds meanwhile, which the update
    neither had nor writes, leaves it valid: it is as if it ran first.)
    ``{"$expr": {"$eq": ["$$ROOT", ...]}}`` would say the same in one
    test, but the local test server finds no document equal to one that
    holds an empty array.
    """
    stored = {key: value for key, value in document.items() if key != NEW}
    new = document.get(NEW) or {}
    update = {}
    for position, name in enumerate(fields):
        value = new.get(f"v{position}", _MISSING)
        if value is _MISSING:
            update.setdefault("$unset", {})[name] = ""
        else:
            update.setdefault("$set", {})[name] = value
    for position, (name, maker, arguments) in enumerate(made, len(fields)):
        # A missing argument (a missing field) is NULL.
        values = [new.get(f"v{position}_{index}") for index in range(len(arguments))]
        update.setdefault("$set", {})[name] = maker(*values)
    # https://www.mongodb.com/docs/manual/reference/operator/query/eq/
    unchanged = {name: {"$eq": value} for name, value in stored.items()}
    for name in (*fields, *(name for name, _, _ in made)):
        top = name.split(".", 1)[0]
        if top not in stored:
            unchanged[top] = {"$exists": False}
    return unchanged, update


_MISSING = object()


def run(collection, filter_, pipeline, session=None, made=(), stages=()):
    """
    Update the documents of ``collection`` matching ``filter_`` with the
    update ``pipeline``, without sending an update pipeline, and set each
    field of ``made`` ((field, maker, argument expressions), ...) to a
    value its maker makes for the document; ``stages`` compute the fields
    of correlated subqueries the expressions read (read_pipeline()).
    Return how many documents were updated.

    A document another client changed between its read and its write is
    read again, and updated from its new state if it still matches, up to
    ATTEMPTS times: no concurrent update is lost, as none is with the
    pipeline update, which changes each document atomically.
    """
    fields = list(computed_fields(pipeline))
    reading = read_pipeline(filter_, pipeline, made, stages)
    log_command("aggregate", collection.name, reading, {"batchSize": BATCH_SIZE})
    documents = collection.aggregate(reading, session=session, batchSize=BATCH_SIZE)
    # A document the writes move within an index the read scans may come
    # back a second time, with its new values: it is written once.
    seen = set()
    updated = 0
    batch = []
    for document in documents:
        key = value_key(document["_id"])
        if key in seen:
            continue
        seen.add(key)
        batch.append(document)
        if len(batch) == BATCH_SIZE:
            updated += _write(collection, filter_, pipeline, batch, fields, made, stages, session)
            batch = []
    if batch:
        updated += _write(collection, filter_, pipeline, batch, fields, made, stages, session)
    return updated


# How many times a document that other clients keep changing is read again.
ATTEMPTS = 50


def _write(collection, filter_, pipeline, documents, fields, made, stages, session):
    """
    Write ``documents`` (read by read_pipeline), each by a compare-and-set
    of its own, whose result tells whether it applied; return how many
    were updated. A bulk_write would say only how many of its updates
    applied, not which.
    """
    updated = 0
    for document in documents:
        for _ in range(ATTEMPTS):
            unchanged, update = compare_and_set(document, fields, made)
            log_command("update_one", collection.name, unchanged, update)
            if collection.update_one(unchanged, update, session=session).matched_count:
                updated += 1
                break
            # Changed by another client since it was read: read it again,
            # if it still matches, and update it from its new state.
            again = read_pipeline({"$and": [filter_, {"_id": document["_id"]}]}, pipeline, made, stages)
            log_command("aggregate", collection.name, again)
            document = next(iter(collection.aggregate(again, session=session)), None)
            if document is None:
                break
        else:
            raise OperationalError(
                f"{collection.name}: the document {document['_id']!r} was changed by other clients at each of "
                f"{ATTEMPTS} attempts to update it"
            )
    return updated
