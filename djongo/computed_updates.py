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
filter and computes the same expressions, keyed by ``_id`` (``$project``);
then one ``bulk_write`` per batch of documents writes the values with an
``UpdateOne({"_id": ...}, {"$set": ..., "$unset": ...})`` each, a field
whose expression is missing being unset, as the pipeline leaves it. The round
trips grow with the batches, not the rows. The two steps are not atomic: a
write by another client to a document between its read and its write is
overwritten (docs/how-it-works.md).
"""
import logging

from pymongo import UpdateOne
from pymongo.errors import OperationFailure

from djongo.exceptions import NotSupportedError
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


def read_pipeline(filter_, pipeline, made=()):
    """
    Return the aggregation that computes what the update ``pipeline``
    writes to the documents matching ``filter_``: each new value, keyed by
    ``_id``, by the same expression; and for each ``(field, maker,
    arguments)`` of ``made``, the array of the maker's argument values.

    The expressions are computed by ``$project`` rather than by the
    update's own ``$addFields``, since both evaluate every expression
    against the stage's input document (so ``SET a = b, b = a`` swaps), and
    some servers' ``$addFields`` lets a field read one set before it in
    the same stage. Where the two stages read a specification differently
    (a number or a boolean is a value for ``$addFields``, an inclusion for
    ``$project``), the expression is made a ``$literal``.
    """
    computed = {field: _as_expression(field, expression) for field, expression in computed_fields(pipeline).items()}
    for field, _, arguments in made:
        if arguments:
            # An array of expressions is an expression; a missing field
            # in it is null (https://www.mongodb.com/docs/manual/reference/operator/aggregation/project/).
            computed[field] = [_as_expression(field, argument) for argument in arguments]
    return [{"$match": filter_}, {"$project": {"_id": 1, **computed}}]


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


def write_requests(documents, fields, made=()):
    """
    Return an UpdateOne per document of ``documents`` (the read pipeline's
    output) that sets each of ``fields`` to the document's value of it, or
    unsets it where the document lacks it, and each field of ``made`` to
    the value its maker makes of the document's arguments.
    """
    requests = []
    for document in documents:
        update = {}
        for name, maker, arguments in made:
            values = document.get(name, ()) if arguments else ()
            update.setdefault("$set", {})[name] = maker(*values)
        for name in fields:
            value = _value(document, name)
            if value is _MISSING:
                update.setdefault("$unset", {})[name] = ""
            else:
                update.setdefault("$set", {})[name] = value
        requests.append(UpdateOne({"_id": document["_id"]}, update))
    return requests


_MISSING = object()


def _value(document, name):
    """Return the value of the field ``name`` (a dotted path) of ``document``, or _MISSING."""
    value = document
    for part in name.split("."):
        if isinstance(value, list):
            # $addFields sets a path through an array in every element,
            # which one $set of the path cannot write.
            raise NotSupportedError(
                f"an update to a computed value of {name!r}, a path through an array, on a server that runs "
                "no update pipelines"
            )
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def run(collection, filter_, pipeline, session=None, made=()):
    """
    Update the documents of ``collection`` matching ``filter_`` with the
    update ``pipeline``, without sending an update pipeline, and set each
    field of ``made`` ((field, maker, argument expressions), ...) to a
    value its maker makes for the document; return how many documents
    were matched.
    """
    fields = list(computed_fields(pipeline))
    reading = read_pipeline(filter_, pipeline, made)
    log_command("aggregate", collection.name, reading, {"batchSize": BATCH_SIZE})
    documents = collection.aggregate(reading, session=session, batchSize=BATCH_SIZE)
    # A document the writes move within an index the read scans may come
    # back a second time, with its new values: it is written once.
    seen = set()
    matched = 0
    batch = []
    for document in documents:
        key = value_key(document["_id"])
        if key in seen:
            continue
        seen.add(key)
        batch.append(document)
        if len(batch) == BATCH_SIZE:
            matched += _write(collection, batch, fields, made, session)
            batch = []
    if batch:
        matched += _write(collection, batch, fields, made, session)
    return matched


def _write(collection, documents, fields, made, session):
    requests = write_requests(documents, fields, made)
    log_command("bulk_write", collection.name, requests)
    return collection.bulk_write(requests, ordered=True, session=session).matched_count
