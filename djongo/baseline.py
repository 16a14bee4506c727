"""
The rows a test database holds after ``migrate``, which the flush between
tests puts back.

Without server transactions Django's TestCase isolates tests as
TransactionTestCase does: after each test it flushes every table and emits
``post_migrate`` again, whose receivers create the content types, the
permissions and any other row an app makes after migrating, one query at a
time, for every test (issue 23 measured two thirds of a test suite's time
there). Django flushes so that each test starts from the state ``migrate``
left: djongo keeps that state, the rows of the few tables that hold any,
when the test database is made, and the flush writes them back with their
ids (one ``insert_many`` per table). The ``post_migrate`` that follows
finds its rows there and writes nothing, as on PostgreSQL, where TestCase
rolls back to that same state.

Only test databases have a baseline (creation.py takes it); ``manage.py
flush`` of any other database empties its tables as Django documents.
"""
import threading

from djongo.catalog import is_internal
from djongo.sequences import SCHEMA_COLLECTION

_lock = threading.Lock()
_baselines = {}  # database name -> Baseline, in this process


class Baseline:
    """The documents of each non-empty table, and each auto counter, of a database."""

    def __init__(self, documents, counters):
        self.documents = documents  # {table: [documents]}
        self.counters = counters  # {table: the counter's value}


def take(database):
    """Record the state of ``database`` (pymongo's) as its baseline and return it."""
    documents = {}
    for name in database.list_collection_names():
        if is_internal(name):
            continue
        found = list(database[name].find().sort("_id", 1))
        if found:
            documents[name] = found
    # Each counter restarts after the largest id the table keeps, as
    # SQLite's do after a flush and the post_migrate that fills the table
    # again; the counter itself may stand further on, past ids this
    # process reserved.
    counters = {}
    for entry in database[SCHEMA_COLLECTION].find({"name": {"$in": list(documents)}}, {"name": 1, "auto": 1}):
        fields = (entry.get("auto") or {}).get("field_names") or []
        ids = [document.get(fields[0]) for document in documents[entry["name"]]] if fields else []
        counters[entry["name"]] = max((value for value in ids if isinstance(value, int)), default=0)
    baseline = Baseline(documents, counters)
    with _lock:
        _baselines[database.name] = baseline
    return baseline


def of(name):
    """Return the baseline of database ``name``, or None when it has none (it is no test database)."""
    with _lock:
        return _baselines.get(name)


def restore(connection, tables):
    """
    Put back the baseline rows and counters of those of ``tables`` that
    have any, in the database of ``connection`` (djongo's), just emptied
    by a flush; return the tables restored.
    """
    baseline = of(connection.database.name)
    if baseline is None:
        return []
    restored = [table for table in tables if table in baseline.documents]
    for table in restored:
        connection.collection(table).insert_many(baseline.documents[table], ordered=False)
        counter = baseline.counters.get(table)
        if counter is not None:
            connection.sequences.restart_at(table, counter)
    return restored


def forget(name):
    with _lock:
        _baselines.pop(name, None)
