"""
The ``__schema__`` collection: auto-increment counters.

MongoDB has no AUTOINCREMENT, so each table with an auto field has a
document ``{"name": table, "auto": {"field_names": [field], "seq": N}}``
whose ``seq`` is the last id reserved. A process reserves ids in blocks:
one atomic ``find_one_and_update`` with ``$inc`` by the block size, after
which its inserts take ids from the block without a round trip, as
PostgreSQL's sequence CACHE and Hibernate's pooled optimizer do. So ids are
unique across threads, processes and machines, but may have gaps (a
process that stops leaves the rest of its block unused) and are ordered
only within a process. docs/how-it-works.md#auto-increment-ids explains the
rules. The tables' columns are recorded apart, in ``__columns__``
(catalog.py).
"""
import os
import threading
import weakref
from typing import NamedTuple

from pymongo import ReturnDocument

from djongo.sql2mongo import dialect

SCHEMA_COLLECTION = "__schema__"

# Ids a process reserves at a time (the ID_BLOCK_SIZE setting). Measured
# with `make bench`: a block of 1 costs a second round trip per create; at
# 100 the reservation is under 1% of a create's time, and a process that
# stops wastes at most 99 ids of a 64-bit counter.
DEFAULT_ID_BLOCK_SIZE = 100

# The most ids a bulk INSERT reserves beyond its own rows, for the next ones.
BULK_RESERVE = 10_000

class Counter(NamedTuple):
    """A table's auto-increment counter: its field and the last id reserved."""
    table: str
    field: str
    seq: int


def _counter(entry):
    """Return the Counter an ``__schema__`` entry holds, or None."""
    names = (entry or {}).get("auto", {}).get("field_names") or [None]
    if names[0] is None:
        return None
    return Counter(entry["name"], names[0], entry["auto"].get("seq", 0))


def reset_sql(table):
    """
    Return the SQL that sets ``table``'s counter back to 0, for Django's
    sequence resets (the translator writes to ``__schema__`` as to any
    collection; "auto.seq" is a dotted path into the entry).
    """
    return f'UPDATE "{SCHEMA_COLLECTION}" SET "auto.seq" = 0 WHERE "name" = {dialect.literal(table)}'


# Every Sequences of the process, so that a forked child starts without the
# blocks of its parent: two processes handing out one block would repeat ids.
_instances = weakref.WeakSet()


def _after_fork():
    for sequences in list(_instances):
        sequences._reset_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class IdBlock:
    """The ids ``first`` to ``last`` that this process reserved and has not handed out."""

    __slots__ = ("next", "last")

    def __init__(self, first, last):
        self.next = first
        self.last = last

    def take(self, count):
        """Hand out up to ``count`` ids; return them as a range."""
        taken = range(self.next, min(self.next + count, self.last + 1))
        self.next = taken.stop
        return taken


class Sequences:
    """
    The auto-increment counters of one database, with this process's
    reserved id blocks and a cache of which field is auto.
    """

    def __init__(self, database, block_size=DEFAULT_ID_BLOCK_SIZE):
        if block_size < 1:
            raise ValueError(f"the id block size must be at least 1, not {block_size}")
        self.collection = database[SCHEMA_COLLECTION]
        self.block_size = block_size
        self._auto_fields = {}
        self._blocks = {}
        self._lock = threading.Lock()
        self._table_locks = {}
        _instances.add(self)

    def _reset_after_fork(self):
        self._blocks = {}
        self._lock = threading.Lock()
        self._table_locks = {}

    def auto_field(self, table):
        """Return the name of ``table``'s auto-increment field, or None if it has none."""
        try:
            return self._auto_fields[table]
        except KeyError:
            pass
        counter = self.counter(table)
        field = None if counter is None else counter.field
        with self._lock:
            self._auto_fields[table] = field
        return field

    def counter(self, table):
        """Return ``table``'s Counter as stored now, or None if it has none."""
        return _counter(self.collection.find_one({"name": table, "auto": {"$exists": True}}))

    def counters(self):
        """Yield the Counter of every table that has one, by table name."""
        for entry in self.collection.find({"auto": {"$exists": True}}).sort("name"):
            counter = _counter(entry)
            if counter is not None:
                yield counter

    def next_ids(self, table, count):
        """
        Return ``count`` new ids for ``table`` in ascending order, from this
        process's block, reserving one more block when it runs out.

        An INSERT of more rows than a block reserves what it needs in one
        ``$inc``, and with it room for four more such INSERTs (up to
        ``BULK_RESERVE`` ids), so that a bulk load reserves once per few
        statements rather than once per statement.
        """
        with self._table_lock(table):
            block = self._blocks.get(table)
            ids = list(block.take(count)) if block is not None else []
            missing = count - len(ids)
            if missing:
                size = self.block_size
                if missing > size:
                    size = missing + max(size, min(4 * missing, BULK_RESERVE))
                reserved = self.reserve(table, size)
                block = self._blocks[table] = IdBlock(reserved.start, reserved.stop - 1)
                ids.extend(block.take(missing))
            return ids

    def skip_past(self, table, value):
        """
        Hand out only ids above ``value``, an id a row was inserted with, as
        SQLite and MySQL do; return whether the counter is known to be past
        it already (else it needs ``advance_to``).
        """
        with self._table_lock(table):
            block = self._blocks.get(table)
            if block is None:
                return False
            if value > block.last:
                del self._blocks[table]
                return False
            block.next = max(block.next, value + 1)
            return True

    def discard(self, *tables):
        """Give up the ids reserved for ``tables`` (all tables if none given), e.g. after a counter reset."""
        with self._lock:
            if not tables:
                self._blocks.clear()
            for table in tables:
                self._blocks.pop(table, None)

    def _table_lock(self, table):
        lock = self._table_locks.get(table)
        if lock is None:
            with self._lock:
                lock = self._table_locks.setdefault(table, threading.Lock())
        return lock

    def reserve(self, table, count):
        """Reserve ``count`` new ids for ``table`` from its counter; return them in ascending order."""
        entry = self.collection.find_one_and_update(
            {"name": table}, {"$inc": {"auto.seq": count}},
            projection={"auto.seq": 1}, return_document=ReturnDocument.AFTER,
        )
        if entry is None:
            raise LookupError(f"no __schema__ sequence for table {table!r}")
        last = entry["auto"]["seq"]
        return range(last - count + 1, last + 1)

    def restart_if_empty(self, tables):
        """
        Start the counter of each of ``tables`` that holds no rows again at
        0, so that its next id is 1, as SQLite's are after a table is
        emptied; run after the flush between tests (sql_flush).
        """
        entries = list(self.collection.find(
            {"name": {"$in": list(tables)}, "auto.seq": {"$gt": 0}}, {"name": 1, "auto.seq": 1},
        ))
        for entry in entries:
            table = entry["name"]
            if self.collection.database[table].find_one({}, {"_id": 1}) is not None:
                continue
            # Only if no id was reserved meanwhile; another process that
            # still holds a block finds its ids taken and takes a new one.
            self.collection.update_one(
                {"_id": entry["_id"], "auto.seq": entry["auto"]["seq"]}, {"$set": {"auto.seq": 0}},
            )
            self.discard(table)

    def advance_to(self, table, value):
        """
        Move ``table``'s counter to at least ``value`` (after an insert with
        explicit ids); return where it is now. ``$max`` moves it forward only,
        in one atomic update, so ids reserved meanwhile stay reserved.
        """
        entry = self.collection.find_one_and_update(
            {"name": table}, {"$max": {"auto.seq": value}},
            projection={"auto.seq": 1}, return_document=ReturnDocument.AFTER,
        )
        return None if entry is None else entry["auto"]["seq"]

    def create(self, table, field_name):
        """
        Start a counter at 0 for ``table``'s auto field ``field_name``, or
        keep the one there: a CREATE TABLE run again after a crash (or of
        a table dropped by another program) must not hand out ids again.
        """
        self.collection.create_index("name", unique=True, name="name_uniq")
        self.collection.update_one(
            {"name": table},
            {"$set": {"auto.field_names": [field_name]}, "$setOnInsert": {"auto.seq": 0}},
            upsert=True,
        )
        self.forget(table)

    def drop(self, table):
        self.collection.delete_one({"name": table})
        self.forget(table)

    def rename_table(self, old, new):
        self.collection.update_one({"name": old}, {"$set": {"name": new}})
        self.forget(old, new)

    def rename_field(self, table, old, new):
        self.collection.update_one(
            {"name": table, "auto.field_names": old}, {"$set": {"auto.field_names.$": new}},
        )
        self.forget(table)

    def forget(self, *tables):
        """Drop cached knowledge and reserved ids of ``tables`` (all tables if none given) after DDL."""
        self.discard(*tables)
        with self._lock:
            if not tables:
                self._auto_fields.clear()
            for table in tables:
                self._auto_fields.pop(table, None)
