"""
EXPLAIN: run the SELECT while recording the reads it sends, then ask the
server to explain each of them.

The reads of a query (reads.py) report themselves through record_read(),
which logs them at DEBUG and hands them to the EXPLAIN that is recording,
if one is.
"""
import contextvars
import json
import logging

from bson import json_util
from pymongo.errors import OperationFailure

from djongo.executor.common import Result, run
from djongo.logs import brief

logger = logging.getLogger("djongo")

# The reads of the statement being explained, when there is one (run_explain).
_explained_reads = contextvars.ContextVar("explained_reads", default=None)


def reads_observed():
    """Return whether anyone looks at the reads sent: the DEBUG log, or EXPLAIN."""
    return _explained_reads.get() is not None or logger.isEnabledFor(logging.DEBUG)


def record_read(collection, document):
    """Log a read command as the pymongo call it is, and hand it to EXPLAIN when one is recording."""
    document = {key: value for key, value in document.items() if value is not None}
    if logger.isEnabledFor(logging.DEBUG):
        if "find" in document:
            options = "".join(
                f", {key}={brief(document[key])}" for key in ("sort", "skip", "limit", "batchSize") if key in document
            )
            logger.debug("db[%r].find(%s, %s%s)", collection, brief(document.get("filter", {})),
                         brief(document.get("projection")), options)
        else:
            logger.debug("db[%r].aggregate(%s)", collection, brief(document["pipeline"]))
    reads = _explained_reads.get()
    if reads is not None:
        reads.append(document)


def run_explain(command, params, connection):
    """
    Run the SELECT, recording the reads it sends (a subquery run first is
    one of them), then ask the server to explain each read; return a row
    per line of text, or one row holding the JSON document.
    """
    reads = []
    token = _explained_reads.set(reads)
    try:
        for inner in command.commands:
            result = run(inner, params, connection)
            for _ in result.rows or ():
                pass
    finally:
        _explained_reads.reset(token)
    explained = []
    for document in reads:
        try:
            plan = connection.database.command("explain", document, verbosity=command.verbosity)
        except OperationFailure as exc:
            # mongo-java-server, for one, has no explain command.
            message = (exc.details or {}).get("errmsg") or str(exc)
            plan = {"error": f"the server cannot explain this command: {message}"}
        plan.pop("$clusterTime", None)
        plan.pop("operationTime", None)
        explained.append({"command": document, "explain": plan})
    # Relaxed Extended JSON keeps BSON values (dates, ObjectIds, Decimal128) readable as JSON.
    explained = json.loads(json_util.dumps(explained, json_options=json_util.RELAXED_JSON_OPTIONS))
    if command.format == "JSON":
        return Result(iter([(explained,)]), names=command.names)
    return Result(iter([(line,) for line in explained_text(explained)]), names=command.names)


def explained_text(explained):
    """Return the lines of EXPLAIN's text format: each read as a shell call, then its plan indented."""
    lines = []
    for step, entry in enumerate(explained, 1):
        document = entry["command"]
        name = next(iter(document))
        arguments = {key: value for key, value in document.items() if key != name}
        lines.append(f"{step}. db.{document[name]}.{name}({json.dumps(arguments)})")
        lines.extend("   " + line for line in json.dumps(entry["explain"], indent=2).splitlines())
    return lines
