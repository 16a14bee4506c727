"""
The ``__schema__`` collection: auto-increment counters; and the
``__columns__`` collection: column records.

MongoDB has no AUTOINCREMENT, so each table with an auto field has a
document ``{"name": table, "auto": {"field_names": [field], "seq": N}}``
whose ``seq`` is the last id handed out. Ids are reserved by one atomic
``find_one_and_update`` with ``$inc`` per INSERT statement, so concurrent
writers never get the same id.

MongoDB stores no column definitions either: an empty collection has no
fields at all, and a document may lack a field added after it was written.
So the schema editor records each table's columns in a document
``{"table": table, "columns": [{"name": ..., "type": ..., "null": ...}, ...]}``
of ``__columns__``, in table order, and introspection reads them back.
Dropping or renaming a table or a column updates both collections.
"""
import threading

from pymongo import ReturnDocument

SCHEMA_COLLECTION = "__schema__"
COLUMNS_COLLECTION = "__columns__"


class Sequences:
    """
    The auto-increment counters and column records of one database, with a
    cache of which field is auto.
    """

    def __init__(self, database):
        self.collection = database[SCHEMA_COLLECTION]
        self.column_records = database[COLUMNS_COLLECTION]
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
        self.column_records.delete_one({"table": table})
        self.forget(table)

    def rename_table(self, old, new):
        self.collection.update_one({"name": old}, {"$set": {"name": new}})
        self.column_records.update_one({"table": old}, {"$set": {"table": new}})
        self.forget(old, new)

    def rename_field(self, table, old, new):
        self.collection.update_one(
            {"name": table, "auto.field_names": old}, {"$set": {"auto.field_names.$": new}},
        )
        self.column_records.update_one(
            {"table": table, "columns.name": old}, {"$set": {"columns.$.name": new}},
        )
        self.forget(table)

    def columns(self, table):
        """Return the recorded columns of ``table`` in order, or None if none are recorded."""
        entry = self.column_records.find_one({"table": table}, {"columns": 1})
        return None if entry is None else entry.get("columns")

    def set_column(self, table, column):
        """Record ``column`` (a dict with a "name"), replacing the record of that name in place."""
        columns = list(self.columns(table) or [])
        for position, existing in enumerate(columns):
            if existing["name"] == column["name"]:
                columns[position] = column
                break
        else:
            columns.append(column)
        self.set_columns(table, columns)

    def set_columns(self, table, columns):
        """Record ``columns`` as the whole column list of ``table``."""
        self.column_records.create_index("table", unique=True, name="table_uniq")
        self.column_records.update_one({"table": table}, {"$set": {"columns": list(columns)}}, upsert=True)

    def drop_column(self, table, name):
        """Forget the record of column ``name`` of ``table``."""
        self.column_records.update_one({"table": table}, {"$pull": {"columns": {"name": name}}})

    def forget(self, *tables):
        """Drop cached knowledge of ``tables`` (all tables if none given) after DDL."""
        with self._lock:
            if not tables:
                self._auto_fields.clear()
            for table in tables:
                self._auto_fields.pop(table, None)
