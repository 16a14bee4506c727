"""
The rows a test database holds after ``migrate``, which the flush between
tests puts back.

Without server transactions Django's TestCase isolates tests as
TransactionTestCase does: after each test it flushes every table and emits
``post_migrate`` again, whose receivers make the content types, the
permissions and any other row an app makes after migrating, one query at a
time, for every test (issue 23 measured two thirds of a test suite's time
there). On PostgreSQL a TestCase rolls back to the state ``migrate`` left
instead. djongo keeps that state, the rows of the few tables that hold any,
when the test database is made (creation.py), and the flush between tests
returns to it:

- Only the tables written to since the last flush are emptied, and those
  with baseline rows get them back with their ids; a test that wrote
  nothing costs one query. The writes of this process are recorded as they
  are sent (written.py); one aggregate checks the other tables for rows
  added or removed by other processes or clients.
- The auto counters of the tables emptied start again at 1, as SQLite's
  do, and those of baseline tables after the baseline's largest id.
- ``post_migrate`` is not sent again: the rows its receivers would make are
  back already, as after PostgreSQL's rollback (operations.sql_flush).

Only test databases have a baseline; ``manage.py flush`` of any other
database empties its tables and sends ``post_migrate`` as Django documents.
"""
import threading

from pymongo import UpdateMany, UpdateOne

from djongo import written
from djongo.catalog import MIGRATIONS_TABLE, is_internal
from djongo.sequences import SCHEMA_COLLECTION

_lock = threading.Lock()
_baselines = {}  # database name -> Baseline, in this process


class Baseline:
    """The tables, the documents of each non-empty one, and each auto counter, of a database."""

    def __init__(self, tables, documents, counters):
        self.tables = tables  # frozenset of every table
        self.documents = documents  # {table: [documents]}
        self.counters = counters  # {table: the counter's value}


def take(database):
    """Record the state of ``database`` (pymongo's) as its baseline and return it."""
    documents = {}
    tables = frozenset(name for name in database.list_collection_names() if not is_internal(name))
    for name in tables:
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
    baseline = Baseline(tables, documents, counters)
    with _lock:
        _baselines[database.name] = baseline
    # From here on the flush empties only the tables written to.
    written.watch(database.name)
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
    _restart_counters(connection, _baseline_counters(baseline, restored), restored)
    # All of them are as the baseline has them now.
    written.take(connection.database.name, tables)
    return restored


def flush(connection, tables):
    """
    Bring those of ``tables`` that changed since the last flush back to
    the baseline of the database of ``connection`` (djongo's): empty them,
    put back their baseline rows, restart their counters. Return the tables
    flushed.
    """
    baseline = of(connection.database.name)
    # Every table the baseline has that was written goes back, as a
    # rollback would put it, even one Django leaves out of ``tables``: the
    # table of a model the router keeps off this database, of an app
    # outside available_apps, or of no model (the database cache's). Not
    # django_migrations, unless Django lists it: its rows say which
    # migrations' tables exist, and the flush leaves tables in place.
    extra = baseline.tables - {MIGRATIONS_TABLE}
    changed = written.take(connection.database.name, extra.union(tables))
    changed |= changed_elsewhere(connection.database, baseline, [table for table in tables if table not in changed])
    changed = sorted(changed)
    for table in changed:
        collection = connection.collection(table)
        collection.delete_many({})
        if table in baseline.documents:
            collection.insert_many(baseline.documents[table], ordered=False)
    # An emptied table's counter starts again at 0, so that its next id is 1.
    counters = _baseline_counters(baseline, changed)
    emptied = [table for table in changed if table not in baseline.counters]
    if emptied:
        counters.append(UpdateMany({"name": {"$in": emptied}, "auto.seq": {"$gt": 0}}, {"$set": {"auto.seq": 0}}))
    _restart_counters(connection, counters, changed)
    # The flush's own writes, which the listener recorded, leave the
    # tables as the baseline has them.
    written.take(connection.database.name, changed)
    return changed


def _baseline_counters(baseline, tables):
    """Return the updates that set the counter of each of ``tables`` in the baseline after its largest id."""
    return [UpdateOne({"name": table}, {"$set": {"auto.seq": baseline.counters[table]}})
            for table in tables if table in baseline.counters]


def _restart_counters(connection, updates, tables):
    """Apply ``updates`` to the counters of ``tables`` in ``__schema__`` in one command; give up their reserved ids."""
    if updates:
        connection.database[SCHEMA_COLLECTION].bulk_write(updates, ordered=False)
        connection.sequences.discard(*tables)


# The $lookup stages of one aggregate of changed_elsewhere(): MongoDB 5.0
# allows at most 1000 stages in a pipeline.
# https://www.mongodb.com/docs/manual/core/aggregation-pipeline-limits/
LOOKUPS_PER_CHECK = 500


def changed_elsewhere(database, baseline, tables):
    """
    Return those of ``tables`` (in ``database``, pymongo's) that hold
    another number of rows than their baseline: rows added or removed by
    another process, or by a client other than djongo's.

    One aggregate reads them all, each table in a ``$lookup`` with a
    pipeline of its own (MongoDB 3.6+): the rows of a table that has none
    in the baseline are looked for, those of the others counted. A row
    changed in place by someone else is not seen; docs/how-it-works.md
    (Test databases) says so.
    """
    # https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/#join-conditions-and-subqueries-on-a-joined-collection
    changed = set()
    tables = list(tables)
    for start in range(0, len(tables), LOOKUPS_PER_CHECK):
        chunk = tables[start:start + LOOKUPS_PER_CHECK]
        pipeline = [{"$limit": 1}, {"$project": {"_id": 1}}]
        for number, table in enumerate(chunk):
            if table in baseline.documents:
                inner = [{"$count": "rows"}]
            else:
                inner = [{"$limit": 1}, {"$project": {"_id": 1}}]
            pipeline.append({"$lookup": {"from": table, "pipeline": inner, "as": f"t{number}"}})
        found = next(iter(database[SCHEMA_COLLECTION].aggregate(pipeline)), None)
        if found is None:
            # No counter to start from (no table has an auto field): every
            # table is flushed.
            changed.update(chunk)
            continue
        for number, table in enumerate(chunk):
            result = found[f"t{number}"]
            expected = baseline.documents.get(table)
            if expected is None:
                if result:
                    changed.add(table)
            elif (result[0]["rows"] if result else 0) != len(expected):
                changed.add(table)
    return changed


def forget(name):
    with _lock:
        _baselines.pop(name, None)
    written.unwatch(name)
