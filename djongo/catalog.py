"""
The ``__columns__`` collection: what Django's schema says of each table that
MongoDB does not keep.

- **Columns.** An empty collection has no fields at all, and a document may
  lack a field added after it was written. So the schema editor records
  each table's columns, in table order, and introspection, ``SELECT *`` and
  the naming of hand-written joins read them back.
- **Index names.** MongoDB keeps one index per key pattern (and partial
  filter), and refuses a second one under another name
  (https://www.mongodb.com/docs/manual/reference/method/db.collection.createIndex/#index-names),
  while Django may give the same columns an index and a unique constraint,
  or rename an index by creating the new one first. The second name is
  recorded as an alias of the index that exists, with the uniqueness
  Django asked for; introspection lists it, and dropping it drops only the
  alias (executor.run_create_index, run_drop_index).

One document per table: ``{"table": t, "columns": [{"name": ..., "type":
..., "null": ...}, ...], "aliases": [{"name": ..., "index": ..., "unique":
...}, ...]}``.
"""
COLUMNS_COLLECTION = "__columns__"


class Catalog:
    """The column records and index aliases of one database."""

    def __init__(self, database):
        self.records = database[COLUMNS_COLLECTION]

    # Columns ---------------------------------------------------------------

    def columns(self, table):
        """Return the recorded columns of ``table`` in order, or None if none are recorded."""
        entry = self.records.find_one({"table": table}, {"columns": 1})
        return None if entry is None else entry.get("columns")

    def columns_of(self, tables):
        """Return {table: its recorded columns} of those of ``tables`` that have any, read in one query."""
        found = self.records.find({"table": {"$in": list(tables)}}, {"table": 1, "columns": 1})
        return {entry["table"]: entry["columns"] for entry in found if entry.get("columns")}

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
        self._update(table, {"$set": {"columns": list(columns)}})

    def drop_column(self, table, name):
        """Forget the record of column ``name`` of ``table``."""
        self.records.update_one({"table": table}, {"$pull": {"columns": {"name": name}}})

    def rename_column(self, table, old, new):
        self.records.update_one({"table": table, "columns.name": old}, {"$set": {"columns.$.name": new}})

    # Tables ----------------------------------------------------------------

    def drop(self, table):
        self.records.delete_one({"table": table})

    def rename_table(self, old, new):
        self.records.update_one({"table": old}, {"$set": {"table": new}})

    # Index aliases -----------------------------------------------------------

    def aliases(self, table):
        """Return ``table``'s index aliases: ``{name: {"index": index name, "unique": bool}}``."""
        entry = self.records.find_one({"table": table}, {"aliases": 1}) or {}
        return {alias["name"]: alias for alias in entry.get("aliases", [])}

    def add_alias(self, table, name, index, unique):
        """Record ``name`` as another name of ``table``'s index ``index``, unique or not as Django asked."""
        self.drop_alias(table, name)
        self._update(table, {"$push": {"aliases": {"name": name, "index": index, "unique": unique}}})

    def drop_alias(self, table, name):
        self.records.update_one({"table": table}, {"$pull": {"aliases": {"name": name}}})

    def move_aliases(self, table, old_index, new_index):
        """Point the aliases of ``old_index`` at ``new_index``, which replaced it."""
        aliases = self.aliases(table)
        for alias in aliases.values():
            if alias["index"] == old_index:
                alias["index"] = new_index
        self._update(table, {"$set": {"aliases": [alias for alias in aliases.values() if alias["name"] != new_index]}})

    def _update(self, table, update):
        self.records.create_index("table", unique=True, name="table_uniq")
        self.records.update_one({"table": table}, update, upsert=True)
