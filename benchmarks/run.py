"""
Benchmark djongo through the Django ORM against raw pymongo doing the same
work, in the same run, on the same server.

    .venv/bin/python -m benchmarks.run [--rounds N]

Uses $MONGODB_URI when set; otherwise starts a local server and stops it.
Prints one row per operation: the time per call of each side and the ratio
djongo / pymongo (lower is better; 1.0 means no overhead).
"""
import argparse
import os
import statistics
import sys
import time

from benchmarks import setup_django
from tests.server import TestServer


def timed(function, repeat):
    """Return the median seconds per call of ``function`` over ``repeat`` batches."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        calls = function()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="batches per measurement (median is reported)")
    parser.add_argument("--size", type=int, default=300, help="calls per batch")
    args = parser.parse_args()

    server = TestServer()
    uri = server.start()
    try:
        run(uri, args.rounds, args.size)
    finally:
        server.stop()


def run(uri, rounds, size):
    setup_django(uri, "djongo_benchmark")
    from django.db import connection

    from benchmarks.bench.models import Item

    database = connection.mongo_database
    database.client.drop_database(database.name)
    with connection.schema_editor() as editor:
        editor.create_model(Item)
    raw = database["raw_item"]
    raw.create_index("id", unique=True)
    orm_ids = iter(range(1, 10**9))

    def orm_create():
        for i in range(size):
            Item.objects.create(name=f"n{i}", count=i % 100)
        return size

    def raw_create():
        for i in range(size):
            raw.insert_one({"id": next(orm_ids), "name": f"n{i}", "count": i % 100})
        return size

    def orm_get():
        for i in range(1, size + 1):
            Item.objects.get(pk=i)
        return size

    def raw_get():
        for i in range(1, size + 1):
            raw.find_one({"id": i})
        return size

    def orm_filter():
        for _ in range(20):
            list(Item.objects.filter(count__lt=10).order_by("id")[:50])
        return 20

    def raw_filter():
        for _ in range(20):
            list(raw.find({"count": {"$lt": 10}}).sort("id", 1).limit(50))
        return 20

    def orm_count():
        for _ in range(50):
            Item.objects.filter(count__gte=50).count()
        return 50

    def raw_count():
        for _ in range(50):
            raw.count_documents({"count": {"$gte": 50}})
        return 50

    def orm_bulk():
        Item.objects.bulk_create([Item(name="b", count=i) for i in range(size)])
        return 1

    def raw_bulk():
        raw.insert_many([{"id": next(orm_ids), "name": "b", "count": i} for i in range(size)])
        return 1

    # Warm up the server's JIT and the plan cache before measuring.
    orm_create(), raw_create(), orm_get(), raw_get()
    cases = [
        ("create one row", orm_create, raw_create),
        ("get by primary key", orm_get, raw_get),
        ("filter, order, slice 50", orm_filter, raw_filter),
        ("count with filter", orm_count, raw_count),
        (f"bulk_create {size} rows", orm_bulk, raw_bulk),
    ]
    print(f"{'operation':28} {'djongo':>12} {'pymongo':>12} {'ratio':>7}")
    for name, orm, raw_side in cases:
        orm_time = timed(orm, rounds)
        raw_time = timed(raw_side, rounds)
        print(f"{name:28} {orm_time * 1e6:10.0f}µs {raw_time * 1e6:10.0f}µs {orm_time / raw_time:7.2f}")
    flush_tables = 30
    orm_time, raw_time = time_flush(connection, database, flush_tables, rounds)
    print(f"{f'flush {flush_tables} tables':28} {orm_time * 1e6:10.0f}µs {raw_time * 1e6:10.0f}µs "
          f"{orm_time / raw_time:7.2f}")
    database.client.drop_database(database.name)


def time_flush(connection, database, count, rounds):
    """
    Time one flush of ``count`` tables of 5 rows each, as Django's
    TransactionTestCase runs after every test when the server has no
    transactions: sql_flush's statements against delete_many on each.
    """
    from django.core.management.color import no_style

    names = [f"flush_{i}" for i in range(count)]

    def fill():
        for name in names:
            database[name].insert_many([{"n": n} for n in range(5)])

    def orm_flush():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), names))

    def raw_flush():
        for name in names:
            database[name].delete_many({})

    samples = {orm_flush: [], raw_flush: []}
    for _ in range(rounds * 4):
        for flush, times in samples.items():
            fill()
            start = time.perf_counter()
            flush()
            times.append(time.perf_counter() - start)
            if any(database[name].estimated_document_count() for name in names):
                raise AssertionError("flush left rows behind")
    return statistics.median(samples[orm_flush]), statistics.median(samples[raw_flush])


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
