"""
Which collections of a test database this process has written to since the
flush between tests last put them back (baseline.py).

Once a process makes a test database (creation.py calls
``start_recording()``), every MongoClient djongo makes from then on
carries ``LISTENER``, a pymongo command listener
(https://pymongo.readthedocs.io/en/stable/api/pymongo/monitoring.html): it
sees each command the process sends through djongo's clients, whether it
comes from a SQL statement, a ``mongo_*`` call of DjongoManager, GridFS or
code using ``connection.mongo_database``, and records the collections that
the commands writing rows name, in the watched databases: the test
databases that have a baseline. A process that makes no test database
gets clients without it: pymongo builds an event for each command of a
client with a listener, about 16 µs of CPU per command here.

Writes through other clients or by other processes are not seen here: the
flush checks for those (baseline.py).
"""
import threading

from pymongo import monitoring

from djongo.catalog import is_internal

_lock = threading.Lock()
_written = {}  # watched database name -> names of the collections written to
_recording = False  # whether the clients made from now on carry LISTENER

# Commands whose first field names the collection whose documents they
# change, make or drop. A dropped database needs no record: each collection
# it holds later was made, and recorded, after the drop.
# https://www.mongodb.com/docs/manual/reference/command/nav-crud/
_COLLECTION_WRITES = frozenset({"insert", "update", "delete", "findAndModify", "create", "drop"})


def start_recording():
    """Give LISTENER to the clients djongo makes from now on in this process: it is about to make a test database."""
    global _recording
    _recording = True


def recording():
    """Return whether the clients djongo makes now carry LISTENER."""
    return _recording


def watch(database):
    """Record the collections written to in database ``database`` (a name) from now on."""
    with _lock:
        _written[database] = set()


def unwatch(database):
    with _lock:
        _written.pop(database, None)


def take(database, tables):
    """
    Return those of ``tables`` written to in watched database ``database``
    since the last take of them, and start recording them anew.
    """
    with _lock:
        written = _written.get(database)
        if written is None:
            return set(tables)
        taken = written.intersection(tables)
        written.difference_update(taken)
        return taken


def _mark(database, collection):
    written = _written.get(database)
    if written is not None and isinstance(collection, str) and not is_internal(collection):
        written.add(collection)


def _mark_namespace(namespace):
    if isinstance(namespace, str):
        database, _, collection = namespace.partition(".")
        _mark(database, collection)


def _output_of(pipeline):
    """Return (database or None, collection) of the $out or $merge stage ending ``pipeline``, or None."""
    # https://www.mongodb.com/docs/manual/reference/operator/aggregation/out/
    # https://www.mongodb.com/docs/manual/reference/operator/aggregation/merge/
    if not pipeline or not isinstance(pipeline[-1], dict):
        return None
    stage = pipeline[-1]
    target = stage.get("$out", stage.get("$merge"))
    if isinstance(target, dict):
        target = target.get("into", target)
    if isinstance(target, str):
        return None, target
    if isinstance(target, dict):
        return target.get("db"), target.get("coll")
    return None


class WriteListener(monitoring.CommandListener):
    """Record the collections of watched databases that the commands sent write to."""

    def started(self, event):
        if not _written:
            return
        name = event.command_name
        command = event.command
        database = event.database_name
        if name in _COLLECTION_WRITES:
            if database in _written:
                _mark(database, command.get(name))
        elif name == "aggregate":
            output = _output_of(command.get("pipeline"))
            if output is not None:
                _mark(output[0] or database, output[1])
        elif name == "renameCollection":
            # Sent to the admin database with whole namespaces.
            _mark_namespace(command.get("renameCollection"))
            _mark_namespace(command.get("to"))
        elif name == "bulkWrite":
            # MongoDB 8.0's command across collections, sent to admin.
            for namespace in command.get("nsInfo") or ():
                _mark_namespace(namespace.get("ns") if isinstance(namespace, dict) else None)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


LISTENER = WriteListener()
