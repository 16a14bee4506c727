"""
The ``__schema__`` collection: auto-increment counters.

MongoDB has no AUTOINCREMENT, so each table with an auto field has a
document ``{"name": table, "auto": {"field_names": [field], "seq": N}}``
whose ``seq`` is the last id handed out. Ids are reserved by one atomic
``find_one_and_update`` with ``$inc`` per INSERT statement, so concurrent
writers never get the same id.
"""
import threading

from pymongo import ReturnDocument

SCHEMA_COLLECTION = "__schema__"


class Sequences:
    """The auto-increment counters of one database, with a cache of which field is auto."""

    def __init__(self, database):
        self.collection = database[SCHEMA_COLLECTION]
        self._auto_fields = {}
        self._lock = threading.Lock()

    def auto_field(self, table):
        """Return the name of ``table``'s auto-increment field, or None if it has none."""
        try:
            return self._auto_fields[table]
        except KeyError:
            pass
        entry = self.collection.find_one({"name": table}, {"auto.field_names": 1})
        names = (entry or {}).get("auto", {}).get("field_names") or [None]
        with self._lock:
            self._auto_fields[table] = names[0]
        return names[0]

    def reserve(self, table, count):
        """Reserve ``count`` new ids for ``table``; return them in ascending order."""
        entry = self.collection.find_one_and_update(
            {"name": table}, {"$inc": {"auto.seq": count}},
            projection={"auto.seq": 1}, return_document=ReturnDocument.AFTER,
        )
        if entry is None:
            raise LookupError(f"no __schema__ sequence for table {table!r}")
        last = entry["auto"]["seq"]
        return range(last - count + 1, last + 1)

    def advance_to(self, table, value):
        """Move ``table``'s counter to at least ``value`` (after an insert with explicit ids)."""
        self.collection.update_one({"name": table}, {"$max": {"auto.seq": value}})

    def create(self, table, field_name):
        """Start a counter at 0 for ``table``'s auto field ``field_name``."""
        self.collection.create_index("name", unique=True, name="name_uniq")
        self.collection.replace_one(
            {"name": table}, {"name": table, "auto": {"field_names": [field_name], "seq": 0}}, upsert=True,
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
        """Drop cached knowledge of ``tables`` (all tables if none given) after DDL."""
        with self._lock:
            if not tables:
                self._auto_fields.clear()
            for table in tables:
                self._auto_fields.pop(table, None)
