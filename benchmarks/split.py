"""
Split the client CPU time of each benchmark operation into Django's,
djongo's and pymongo's shares.

A clock wraps djongo's DB-API cursor methods and the pymongo calls the
executor makes (and the batches that fetching rows makes a pymongo cursor
read), summing ``time.process_time`` inside each; nested calls count
once. Django's share is the rest of the operation's time: its ORM,
compilers and model instances. The wrappers add well under a microsecond
per call, which is counted in djongo's and pymongo's shares.
"""
import functools
import time

from pymongo.synchronous.collection import Collection
from pymongo.synchronous.command_cursor import CommandCursor
from pymongo.synchronous.cursor import Cursor as PymongoCursor

from djongo.cursor import Cursor

CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall")
COLLECTION_METHODS = (
    "find", "find_one", "aggregate", "count_documents", "insert_one", "insert_many", "update_one",
    "update_many", "delete_one", "delete_many", "bulk_write", "find_one_and_update",
)
# A pymongo cursor fetches and decodes its batches in _refresh; wrapping it,
# rather than next(), keeps the clock out of the per-document loop.
ITERATION_METHODS = ((PymongoCursor, "_refresh"), (CommandCursor, "_refresh"))


class Clock:
    """Seconds of CPU spent inside djongo's cursor and, within it, inside pymongo."""

    def __init__(self):
        self.cursor = 0.0
        self.pymongo = 0.0
        self._depth = {"cursor": 0, "pymongo": 0}
        self._originals = []

    def _wrap(self, owner, name, bucket):
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            depth = self._depth
            if depth[bucket]:
                return original(*args, **kwargs)
            depth[bucket] = 1
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                setattr(self, bucket, getattr(self, bucket) + time.process_time() - start)
                depth[bucket] = 0

        self._originals.append((owner, name, original))
        setattr(owner, name, timed)

    def __enter__(self):
        for name in CURSOR_METHODS:
            self._wrap(Cursor, name, "cursor")
        for name in COLLECTION_METHODS:
            self._wrap(Collection, name, "pymongo")
        for owner, name in ITERATION_METHODS:
            self._wrap(owner, name, "pymongo")
        return self

    def __exit__(self, *exc_info):
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)
        self._originals.clear()


def split(operations, keys, rounds):
    """
    Return {key: (django, djongo, pymongo)} CPU seconds per call of each
    ORM operation ``operations.orm_<key>``, the median over ``rounds`` batches.
    """
    shares = {}
    for key in keys:
        orm = getattr(operations, f"orm_{key}")
        prepare = getattr(operations, f"prepare_orm_{key}", None)
        samples = []
        for _ in range(rounds):
            arguments = (prepare(),) if prepare else ()
            with Clock() as clock:
                start = time.process_time()
                calls = orm(*arguments)
                total = time.process_time() - start
            djongo = clock.cursor - clock.pymongo
            samples.append(((total - clock.cursor) / calls, djongo / calls, clock.pymongo / calls))
        samples.sort(key=sum)
        shares[key] = samples[len(samples) // 2]
    return shares
