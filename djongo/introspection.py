"""
Read tables, columns, sequences and constraints back from MongoDB.

Collections djongo created have their columns in ``__columns__`` (written
by the schema editor) and are described from there. Any other collection,
as in a database another application filled, is described from a sample
of its documents, so that ``inspectdb`` can propose models for it: see
docs/existing-databases.md.
"""
import datetime
import functools
import logging
import decimal
import uuid
from collections import namedtuple

from bson import Binary, Decimal128, Int64, ObjectId
from django.db.backends.base.introspection import BaseDatabaseIntrospection, TableInfo
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from pymongo import ASCENDING, DESCENDING

from djongo import exceptions
from djongo.cursor import translate_errors
from djongo.catalog import is_internal

logger = logging.getLogger("djongo")

# The on_delete of a foreign key by the name of its SQL action, on Django 6.1
# and later, whose get_relations() returns it as a third item; None before.
ON_DELETE_TYPES = getattr(BaseDatabaseIntrospection, "on_delete_types", None)

# How many documents describe a collection djongo did not create: half the
# oldest and half the newest by _id, since fields come and go over time.
SAMPLE_SIZE = 1000

# Django's FieldInfo, as Django's PostgreSQL backend extends it, plus what
# sampled documents tell about embedded documents: ``embedded``, the
# FieldInfo of the fields of the subdocuments an EmbeddedField or ArrayField
# holds; ``note``, why a field of subdocuments or arrays stays a JSONField.
FieldInfo = namedtuple("FieldInfo", BaseFieldInfo._fields + ("embedded", "note"), defaults=(None, None))

# The type of a sampled field whose values have no one field type;
# get_field_type() rejects it, and inspectdb writes TextField with the
# note "This field type is a guess."
MIXED = "mixed"

# Field types that hold the values of two others, for fields whose sampled
# values differ in type.
WIDER = {
    frozenset({"IntegerField", "BigIntegerField"}): "BigIntegerField",
    frozenset({"IntegerField", "FloatField"}): "FloatField",
    frozenset({"BigIntegerField", "FloatField"}): "FloatField",
}


def field_type_of(value):
    """
    Return the Django field type that holds the BSON value ``value`` (as
    pymongo decodes it), None for null, or MIXED if no field type fits.
    """
    if value is None:
        return None
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "BooleanField"
    if isinstance(value, Int64):
        return "BigIntegerField"
    if isinstance(value, int):
        return "IntegerField" if -2**31 <= value < 2**31 else "BigIntegerField"
    if isinstance(value, float):
        return "FloatField"
    if isinstance(value, str):
        return "TextField"
    if isinstance(value, datetime.datetime):
        return "DateTimeField"
    if isinstance(value, (Decimal128, decimal.Decimal)):
        return "DecimalField"
    if isinstance(value, uuid.UUID):
        return "UUIDField"
    if isinstance(value, (bytes, Binary)):
        return "BinaryField"
    if isinstance(value, ObjectId):
        return "ObjectIdField"
    # Embedded documents and arrays: a JSONField reads and writes them as
    # they are stored, whatever their shape. describe_documents() proposes
    # an EmbeddedField or ArrayField instead when the sampled values of a
    # field are all subdocuments, or all arrays of subdocuments.
    if isinstance(value, (dict, list)):
        return "JSONField"
    return MIXED


def _decimal_size(value):
    """Return (digits before the point, digits after it) of a Decimal128 or Decimal."""
    if isinstance(value, Decimal128):
        value = value.to_decimal()
    if not value.is_finite():
        return 0, 0
    sign, digits, exponent = value.as_tuple()
    scale = max(-exponent, 0)
    return max(len(digits) - scale, 1), scale


def describe_documents(documents, primary_key=None, skip=()):
    """
    Return a FieldInfo per field found in ``documents``, ``primary_key``
    first, the others in the order the documents show them. A field is
    nullable when some document holds null there or lacks it.

    A field (other than the primary key) whose values are all subdocuments
    is an EmbeddedField, and one whose values are all arrays of subdocuments
    an ArrayField; their FieldInfo's ``embedded`` describes the union of the
    subdocuments' fields, in turn (see describe_subdocuments()).
    """
    fields = {}  # name -> {"types": set, "null": bool, "seen": count, "int": digits, "scale": digits, "values": list}
    count = 0
    for document in documents:
        count += 1
        for name, value in document.items():
            if name in skip:
                continue
            field = fields.setdefault(
                name, {"types": set(), "null": False, "seen": 0, "int": 0, "scale": 0, "values": []},
            )
            field["seen"] += 1
            type_name = field_type_of(value)
            if type_name is None:
                field["null"] = True
                continue
            field["types"].add(type_name)
            if type_name == "DecimalField":
                integer, scale = _decimal_size(value)
                field["int"], field["scale"] = max(field["int"], integer), max(field["scale"], scale)
            elif type_name == "JSONField":
                field["values"].append(value)
    names = sorted(fields, key=lambda name: name != primary_key)  # stable: keeps document order
    description = []
    for name in names:
        field = fields[name]
        type_name = _common_type(field["types"])
        if type_name == "ObjectIdField" and name != primary_key:
            type_name = "GenericObjectIdField"  # ObjectIdField is the primary key
        precision = scale = embedded = note = None
        if type_name == "DecimalField":
            precision, scale = field["int"] + field["scale"], field["scale"]
        if type_name == "JSONField" and name != primary_key:
            type_name, embedded, note = _container_of(field["values"])
        null = name != primary_key and (field["null"] or field["seen"] < count)
        description.append(FieldInfo(name, type_name, None, None, precision, scale, null, None, None, embedded, note))
    return description


def describe_subdocuments(subdocuments):
    """
    Return the FieldInfo of the fields of the embedded model that holds each
    of ``subdocuments`` (the union of their keys; a key that some lack is
    nullable), or raise ValueError, saying why no model holds them.
    """
    keys = set()
    for subdocument in subdocuments:
        keys.update(subdocument)
    if not keys:
        raise ValueError("every sampled subdocument is empty")
    for key in sorted(keys):
        # The fields of an embedded model are queried by dotted paths
        # (address__city is "address.city"), which a key holding a dot or
        # starting with "$" would break; MongoDB itself restricts such keys:
        # https://www.mongodb.com/docs/manual/core/dot-dollar-considerations/
        if not key or "." in key or key.startswith("$"):
            raise ValueError(f"the key {key!r} cannot name a field of an embedded model")
    return tuple(describe_documents(subdocuments))


def _container_of(values):
    """
    Return (field type, embedded, note) for a field whose non-null sampled
    ``values`` are subdocuments or arrays: an EmbeddedField or ArrayField and
    its container's fields, or a JSONField and the reason it stays one.
    """
    subdocuments = [value for value in values if isinstance(value, dict)]
    arrays = [value for value in values if isinstance(value, list)]
    if subdocuments and arrays:
        return "JSONField", None, "Kept as JSON: the sampled values mix subdocuments and arrays."
    if arrays:
        elements = [element for array in arrays for element in array]
        if not elements:
            return "JSONField", None, "Kept as JSON: every sampled array is empty."
        if not all(isinstance(element, dict) for element in elements):
            return "JSONField", None, "Kept as JSON: the sampled arrays hold values other than subdocuments."
        type_name, subdocuments = "ArrayField", elements
    else:
        type_name = "EmbeddedField"
    try:
        return type_name, describe_subdocuments(subdocuments), None
    except ValueError as exc:
        return "JSONField", None, f"Kept as JSON: {exc}."


def _common_type(types):
    if len(types) == 1:
        return next(iter(types))
    return WIDER.get(frozenset(types), MIXED)


def _translated(method):
    """
    Make ``method``, which reads the database with pymongo directly, raise
    django.db errors as a statement does (an unreachable server an
    OperationalError naming the address).
    """
    @functools.wraps(method)
    def wrapper(self, cursor, *args, **kwargs):
        with self.connection.wrap_database_errors, translate_errors(self.connection.connection):
            return method(self, cursor, *args, **kwargs)
    return wrapper


class DatabaseIntrospection(BaseDatabaseIntrospection):

    def _database(self, cursor):
        # ``cursor`` is Django's CursorWrapper around djongo.cursor.Cursor.
        return cursor.cursor.connection.database

    def _recorded_columns(self, cursor, table_name):
        """Return the columns the schema editor recorded for ``table_name``, or None."""
        return cursor.cursor.connection.catalog.columns(table_name)

    def _auto_field(self, cursor, table_name):
        """Return the auto-increment field of ``table_name`` in ``__schema__``, or None."""
        counter = cursor.cursor.connection.sequences.counter(table_name)
        return None if counter is None else counter.field

    def get_field_type(self, data_type, description):
        if data_type == MIXED:
            raise KeyError(data_type)  # inspectdb: TextField, "This field type is a guess."
        if data_type in ("EmbeddedField", "ArrayField"):
            # Neither works without the model_container that djongo's
            # inspectdb writes from ``description.embedded``; Django's own
            # inspectdb gets the field that holds any subdocument or array.
            return "JSONField"
        return data_type

    @_translated
    def get_table_list(self, cursor):
        names = self._database(cursor).list_collection_names()
        return [
            TableInfo(name, "t") for name in sorted(names)
            if not is_internal(name)
        ]

    @_translated
    def get_table_description(self, cursor, table_name):
        """
        Describe the columns the schema editor recorded for ``table_name``, or,
        for a collection it did not create, the fields found in a sample of
        its documents.
        """
        columns = self._recorded_columns(cursor, table_name)
        if columns is not None:
            return [
                FieldInfo(
                    column["name"], column["type"], column.get("max_length"), column.get("max_length"),
                    column.get("precision"), column.get("scale"), column["null"], column.get("default"),
                    column.get("collation"),
                )
                for column in columns
            ]
        database = self._database(cursor)
        # The local test server ignores listCollections' filter: look for
        # the name in what comes back.
        if table_name not in database.list_collection_names(filter={"name": table_name}):
            # As SQL databases do: describing a table that does not exist is an error.
            raise exceptions.ProgrammingError(f"no such table: {table_name}")
        auto_field = self._auto_field(cursor, table_name)
        collection = database[table_name]
        half = SAMPLE_SIZE // 2
        newest = list(collection.find({}, sort=[("_id", DESCENDING)], limit=half))
        seen = {document["_id"] for document in newest}
        oldest = [
            document for document in collection.find({}, sort=[("_id", ASCENDING)], limit=half)
            if document["_id"] not in seen
        ]
        documents = newest + oldest
        if any("" in document for document in documents):
            # MongoDB allows an empty field name, which no model field can
            # have (Django's inspectdb fails on it): leave it out, loudly.
            logger.warning("inspectdb: %s has documents with a field named ''; the model leaves it out.", table_name)
        if auto_field:
            # A table of an older djongo: Django's ids are in the auto field
            # and MongoDB's _id is not part of the model.
            description = describe_documents(documents, primary_key=auto_field, skip={"_id", ""})
            return [
                info._replace(type_code="BigAutoField" if info.type_code == "BigIntegerField" else "AutoField")
                if info.name == auto_field else info
                for info in description
            ]
        return describe_documents(documents, primary_key="_id", skip={""})

    @_translated
    def get_sequences(self, cursor, table_name, table_fields=()):
        counter = cursor.cursor.connection.sequences.counter(table_name)
        return [] if counter is None else [{"table": table_name, "column": counter.field}]

    @_translated
    def get_relations(self, cursor, table_name):
        """
        Return the foreign keys of ``table_name`` that the schema editor
        recorded: {column: (referenced column, referenced table)}, and on
        Django 6.1 and later, the database's on_delete too (DB_CASCADE,
        DB_SET_NULL, DB_SET_DEFAULT, or DO_NOTHING when Django applies it).
        """
        relations = {}
        for column in self._recorded_columns(cursor, table_name) or ():
            reference = column.get("references")
            if not reference:
                continue
            relation = (reference["column"], reference["table"])
            if ON_DELETE_TYPES is not None:
                relation += (ON_DELETE_TYPES.get(reference["on_delete"]),)
            relations[column["name"]] = relation
        return relations

    @_translated
    def get_primary_key_columns(self, cursor, table_name):
        for constraint in self.get_constraints(cursor, table_name).values():
            if constraint["primary_key"]:
                return constraint["columns"]
        if self._recorded_columns(cursor, table_name) is None:
            # Not created by djongo: the auto field of an older djongo's
            # __schema__, else MongoDB's own _id.
            return [self._auto_field(cursor, table_name) or "_id"]
        return None

    @_translated
    def get_constraints(self, cursor, table_name):
        constraints = {}
        indexes = {}
        for index in self._database(cursor)[table_name].list_indexes():
            name = index["name"]
            if name == "_id_":
                continue
            indexes[name] = index
            constraints[name] = self._constraint(name, index["key"], bool(index.get("unique")))
        # The other names of indexes (catalog.py), as Django created them.
        for name, alias in cursor.cursor.connection.catalog.aliases(table_name).items():
            if alias["index"] in indexes:
                constraints[name] = self._constraint(name, indexes[alias["index"]]["key"], alias["unique"])
        # The CHECK constraints, which the collection's validator enforces (catalog.py).
        for name, check in cursor.cursor.connection.catalog.checks(table_name).items():
            constraints[name] = {
                "columns": check["columns"],
                "orders": [],
                "primary_key": False,
                "unique": False,
                "foreign_key": None,
                "check": True,
                "index": False,
                "type": None,
                "definition": None,
                "options": None,
            }
        return constraints

    @staticmethod
    def _constraint(name, key, unique):
        keys = list(key.items())
        return {
            "columns": [field for field, _ in keys],
            "orders": ["DESC" if direction == -1 else "ASC" for _, direction in keys],
            "primary_key": name.endswith("_pk"),
            "unique": unique,
            "foreign_key": None,
            "check": False,
            "index": True,
            "type": "idx",
            "definition": None,
            "options": None,
        }
