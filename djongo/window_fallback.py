"""
Window functions on servers that lack ``$setWindowFields``.

djongo writes window functions as ``$setWindowFields`` stages (MongoDB
5.0+, translate/windows.py), which a server runs beside the rest of the
pipeline. Some servers that speak MongoDB's protocol lack the stage
(MongoDB 4.4; mongo-java-server, the local test server). Whether a server
runs it is asked once per client, by ``window_stage_supported()``; a
server that does always gets the stage.

For a server that does not, ``run()`` gives the pipeline's result in
steps: the stages before the first ``$setWindowFields`` run on the server
(filters, joins, grouping: they come first in djongo's pipelines); djongo
evaluates the ``$setWindowFields`` stage over the rows they return
(sql2mongo/setwindowfields.py); the rows then go back to the server in one
aggregate, which runs the stages up to the next ``$setWindowFields``, and
so on. The rows travel inside the command (``$literal`` keeps their values
from being read as operators), so one step carries at most what one
command can: past that, a step made only of stages that read one document
at a time is sent in parts, and any other is refused with an error that
says so.
"""
import logging

import bson
from pymongo.errors import OperationFailure

from djongo.exceptions import NotSupportedError
from djongo.logs import log_command
from djongo.sql2mongo import setwindowfields
from djongo.sql2mongo.translate.select import ONE_ROW

logger = logging.getLogger("djongo")

STAGE = "$setWindowFields"
# The probe: a window over no documents (the filter matches none, every
# stored document having an _id).
PROBE = [{"$match": {"_id": {"$exists": False}}}, {STAGE: {"output": {"__djongo_probe": {"$sum": 1}}}}]
# MongoDB's error code for a command the user lacks the privileges to run
# (https://www.mongodb.com/docs/manual/reference/error-codes/).
UNAUTHORIZED = 13
# What the rows of one step may weigh: MongoDB's largest document is 16 MiB
# (https://www.mongodb.com/docs/manual/reference/limits/), and the command
# carries the rest of the pipeline beside them.
MAX_ROWS_BYTES = 16 * 1024 * 1024 - 512 * 1024
# Stages that read one document at a time: rows may go through them in parts.
PER_DOCUMENT = frozenset({"$addFields", "$set", "$project", "$unset", "$match", "$replaceRoot"})


def window_stage_supported(collection):
    """
    Return whether the server runs ``$setWindowFields``: send a pipeline
    holding one to ``collection`` that reads no document.
    """
    try:
        list(collection.aggregate(PROBE))
    except OperationFailure as exc:
        if exc.code == UNAUTHORIZED:
            raise
        message = (exc.details or {}).get("errmsg") or str(exc)
        logger.info(
            "the server refuses $setWindowFields (%s): djongo computes window functions over the rows",
            message,
        )
        return False
    return True


def needs_fallback(pipeline):
    """Return whether ``pipeline`` holds a ``$setWindowFields`` stage at its top level."""
    return any(STAGE in stage for stage in pipeline)


def run(collection, pipeline, session, source):
    """
    Return the documents ``pipeline`` gives on ``collection``, its
    ``$setWindowFields`` stages evaluated by djongo; ``source`` is a
    collection on which to feed rows back to the server.
    """
    segments = [[]]
    windows = []
    for stage in pipeline:
        if STAGE in stage:
            windows.append(stage[STAGE])
            segments.append([])
        else:
            _refuse_nested(stage)
            segments[-1].append(stage)
    log_command("aggregate", collection.name, segments[0])
    documents = list(collection.aggregate(segments[0], session=session))
    for window, segment in zip(windows, segments[1:]):
        try:
            documents = setwindowfields.evaluate(window, documents)
        except ValueError as exc:
            raise NotSupportedError(f"window function over these rows: {exc}") from None
        if segment:
            documents = _on_server(source, documents, segment, session)
    return iter(documents)


def _refuse_nested(stage):
    """Refuse a $setWindowFields inside a $lookup or $facet: only the top level is evaluated here."""
    if _holds_window(stage):
        raise NotSupportedError(
            "a window function inside a correlated subquery, on a server without $setWindowFields"
        )


def _holds_window(value):
    if isinstance(value, dict):
        return STAGE in value or any(_holds_window(item) for key, item in value.items() if key != "$literal")
    if isinstance(value, list):
        return any(_holds_window(item) for item in value)
    return False


def _on_server(source, documents, segment, session):
    """Run ``segment`` on ``documents``, sent to the server in the command."""
    if _size(documents) <= MAX_ROWS_BYTES:
        return _aggregate_rows(source, documents, segment, session)
    if not all(len(stage) == 1 and next(iter(stage)) in PER_DOCUMENT for stage in segment):
        raise NotSupportedError(
            f"window function over {len(documents)} rows whose size exceeds what one command carries, "
            "on a server without $setWindowFields (MongoDB 5.0 runs it)"
        )
    result, part = [], []
    weight = 0
    for document in documents:
        size = len(bson.encode(document))
        if part and weight + size > MAX_ROWS_BYTES:
            result.extend(_aggregate_rows(source, part, segment, session))
            part, weight = [], 0
        part.append(document)
        weight += size
    if part:
        result.extend(_aggregate_rows(source, part, segment, session))
    return result


def _aggregate_rows(source, documents, segment, session):
    pipeline = [
        *ONE_ROW,
        {"$project": {"_id": 0, "rows": {"$literal": documents}}},
        {"$unwind": "$rows"},
        {"$replaceRoot": {"newRoot": "$rows"}},
        *segment,
    ]
    log_command("aggregate", source.name, segment)
    return list(source.aggregate(pipeline, session=session))


def _size(documents):
    return len(bson.encode({"rows": documents}))
