"""Read tables, columns, sequences and constraints back from MongoDB."""
from django.db.backends.base.introspection import BaseDatabaseIntrospection, FieldInfo, TableInfo

from djongo.sequences import COLUMNS_COLLECTION, SCHEMA_COLLECTION

# Python types of sampled values and the field types they suggest.
PYTHON_TO_FIELD = {
    "bool": "BooleanField", "int": "IntegerField", "Int64": "BigIntegerField", "float": "FloatField",
    "str": "TextField", "datetime": "DateTimeField", "Decimal128": "DecimalField",
    "UUID": "UUIDField", "bytes": "BinaryField", "ObjectId": "CharField",
}


class DatabaseIntrospection(BaseDatabaseIntrospection):

    def _database(self, cursor):
        # ``cursor`` is Django's CursorWrapper around djongo.cursor.Cursor.
        return cursor.cursor.connection.database

    def get_field_type(self, data_type, description):
        return data_type

    def get_table_list(self, cursor):
        names = self._database(cursor).list_collection_names()
        return [
            TableInfo(name, "t") for name in sorted(names)
            if name not in (SCHEMA_COLLECTION, COLUMNS_COLLECTION) and not name.startswith("system.")
        ]

    def get_table_description(self, cursor, table_name):
        """
        Describe the columns the schema editor recorded for ``table_name``, or,
        for a collection it did not create, the fields found in a sample of
        its documents.
        """
        columns = cursor.cursor.connection.sequences.columns(table_name)
        if columns is not None:
            return [
                FieldInfo(
                    column["name"], column["type"], column.get("max_length"), column.get("max_length"),
                    column.get("precision"), column.get("scale"), column["null"], column.get("default"),
                    column.get("collation"),
                )
                for column in columns
            ]
        fields = {}
        collection = self._database(cursor)[table_name]
        for document in collection.find({}, limit=100):
            for name, value in document.items():
                if name == "_id" and "id" in document:
                    continue
                type_name = PYTHON_TO_FIELD.get(type(value).__name__, "TextField")
                fields.setdefault(name, [type_name, False])
                if value is None:
                    fields[name][1] = True
        return [
            FieldInfo(name, type_name, None, None, None, None, null, None, None)
            for name, (type_name, null) in fields.items()
        ]

    def get_sequences(self, cursor, table_name, table_fields=()):
        entry = self._database(cursor)[SCHEMA_COLLECTION].find_one({"name": table_name})
        if not entry:
            return []
        return [{"table": table_name, "column": name} for name in entry.get("auto", {}).get("field_names", [])]

    def get_relations(self, cursor, table_name):
        return {}

    def get_primary_key_columns(self, cursor, table_name):
        for constraint in self.get_constraints(cursor, table_name).values():
            if constraint["primary_key"]:
                return constraint["columns"]
        return None

    def get_constraints(self, cursor, table_name):
        constraints = {}
        for index in self._database(cursor)[table_name].list_indexes():
            name = index["name"]
            if name == "_id_":
                continue
            keys = list(index["key"].items())
            constraints[name] = {
                "columns": [field for field, _ in keys],
                "orders": ["DESC" if direction == -1 else "ASC" for _, direction in keys],
                "primary_key": name.endswith("_pk"),
                "unique": bool(index.get("unique")),
                "foreign_key": None,
                "check": False,
                "index": True,
                "type": "idx",
                "definition": None,
                "options": None,
            }
        return constraints
