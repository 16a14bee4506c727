"""
INSERT (executor/inserts.py): ids from the table's counter, the pymongo
calls of an insert and of ON CONFLICT, and what a failure leaves behind,
checked on fake collections and sequences.
"""
import unittest

from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from djongo.catalog import MIGRATIONS_TABLE
from djongo.exceptions import IntegrityError, ProgrammingError
from djongo.executor import run
from djongo.executor.inserts import _NUMBERING_ATTEMPTS, _assign_ids
from djongo.sql2mongo.binding import DEFAULT, Slot
from djongo.sql2mongo.commands import InsertMany

from .executor_fakes import FakeCollection, FakeConnection, Recorder

UNIQUE_CODE = {"v": 2, "key": {"code": 1}, "name": "code_uniq", "unique": True}


def insert(table, fields, rows, **options):
    """Return the InsertMany of ``rows`` as Django writes it: every value the next parameter."""
    width = len(fields)
    slots = tuple(tuple(Slot(row * width + column) for column in range(width)) for row in range(rows))
    return InsertMany(table, fields=fields, rows=slots, **options)


def duplicate(index, code=11000, inserted=0):
    return BulkWriteError({"writeErrors": [{"index": index, "code": code, "errmsg": "E11000"}], "nInserted": inserted})


class AssignIdsTests(unittest.TestCase):

    def test_each_document_gets_the_next_id(self):
        sequences = Recorder("sequences", next_ids=[[5, 6]])
        documents = [{"name": "a"}, {"name": "b"}]
        _assign_ids(documents, "id", sequences, "book")
        self.assertEqual(documents, [{"name": "a", "id": 5}, {"name": "b", "id": 6}])
        self.assertEqual(sequences.calls, [("sequences.next_ids", ("book", 2), {})])


class InsertTests(unittest.TestCase):

    def connection(self, collection, next_ids=((1,),), **sequences):
        return FakeConnection({collection.name: collection},
                              sequences={"auto_field": ["id"], "next_ids": list(next_ids), **sequences})

    def test_one_row_is_numbered_and_inserted_with_insert_one(self):
        books = FakeCollection("book")
        connection = self.connection(books, next_ids=[[41]])
        result = run(insert("book", ("title",), 1, returning=("id",)), ("a",), connection)
        self.assertEqual((list(result.rows), result.rowcount, result.lastrowid), ([(41,)], 1, 41))
        self.assertEqual(connection.calls, [
            ("sequences.auto_field", ("book",), {}),
            ("sequences.next_ids", ("book", 1), {}),
            ("book.insert_one", ({"title": "a", "id": 41},), {"session": None}),
        ])

    def test_rows_with_their_own_ids_move_the_counter_past_them(self):
        books = FakeCollection("book")
        connection = self.connection(books, next_ids=[[10]], skip_past=[False])
        result = run(insert("book", ("id", "title"), 3), (7, "a", None, "b", 3, "c"), connection)
        self.assertEqual(result.lastrowid, 3)
        self.assertEqual(connection.calls, [
            ("sequences.auto_field", ("book",), {}),
            ("sequences.skip_past", ("book", 7), {}),
            ("sequences.advance_to", ("book", 7), {}),
            ("sequences.next_ids", ("book", 1), {}),
            ("book.insert_many", ([{"id": 7, "title": "a"}, {"id": 10, "title": "b"}, {"id": 3, "title": "c"}],),
             {"ordered": True, "session": None}),
        ])

    def test_default_values_are_left_out(self):
        books = FakeCollection("book")
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        command = InsertMany("book", fields=("title", "pages"), rows=((Slot(0), DEFAULT),))
        run(command, ("a",), connection)
        self.assertEqual(connection.calls_to("book"), [("book.insert_one", ({"title": "a"},), {"session": None})])

    def test_an_unmigrated_table_has_no_counter(self):
        connection = FakeConnection(sequences={"auto_field": [None]})
        with self.assertRaisesRegex(ProgrammingError, "no such table: book"):
            run(insert("book", ("title",), 1, returning=("id",)), ("a",), connection)

    def test_an_id_taken_by_another_process_is_replaced(self):
        # The counter was reset elsewhere: id 5 is stored already.
        books = FakeCollection("book", insert_one=[DuplicateKeyError("E11000", 11000), None],
                               find_one=[{"_id": "x"}])
        connection = self.connection(books, next_ids=[[5], [90]])
        result = run(insert("book", ("title",), 1), ("a",), connection)
        self.assertEqual(result.lastrowid, 90)
        self.assertEqual(connection.calls[2:], [
            ("book.insert_one", ({"title": "a", "id": 90},), {"session": None}),  # the same dict, renumbered
            ("book.find_one", ({"id": 5}, {"_id": 1}), {}),
            ("sequences.discard", ("book",), {}),
            ("sequences.next_ids", ("book", 1), {}),
            ("book.insert_one", ({"title": "a", "id": 90},), {"session": None}),
        ])

    def test_in_a_transaction_a_taken_id_fails_the_statement(self):
        books = FakeCollection("book", insert_one=[DuplicateKeyError("E11000", 11000)], find_one=[{"_id": "x"}])
        connection = FakeConnection({"book": books}, sequences={"auto_field": ["id"], "next_ids": [[5]]},
                                    session="s")
        with self.assertRaisesRegex(IntegrityError, "id 5 of book is taken"):
            run(insert("book", ("title",), 1), ("a",), connection)

    def test_another_duplicate_key_is_raised_as_it_is(self):
        # No stored document has the id given: another unique index refused the row.
        books = FakeCollection("book", insert_one=[DuplicateKeyError("E11000", 11000)], find_one=[None])
        with self.assertRaises(DuplicateKeyError):
            run(insert("book", ("title",), 1), ("a",), self.connection(books))

    def test_a_failed_insert_many_leaves_no_rows_behind(self):
        books = FakeCollection("book", insert_many=[duplicate(1, inserted=1)], find_one=[None])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        with self.assertRaises(BulkWriteError):
            run(insert("book", ("_id", "code"), 2), ("i1", "a", "i2", "a"), connection)
        self.assertEqual(connection.calls_to("book")[-1], ("book.delete_many", ({"_id": {"$in": ["i1"]}},), {}))

    def test_a_recorded_migration_is_reported_to_the_catalog(self):
        migrations = FakeCollection(MIGRATIONS_TABLE)
        connection = FakeConnection({MIGRATIONS_TABLE: migrations}, sequences={"auto_field": ["id"], "next_ids": [[1]]})
        run(insert(MIGRATIONS_TABLE, ("app",), 1), ("a",), connection)
        self.assertEqual(connection.calls_to("catalog"), [("catalog.migration_recorded", (), {})])


class SkipConflictsTests(unittest.TestCase):

    def test_an_unordered_insert_goes_past_duplicates(self):
        books = FakeCollection("book", insert_many=[duplicate(1)])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        result = run(insert("book", ("code",), 3, skip_conflicts=True), ("a", "b", "c"), connection)
        self.assertEqual(result.rowcount, 2)
        self.assertEqual(connection.calls_to("book"), [
            ("book.insert_many", ([{"code": "a"}, {"code": "b"}, {"code": "c"}],), {"ordered": False}),
        ])

    def test_rows_refused_for_a_stale_id_are_numbered_again(self):
        books = FakeCollection("book", insert_many=[duplicate(0), None], find=[[{"id": 1}]])
        connection = FakeConnection({"book": books}, sequences={"auto_field": ["id"], "next_ids": [[1, 2], [3]]})
        result = run(insert("book", ("code",), 2, skip_conflicts=True), ("a", "b"), connection)
        self.assertEqual(result.rowcount, 2)
        self.assertEqual(connection.calls[2:], [
            ("book.insert_many", ([{"code": "a", "id": 3}, {"code": "b", "id": 2}],), {"ordered": False}),
            ("book.find", ({"id": {"$in": [1]}}, {"id": 1}), {}),
            ("sequences.discard", ("book",), {}),
            ("sequences.next_ids", ("book", 1), {}),
            ("book.insert_many", ([{"code": "a", "id": 3}],), {"ordered": False}),
        ])

    def test_an_error_other_than_a_conflict_deletes_the_rows_inserted(self):
        books = FakeCollection("book", insert_many=[BulkWriteError({"writeErrors": [
            {"index": 1, "code": 11000}, {"index": 2, "code": 121},
        ]})])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        with self.assertRaises(BulkWriteError):
            run(insert("book", ("_id",), 3, skip_conflicts=True), ("i1", "i2", "i3"), connection)
        self.assertEqual(connection.calls_to("book")[-1], ("book.delete_many", ({"_id": {"$in": ["i1"]}},), {}))

    def test_ids_taken_attempt_after_attempt_fail_the_statement(self):
        books = FakeCollection("book", insert_many=[duplicate(0)], find=[[{"id": 1}]])
        connection = FakeConnection({"book": books}, sequences={"auto_field": ["id"], "next_ids": [[1]]})
        with self.assertRaisesRegex(IntegrityError, "ids of book are taken"):
            run(insert("book", ("code",), 1, skip_conflicts=True), ("a",), connection)
        self.assertEqual(len(connection.calls_to("book")), 2 * _NUMBERING_ATTEMPTS)

    def test_in_a_transaction_the_conflicting_rows_are_left_out_first(self):
        books = FakeCollection("book", indexes=[UNIQUE_CODE], find=[[{"code": "b"}]])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]}, session="s")
        result = run(insert("book", ("code",), 2, skip_conflicts=True), ("a", "b"), connection)
        self.assertEqual(result.rowcount, 1)
        self.assertEqual(connection.calls_to("book")[-1], ("book.insert_one", ({"code": "a"},), {"session": "s"}))


class UpsertTests(unittest.TestCase):

    def command(self, rows, **options):
        return insert("book", ("code", "title"), rows, upsert_keys=("code",), upsert_updates=(("title", "title"),),
                      **options)

    def test_each_row_is_an_upsert_and_a_null_key_an_insert(self):
        books = FakeCollection("book", indexes=[UNIQUE_CODE])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        result = run(self.command(2), ("a", "A", None, "N"), connection)
        self.assertEqual(result.rowcount, 2)
        self.assertEqual(connection.calls_to("book"), [
            ("book.list_indexes", (), {}),
            ("book.bulk_write", ([
                UpdateOne({"code": "a"}, {"$set": {"title": "A"}, "$setOnInsert": {"code": "a"}}, upsert=True),
                InsertOne({"code": None, "title": "N"}),
            ],), {"ordered": True, "session": None}),
        ])

    def test_returning_reads_the_rows_updated(self):
        written = type("Written", (), {"upserted_ids": {1: "new"}, "matched_count": 1})()
        books = FakeCollection("book", indexes=[UNIQUE_CODE], bulk_write=[written],
                               find=[[{"code": "a", "id": 7}]])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        result = run(self.command(2, returning=("code",)), ("a", "A", "b", "B"), connection)
        self.assertEqual(list(result.rows), [("a",), ("b",)])
        self.assertEqual(connection.calls_to("book")[-1], ("book.find", ({"$or": [{"code": "a"}]}, {"code": 1}), {"session": None}))

    def test_a_failed_upsert_deletes_the_rows_it_added(self):
        failure = BulkWriteError({"writeErrors": [{"index": 2, "code": 121}], "upserted": [{"index": 0}]})
        books = FakeCollection("book", indexes=[UNIQUE_CODE], bulk_write=[failure])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        command = insert("book", ("_id", "code"), 3, upsert_keys=("code",))
        with self.assertRaises(BulkWriteError):
            run(command, ("i1", "a", "i2", None, "i3", "c"), connection)
        self.assertEqual(connection.calls_to("book")[-1], ("book.delete_many", ({"_id": {"$in": ["i1", "i2"]}},), {}))

    def test_a_conflict_target_without_a_unique_index_is_refused(self):
        books = FakeCollection("book", indexes=[])
        connection = FakeConnection({"book": books}, sequences={"auto_field": [None]})
        with self.assertRaises(ProgrammingError):
            run(self.command(1), ("a", "A"), connection)
        self.assertEqual(connection.calls_to("book"), [("book.list_indexes", (), {})])
