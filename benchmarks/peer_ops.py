"""
Time the per-call benchmark's ORM operations through django-mongodb-backend.

Run only by the peer virtualenv's python, which benchmarks/peer.py builds:

    .cache/bench-peer/venv/bin/python -I benchmarks/peer_ops.py \\
        --uri mongodb://127.0.0.1:27017 --db peer_bench --rounds 5 --size 300

Print one JSON line, last on stdout: the versions in use and, for each
operation, the median seconds per call of wall time and of client CPU, or
{"error": "ExceptionClass: message"} when the backend or the server refuses
it. This script imports nothing from the repository but its own peer_app.
"""
import argparse
import json
import os
import statistics
import sys
import time
import traceback
from importlib.metadata import version

from pymongo import monitoring

APP_DIR = os.path.dirname(os.path.abspath(__file__))
SHELVES = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", required=True, help="MongoDB connection URI")
    parser.add_argument("--db", required=True, help="database to use; dropped before and after")
    parser.add_argument("--rounds", type=int, default=5, help="batches per measurement (median is reported)")
    parser.add_argument("--size", type=int, default=300, help="calls per batch")
    args = parser.parse_args()
    if args.rounds < 1 or args.size < 1:
        parser.error("--rounds and --size must be at least 1")

    report = {"versions": versions(), "ops": {}}
    status = 0
    try:
        setup_django(args.uri, args.db)
        report["ops"] = run(args.rounds, args.size)
    except Exception as error:
        # Setup failed (no server, bad settings): no operation can be timed,
        # but the caller still wants one line that says why.
        traceback.print_exc()
        report = {"versions": report["versions"], "error": describe(error)}
        status = 1
    print(json.dumps(report), flush=True)
    return status


def versions():
    import django
    import pymongo

    return {
        "django": django.__version__,
        "django_mongodb_backend": version("django-mongodb-backend"),
        "pymongo": pymongo.version,
    }


def setup_django(uri, name):
    """Configure Django with one django-mongodb-backend database, ``name`` at ``uri``."""
    import django
    from django.conf import settings

    # Appended, not prepended: the app must be importable, but nothing in this
    # directory may shadow an installed package.
    if APP_DIR not in sys.path:
        sys.path.append(APP_DIR)
    settings.configure(
        DATABASES={"default": {"ENGINE": "django_mongodb_backend", "HOST": uri, "NAME": name}},
        INSTALLED_APPS=["peer_app.apps.PeerAppConfig"],
        DEFAULT_AUTO_FIELD="django_mongodb_backend.fields.ObjectIdAutoField",
        USE_TZ=True,
    )
    django.setup()


def describe(error, command=None):
    """
    Return ``error`` as one short line: its class and its message's first
    line, preceded by the classes of the errors wrapping it, and followed by
    the shape of the server ``command`` that was refused, when known.
    """
    # The backend raises a bare DatabaseError "from" the server's
    # OperationFailure, so the reason is in the cause, not in the error itself.
    classes = []
    while True:
        classes.append(type(error).__name__)
        lines = str(error).strip().splitlines()
        cause = error.__cause__ or error.__context__
        if (lines and lines[0].strip()) or cause is None:
            break
        error = cause
    # PyMongo repeats the server's whole reply after the message; the message
    # says it already.
    message = lines[0].split(", full error:")[0].strip() if lines else ""
    if len(message) > 160:
        # Java's class-cast messages go on with loader details in brackets:
        # cut before them rather than mid-word.
        cut = message.rfind(" (", 0, 157)
        message = message[:cut if cut > 40 else 157] + "..."
    text = f"{': '.join(classes)}: {message}" if message else ": ".join(classes)
    return f"{text} [refused: {command}]" if command else text


class RefusedCommands(monitoring.CommandListener):
    """
    Remember the shape of the last command the server failed, to say which
    request an error came from (the server's message often does not).

    Registered only for the diagnosis run after the timings: a listener costs
    client CPU on every command, which would tilt the peer's numbers.
    """

    def __init__(self):
        self.pending = {}
        self.last = None

    def started(self, event):
        self.pending[event.request_id] = command_shape(event.command_name, event.command)

    def succeeded(self, event):
        self.pending.pop(event.request_id, None)

    def failed(self, event):
        self.last = self.pending.pop(event.request_id, None)


def command_shape(name, command):
    """Return a short description of a command: its name and the stages or operators it uses."""
    if name == "update":
        update = (command.get("updates") or [{}])[0].get("u")
        if isinstance(update, list):
            stages = ", ".join(next(iter(stage), "?") for stage in update)
            return f"update whose update is a pipeline [{stages}]"
        return f"update with operators [{', '.join(update or {})}]"
    if name == "aggregate":
        stages = []
        for stage in command.get("pipeline", []):
            operator = next(iter(stage), "?")
            if operator == "$lookup":
                operator += "(" + ", ".join(key for key in stage[operator] if key != "as") + ")"
            stages.append(operator)
        return f"aggregate [{', '.join(stages)}]"
    return name


def measure(batch, rounds, prepare=None):
    """
    Return the median seconds per call, wall and CPU, of ``batch`` over
    ``rounds`` batches. ``batch`` returns how many calls it made; when
    ``prepare`` is given, its result is passed to ``batch`` and its own time
    is not counted.
    """
    walls, cpus = [], []
    for _ in range(rounds):
        arguments = (prepare(),) if prepare else ()
        wall, cpu = time.perf_counter(), time.process_time()
        calls = batch(*arguments)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        walls.append(wall / calls)
        cpus.append(cpu / calls)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def check(condition, message):
    # Not assert: the checks must hold under python -O too, or a silently
    # wrong operation would be timed.
    if not condition:
        raise AssertionError(message)


def run(rounds, size):
    """Time every operation; return {name: {"wall", "cpu"} or {"error"}}."""
    from django.db import connection

    from peer_app.models import Item, Shelf

    connection.database.client.drop_database(connection.database.name)
    try:
        with connection.schema_editor() as editor:
            editor.create_model(Shelf)
            editor.create_model(Item)
        shelves = [Shelf.objects.create(name=f"shelf{i}") for i in range(SHELVES)]
        # A raw count, not the ORM's: count() is one of the operations under
        # test and may be the one the server refuses.
        stored = connection.database[Shelf._meta.db_table].count_documents({})
        check(stored == SHELVES, "the shelves were not all created")
        return Operations(connection, Item, shelves, rounds, size).run()
    finally:
        # Looked up again: the diagnosis run replaces the client.
        connection.database.client.drop_database(connection.database.name)


class Operations:
    """The timed operations, sharing the rows that create makes."""

    NAMES = ("create", "get", "filter", "count", "update", "increment", "save",
             "select_related", "delete", "bulk_create")

    def __init__(self, connection, Item, shelves, rounds, size):
        self.connection = connection
        self.Item = Item
        self.shelves = shelves
        self.rounds = rounds
        self.size = size
        self.pks = []

    @property
    def raw(self):
        """Return the items' collection, read with PyMongo to check the ORM's answers."""
        return self.connection.database[self.Item._meta.db_table]

    def run(self):
        results = {}
        failed = {}
        # Warm up the server and the backend's code paths, as the main bench
        # does, before anything is timed; an operation that fails here is
        # reported as failed rather than timed.
        for name in ("create", "get"):
            try:
                getattr(self, name)()
            except Exception as error:
                failed[name] = name
                results[name] = {"error": describe(error)}
        for name in self.NAMES:
            if name in results:
                continue
            try:
                results[name] = getattr(self, f"time_{name}")()
            except Exception as error:
                failed[name] = f"time_{name}"
                results[name] = {"error": describe(error)}
        if failed:
            try:
                self.diagnose(failed, results)
            except Exception:
                # The diagnosis only adds detail; the errors stand without it.
                traceback.print_exc()
        return results

    def diagnose(self, failed, results):
        """
        Run each failed operation again with a client that watches its
        commands, and name the refused command in its error.
        """
        listener = RefusedCommands()
        options = self.connection.settings_dict["OPTIONS"]
        # The backend builds its MongoClient from OPTIONS when it next
        # connects; close_pool() makes it connect again.
        self.connection.close_pool()
        self.connection.settings_dict["OPTIONS"] = {**options, "event_listeners": [listener]}
        try:
            for name, method in failed.items():
                listener.last = None
                try:
                    getattr(self, method)()
                except Exception as error:
                    # Only when it fails the same way again is the command its cause.
                    if listener.last and describe(error) == results[name]["error"]:
                        results[name] = {"error": describe(error, listener.last)}
        finally:
            self.connection.close_pool()
            self.connection.settings_dict["OPTIONS"] = options

    def targets(self):
        """Return ``size`` primary keys of rows that create made."""
        if len(self.pks) < self.size:
            raise RuntimeError("needs the rows of create, which failed")
        return self.pks[:self.size]

    # create

    def create(self):
        Item, shelves = self.Item, self.shelves
        for i in range(self.size):
            self.pks.append(Item.objects.create(name=f"n{i}", count=i % 100, shelf=shelves[i % SHELVES]).pk)
        return self.size

    def time_create(self):
        result = measure(self.create, self.rounds)
        check(None not in self.pks, "create left a primary key unset")
        check(self.raw.count_documents({}) == len(self.pks), "create did not store every row")
        return result

    # get

    def get(self):
        Item = self.Item
        targets = self.targets()
        for pk in targets:
            check(Item.objects.get(pk=pk).pk == pk, "get returned another row")
        return len(targets)

    def time_get(self):
        return measure(self.get, self.rounds)

    # filter

    def time_filter(self):
        Item = self.Item
        self.targets()
        expected = min(50, self.raw.count_documents({"count": {"$lt": 10}}))

        def batch():
            for _ in range(20):
                rows = list(Item.objects.filter(count__lt=10).order_by("pk")[:50])
            check(len(rows) == expected, f"filter returned {len(rows)} rows, not {expected}")
            check(all(row.count < 10 for row in rows), "filter returned rows it should not")
            check([row.pk for row in rows] == sorted(row.pk for row in rows), "filter did not order by pk")
            return 20

        return measure(batch, self.rounds)

    # count

    def time_count(self):
        Item = self.Item
        self.targets()
        expected = self.raw.count_documents({"count": {"$gte": 50}})

        def batch():
            for _ in range(50):
                counted = Item.objects.filter(count__gte=50).count()
            check(counted == expected, f"count gave {counted!r}, not {expected}")
            return 50

        return measure(batch, self.rounds)

    # update

    def time_update(self):
        Item = self.Item
        targets = self.targets()

        def batch():
            for pk in targets:
                check(Item.objects.filter(pk=pk).update(name="u") == 1, "update did not match one row")
            return len(targets)

        result = measure(batch, self.rounds)
        check(self.raw.count_documents({"_id": {"$in": targets}, "name": "u"}) == len(targets),
              "update did not store the new name")
        return result

    # increment

    def time_increment(self):
        from django.db.models import F

        Item = self.Item
        targets = self.targets()
        before = self.raw.find_one({"_id": targets[0]})["count"]

        def batch():
            for pk in targets:
                check(Item.objects.filter(pk=pk).update(count=F("count") + 1) == 1,
                      "increment did not match one row")
            return len(targets)

        result = measure(batch, self.rounds)
        after = self.raw.find_one({"_id": targets[0]})["count"]
        check(after == before + self.rounds, f"increment took count from {before} to {after}")
        return result

    # save

    def time_save(self):
        Item = self.Item
        targets = self.targets()
        objects = list(Item.objects.filter(pk__in=targets))
        check(len(objects) == len(targets), "could not fetch the rows to save")

        def batch():
            for obj in objects:
                obj.name = "s"
                obj.save()
            return len(objects)

        result = measure(batch, self.rounds)
        check(self.raw.count_documents({"_id": {"$in": targets}, "name": "s"}) == len(targets),
              "save did not store the new name")
        check(self.raw.count_documents({}) == len(self.pks), "save added rows instead of updating")
        return result

    # select_related

    def time_select_related(self):
        Item = self.Item
        targets = self.targets()
        names = {shelf.pk: shelf.name for shelf in self.shelves}

        def batch():
            for pk in targets:
                obj = Item.objects.select_related("shelf").get(pk=pk)
                # is_cached: the shelf came with the item, not by a second query.
                check(obj.pk == pk and Item.shelf.is_cached(obj), "select_related did not join the shelf")
                check(obj.shelf.name == names[obj.shelf_id], "select_related joined the wrong shelf")
            return len(targets)

        return measure(batch, self.rounds)

    # delete

    def time_delete(self):
        Item, shelf = self.Item, self.shelves[0]
        self.targets()

        def prepare():
            # One create at a time, not bulk_create: delete should not depend
            # on another operation the server might refuse.
            return [Item.objects.create(name="d", count=0, shelf=shelf).pk for _ in range(self.size)]

        def batch(victims):
            for pk in victims:
                deleted, _ = Item.objects.filter(pk=pk).delete()
                check(deleted == 1, f"delete removed {deleted} rows, not 1")
            return len(victims)

        result = measure(batch, self.rounds, prepare)
        check(self.raw.count_documents({"name": "d"}) == 0, "delete left rows behind")
        return result

    # bulk_create

    def time_bulk_create(self):
        Item, shelf, size = self.Item, self.shelves[0], self.size

        def batch():
            made = Item.objects.bulk_create([Item(name="b", count=i, shelf=shelf) for i in range(size)])
            check(len(made) == size, "bulk_create returned the wrong number of rows")
            return 1

        result = measure(batch, self.rounds)
        stored = self.raw.count_documents({"name": "b"})
        check(stored == size * self.rounds, f"bulk_create stored {stored} rows, not {size * self.rounds}")
        return result


if __name__ == "__main__":
    sys.exit(main())
