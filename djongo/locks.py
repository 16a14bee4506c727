"""
Row locks for ``SELECT ... FOR UPDATE``: leases in the ``__locks__`` collection.

MongoDB has no row locks a client can hold across statements, so
``select_for_update()`` takes a lease per selected document: a document
``{"_id": {"table": t, "id": _id}, "owner": token, "expires": time}`` in
``__locks__``. The ``_id`` is unique, so one atomic insert takes a free
lock; a conditional ``find_one_and_update`` renews a lock its owner holds
or takes over one whose lease ran out (its process died). The locks of a
connection are released when its outermost ``atomic()`` block commits or
rolls back, and when it closes.

What this guarantees: callers of ``select_for_update()`` exclude each other,
row by row, as on a SQL database. Plain reads and writes do not take locks,
so they are not blocked (PostgreSQL would block a concurrent UPDATE).
"""
import datetime
import threading
import time
import uuid

from pymongo.errors import DuplicateKeyError

from djongo.exceptions import OperationalError

LOCKS_COLLECTION = "__locks__"
# In a transaction, the field each locked document is written, so that a
# concurrent transaction that changed it conflicts (see executor/locking.py, write_to_locked).
LOCK_FIELD = "__djongo_lock"

# How long a lock outlives a process that dies holding it.
LEASE = datetime.timedelta(seconds=60)
# How long a statement waits for a lock before it gives up: past the lease,
# so that a lock left by a dead process is taken over rather than refused.
WAIT_SECONDS = 75


class RowLocks:
    """The row locks one DB-API connection holds."""

    def __init__(self, database):
        self.collection = database[LOCKS_COLLECTION]
        self.owner = uuid.uuid4().hex
        self.held = {}  # the keys of the locks held, by a hashable form
        self._lock = threading.Lock()

    @staticmethod
    def key(table, document_id):
        return {"table": table, "id": document_id}

    def acquire(self, table, document_ids, mode="wait"):
        """
        Lock the documents ``document_ids`` of ``table``; return those locked.

        ``mode`` is "wait" (wait for each lock), "nowait" (raise
        OperationalError when one is held by another) or "skip locked"
        (leave out the documents another holds).
        """
        locked = []
        for document_id in document_ids:
            if self._take(self.key(table, document_id), mode):
                locked.append(document_id)
        return locked

    def _take(self, key, mode):
        deadline = time.monotonic() + WAIT_SECONDS
        delay = 0.001
        while True:
            now = datetime.datetime.now(datetime.timezone.utc)
            try:
                self.collection.insert_one({"_id": key, "owner": self.owner, "expires": now + LEASE})
                break
            except DuplicateKeyError:
                pass
            # Held already by this connection, or left by a process whose
            # lease ran out: renew or take it over in one atomic update.
            renewed = self.collection.find_one_and_update(
                {"_id": key, "$or": [{"owner": self.owner}, {"expires": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "expires": now + LEASE}},
                projection={"_id": 1},
            )
            if renewed is not None:
                break
            if mode == "skip locked":
                return False
            if mode == "nowait":
                raise OperationalError(f"could not obtain lock on row {key['id']!r} of {key['table']}")
            if time.monotonic() > deadline:
                raise OperationalError(
                    f"gave up waiting {WAIT_SECONDS} s for the lock on row {key['id']!r} of {key['table']}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        with self._lock:
            self.held[repr(key)] = key
        return True

    def release(self):
        """Release every lock this connection holds."""
        with self._lock:
            held, self.held = self.held, {}
        if held:
            self.collection.delete_many({"_id": {"$in": list(held.values())}, "owner": self.owner})
