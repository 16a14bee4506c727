"""Combining and ordering rows of compound SELECTs (sql2mongo/rowsets.py)."""
import datetime
import decimal
import unittest

from bson.decimal128 import Decimal128
from bson.objectid import ObjectId

from djongo.sql2mongo.rowsets import combine, order, row_key


class CombineTests(unittest.TestCase):

    def test_union_removes_duplicates_across_and_within_operands(self):
        self.assertEqual(combine("UNION", False, [[(1,), (1,), (2,)], [(2,), (3,)]]), [(1,), (2,), (3,)])

    def test_union_all_keeps_every_row(self):
        self.assertEqual(combine("UNION", True, [[(1,), (1,)], [(1,)]]), [(1,), (1,), (1,)])

    def test_intersect(self):
        self.assertEqual(combine("INTERSECT", False, [[(1,), (2,), (2,), (3,)], [(2,), (3,), (4,)]]), [(2,), (3,)])
        self.assertEqual(combine("INTERSECT", True, [[(2,), (2,), (2,)], [(2,), (2,)]]), [(2,), (2,)])

    def test_except(self):
        self.assertEqual(combine("EXCEPT", False, [[(1,), (1,), (2,), (3,)], [(2,)]]), [(1,), (3,)])
        self.assertEqual(combine("EXCEPT", True, [[(1,), (1,), (2,)], [(1,)]]), [(1,), (2,)])

    def test_operators_apply_left_to_right(self):
        self.assertEqual(combine("EXCEPT", False, [[(1,), (2,), (3,)], [(1,)], [(3,)]]), [(2,)])

    def test_nulls_are_equal_to_each_other(self):
        # SQL's set operators treat NULLs as duplicates, unlike its "=".
        self.assertEqual(combine("UNION", False, [[(None, 1)], [(None, 1)]]), [(None, 1)])
        self.assertEqual(combine("INTERSECT", False, [[(None,)], [(None,)]]), [(None,)])

    def test_numbers_equal_across_types_but_not_booleans(self):
        self.assertEqual(row_key((1,)), row_key((1.0,)))
        self.assertEqual(row_key((Decimal128("1.50"),)), row_key((1.5,)))
        self.assertNotEqual(row_key((True,)), row_key((1,)))

    def test_documents_and_arrays_are_compared_by_value(self):
        self.assertEqual(combine("UNION", False, [[({"a": [1, 2]},)], [({"a": [1, 2]},)]]), [({"a": [1, 2]},)])


class OrderTests(unittest.TestCase):

    def test_mongodb_type_order(self):
        # null, numbers, strings, documents, arrays, binary, ObjectId, booleans, dates.
        values = [
            datetime.datetime(2020, 1, 1), True, ObjectId("0" * 24), b"x", [1], {"a": 1}, "a", 2, None,
            decimal.Decimal("1.5"),
        ]
        rows = order([(value,) for value in values], [(0, False, None)])
        self.assertEqual([row[0] for row in rows], [
            None, decimal.Decimal("1.5"), 2, "a", {"a": 1}, [1], b"x", ObjectId("0" * 24), True,
            datetime.datetime(2020, 1, 1),
        ])

    def test_strings_by_code_point(self):
        # MongoDB compares strings bytewise (UTF-8) without a collation.
        rows = order([("b",), ("B",), ("a",), ("é",)], [(0, False, None)])
        self.assertEqual([row[0] for row in rows], ["B", "a", "b", "é"])

    def test_several_keys_each_with_its_direction(self):
        rows = [(1, "a"), (2, "b"), (1, "c"), (2, "a")]
        self.assertEqual(order(rows, [(0, True, None), (1, False, None)]), [(2, "a"), (2, "b"), (1, "a"), (1, "c")])

    def test_nulls_default_lowest_and_explicit_placement(self):
        rows = [(2,), (None,), (1,)]
        self.assertEqual(order(list(rows), [(0, False, None)]), [(None,), (1,), (2,)])
        self.assertEqual(order(list(rows), [(0, True, None)]), [(2,), (1,), (None,)])
        self.assertEqual(order(list(rows), [(0, False, "LAST")]), [(1,), (2,), (None,)])
        self.assertEqual(order(list(rows), [(0, True, "FIRST")]), [(None,), (2,), (1,)])

    def test_nan_sorts_below_every_number(self):
        rows = order([(1,), (float("nan"),), (-5,)], [(0, False, None)])
        self.assertEqual(rows[1:], [(-5,), (1,)])

    def test_equal_keys_keep_their_order(self):
        rows = [(1, "x"), (1, "y"), (0, "z")]
        self.assertEqual(order(rows, [(0, True, None)]), [(1, "x"), (1, "y"), (0, "z")])
