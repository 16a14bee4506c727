"""Pure logic behind inspectdb's sampling and DjongoManager's method table (no server)."""
import datetime
import decimal
import unittest
import uuid

from bson import Binary, Decimal128, Int64, ObjectId, Regex

from djongo.introspection import MIXED, describe_documents, field_type_of
from djongo.models.manager import COLLECTION_METHODS


class FieldTypeOfTests(unittest.TestCase):

    def test_bson_values(self):
        for value, expected in [
            (None, None),
            (True, "BooleanField"),
            (7, "IntegerField"),
            (2**31, "BigIntegerField"),
            (Int64(7), "BigIntegerField"),
            (1.5, "FloatField"),
            ("text", "TextField"),
            (datetime.datetime(2024, 1, 2), "DateTimeField"),
            (Decimal128("1.25"), "DecimalField"),
            (decimal.Decimal("1.25"), "DecimalField"),
            (uuid.uuid4(), "UUIDField"),
            (b"\x00", "BinaryField"),
            (Binary(b"\x00", 128), "BinaryField"),
            (ObjectId(), "ObjectIdField"),
            ({"city": "Oslo"}, "JSONField"),
            ([1, 2], "JSONField"),
            (Regex("^a"), MIXED),
        ]:
            with self.subTest(value=value):
                self.assertEqual(field_type_of(value), expected)


class DescribeDocumentsTests(unittest.TestCase):

    def describe(self, documents, **kwargs):
        return {info.name: info for info in describe_documents(documents, **kwargs)}

    def test_primary_key_first_then_document_order(self):
        documents = [{"b": 1, "_id": ObjectId(), "a": "x"}, {"_id": ObjectId(), "c": True}]
        names = [info.name for info in describe_documents(documents, primary_key="_id")]
        self.assertEqual(names, ["_id", "b", "a", "c"])

    def test_missing_or_null_means_nullable(self):
        fields = self.describe([{"_id": 1, "a": 1, "b": None, "c": 1}, {"_id": 2, "a": 2, "b": 2}], primary_key="_id")
        self.assertEqual(
            {name: info.null_ok for name, info in fields.items()},
            {"_id": False, "a": False, "b": True, "c": True},
        )

    def test_numbers_widen_other_mixtures_are_guesses(self):
        fields = self.describe([
            {"i": 1, "f": 1, "big": 1, "m": 1, "n": None},
            {"i": 2, "f": 2.5, "big": Int64(2), "m": "one", "n": None},
        ])
        self.assertEqual(
            {name: info.type_code for name, info in fields.items()},
            {"i": "IntegerField", "f": "FloatField", "big": "BigIntegerField", "m": MIXED, "n": MIXED},
        )

    def test_decimal_digits_cover_every_sample(self):
        fields = self.describe([{"d": Decimal128("12.5")}, {"d": Decimal128("1234.125")}, {"d": Decimal128("NaN")}])
        self.assertEqual((fields["d"].precision, fields["d"].scale), (7, 3))

    def test_object_ids_besides_the_primary_key_are_generic(self):
        fields = self.describe([{"_id": ObjectId(), "owner": ObjectId()}], primary_key="_id")
        self.assertEqual(
            (fields["_id"].type_code, fields["owner"].type_code), ("ObjectIdField", "GenericObjectIdField"),
        )

    def test_skipped_fields(self):
        self.assertEqual(list(self.describe([{"_id": ObjectId(), "id": 1}], primary_key="id", skip={"_id"})), ["id"])


class CollectionMethodsTests(unittest.TestCase):

    def test_public_methods_only(self):
        for name in ("aggregate", "find", "find_one", "insert_one", "insert_many", "update_one", "update_many",
                     "delete_one", "delete_many", "count_documents", "distinct", "create_index", "bulk_write"):
            self.assertIn(name, COLLECTION_METHODS)
        # Properties and dunder methods are not calls on the collection.
        for name in ("name", "database", "full_name", "__init__", "_command"):
            self.assertNotIn(name, COLLECTION_METHODS)
