"""
The unique-index keys of ON CONFLICT (executor/conflicts.py): which rows a
unique index refuses, and the filters and reads that find them.
"""
import datetime
import unittest

from djongo.exceptions import NotSupportedError, ProgrammingError
from djongo.executor.conflicts import (
    check_conflict_target, same_key_filter, stored_rows, unconflicting, unique_key,
)

from .executor_fakes import FakeCollection

UNIQUE_CODE = {"v": 2, "key": {"code": 1}, "name": "code_uniq", "unique": True}
# The schema editor's form of a unique constraint over a nullable column:
# its partial filter keeps the NULLs out.
UNIQUE_EMAIL_NOT_NULL = {
    "v": 2, "key": {"email": 1}, "name": "email_uniq", "unique": True,
    "partialFilterExpression": {"email": {"$type": ["string"]}},
}


class UniqueKeyTests(unittest.TestCase):

    def test_equal_bson_values_have_equal_keys(self):
        self.assertEqual(unique_key({"a": 1, "b": "x"}, ("a", "b")), unique_key({"a": 1.0, "b": "x"}, ("a", "b")))
        self.assertNotEqual(unique_key({"a": 1}, ("a",)), unique_key({"a": True}, ("a",)))

    def test_a_datetime_compares_as_stored_to_the_millisecond(self):
        written = {"at": datetime.datetime(2024, 1, 1, 12, 0, 0, 123456)}
        stored = {"at": datetime.datetime(2024, 1, 1, 12, 0, 0, 123000)}
        self.assertEqual(unique_key(written, ("at",)), unique_key(stored, ("at",)))

    def test_a_missing_field_is_null(self):
        self.assertEqual(unique_key({}, ("a",)), unique_key({"a": None}, ("a",)))


class SameKeyFilterTests(unittest.TestCase):

    def test_values_nulls_and_documents(self):
        self.assertEqual(same_key_filter({"a": 1, "c": {"x": 1}}, ("a", "b", "c")),
                         {"a": 1, "b": None, "c": {"$eq": {"x": 1}}})


class UnconflictingTests(unittest.TestCase):

    def test_rows_refused_by_a_stored_row_or_an_earlier_one_are_left_out(self):
        books = FakeCollection("book", indexes=[{"v": 2, "key": {"_id": 1}, "name": "_id_"}, UNIQUE_CODE],
                               find=[[{"_id": "x", "code": "b"}]])
        rows = [{"code": "a"}, {"code": "b"}, {"code": "c"}, {"code": "a"}]
        self.assertEqual(unconflicting(books, rows, "s"), [{"code": "a"}, {"code": "c"}])
        self.assertEqual(books.calls, [
            ("book.list_indexes", (), {}),
            ("book.find", ({"$or": [{"code": "a"}, {"code": "b"}, {"code": "c"}, {"code": "a"}]}, {"code": 1}),
             {"session": "s"}),
        ])

    def test_a_nullable_unique_column_lets_nulls_repeat(self):
        users = FakeCollection("user", indexes=[UNIQUE_EMAIL_NOT_NULL], find=[[]])
        rows = [{"email": None}, {"email": None}, {"email": "a"}, {"email": "a"}]
        self.assertEqual(unconflicting(users, rows), rows[:3])
        # Only the row whose email is not NULL is looked for.
        self.assertEqual(users.calls[1][1][0], {"$or": [{"email": "a"}, {"email": "a"}]})

    def test_without_unique_indexes_no_query(self):
        books = FakeCollection("book", indexes=[{"v": 2, "key": {"_id": 1}, "name": "_id_"}])
        rows = [{"code": "a"}]
        self.assertIs(unconflicting(books, rows), rows)
        self.assertEqual(books.calls, [("book.list_indexes", (), {})])

    def test_an_index_with_another_condition_is_refused(self):
        index = {**UNIQUE_CODE, "partialFilterExpression": {"pages": {"$gt": 10}}}
        with self.assertRaisesRegex(NotSupportedError, "code_uniq has a condition"):
            unconflicting(FakeCollection("book", indexes=[index]), [{"code": "a"}])


class ConflictTargetTests(unittest.TestCase):

    def test_a_unique_index_on_exactly_the_keys(self):
        books = FakeCollection("book", indexes=[{"key": {"a": 1, "b": 1}, "name": "ab", "unique": True}])
        check_conflict_target(books, ("b", "a"))
        with self.assertRaisesRegex(ProgrammingError, r"ON CONFLICT \(a\) matches no unique index of book"):
            check_conflict_target(books, ("a",))

    def test_a_plain_index_is_no_target(self):
        books = FakeCollection("book", indexes=[{"key": {"a": 1}, "name": "a"}])
        with self.assertRaises(ProgrammingError):
            check_conflict_target(books, ("a",))


class StoredRowsTests(unittest.TestCase):

    def test_the_returning_rows_of_updated_documents_in_one_query(self):
        first, second = {"code": "a", "n": 1}, {"code": 2, "n": 2}
        books = FakeCollection("book", find=[[{"code": 2.0, "id": 8}, {"code": "a", "id": 7}]])
        rows = stored_rows(books, [first, second], ("code",), ("id",), None)
        self.assertEqual(rows, {id(first): (7,), id(second): (8,)})
        self.assertEqual(books.calls, [
            ("book.find", ({"$or": [{"code": "a"}, {"code": 2}]}, {"code": 1, "id": 1}), {"session": None}),
        ])

    def test_no_documents_no_query(self):
        books = FakeCollection("book")
        self.assertEqual(stored_rows(books, [], ("code",), ("id",), None), {})
        self.assertEqual(books.calls, [])
