"""
DELETE (executor/deletes.py): the pymongo calls of a delete and of the ON
DELETE actions djongo applies to the rows referencing the deleted ones,
checked on fake collections.
"""
import unittest

from djongo.executor import deletes, run
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import DeleteMany, OnDelete

from .executor_fakes import FakeCollection, FakeConnection


class DeleteTests(unittest.TestCase):

    def test_a_plain_delete(self):
        connection = FakeConnection({"book": FakeCollection("book", delete_many=[2])})
        self.assertEqual(run(DeleteMany("book", filter={"a": Slot(0)}), (1,), connection).rowcount, 2)
        self.assertEqual(connection.calls, [("book.delete_many", ({"a": 1},), {"session": None})])

    def test_an_id_pipeline_finds_the_rows_first(self):
        connection = FakeConnection({"book": FakeCollection("book", aggregate=[[{"_id": 4}]])})
        run(DeleteMany("book", id_pipeline=[{"$match": {}}]), (), connection)
        self.assertEqual(connection.calls[-1], ("book.delete_many", ({"_id": {"$in": [4]}},), {"session": None}))


class OnDeleteTests(unittest.TestCase):

    def test_set_null_and_set_default(self):
        authors = FakeCollection("author", find=[[{"_id": "a1", "id": 1}, {"_id": "a2", "id": 2}]], delete_many=[2])
        connection = FakeConnection({"author": authors}, session="s")
        on_delete = {"author": (
            OnDelete("book", "author_id", "id", "SET NULL"),
            OnDelete("review", "author_id", "id", "SET DEFAULT", default=0),
        )}
        result = run(DeleteMany("author", filter={"old": True}, on_delete=on_delete), (), connection)
        self.assertEqual(result.rowcount, 2)
        self.assertEqual(connection.calls, [
            ("author.find", ({"old": True}, {"_id": 1, "id": 1}), {"session": "s"}),
            ("author.delete_many", ({"_id": {"$in": ["a1", "a2"]}},), {"session": "s"}),
            ("book.update_many", ({"author_id": {"$in": [1, 2]}}, {"$set": {"author_id": None}}), {"session": "s"}),
            ("review.update_many", ({"author_id": {"$in": [1, 2]}}, {"$set": {"author_id": 0}}), {"session": "s"}),
        ])

    def test_a_cascade_through_two_tables(self):
        authors = FakeCollection("author", find=[[{"_id": "a1", "id": 1}, {"_id": "a2", "id": None}]])
        books = FakeCollection("book", find=[[{"_id": "b1", "id": 10}]])
        connection = FakeConnection({"author": authors, "book": books})
        on_delete = {
            "author": (OnDelete("book", "author_id", "id", "CASCADE"),),
            "book": (OnDelete("review", "book_id", "id", "CASCADE"),),
        }
        run(DeleteMany("author", on_delete=on_delete), (), connection)
        self.assertEqual(connection.calls, [
            ("author.find", ({}, {"_id": 1, "id": 1}), {"session": None}),
            ("author.delete_many", ({"_id": {"$in": ["a1", "a2"]}},), {"session": None}),
            # NULL references nothing: only key 1 is looked for.
            ("book.find", ({"author_id": {"$in": [1]}}, {"_id": 1, "id": 1}), {"session": None}),
            ("book.delete_many", ({"_id": {"$in": ["b1"]}},), {"session": None}),
            ("review.delete_many", ({"book_id": {"$in": [10]}},), {"session": None}),
        ])

    def test_keys_are_sent_in_batches(self):
        authors = FakeCollection("author", find=[[{"_id": n, "id": n} for n in range(3)]])
        connection = FakeConnection({"author": authors})
        on_delete = {"author": (OnDelete("book", "author_id", "id", "CASCADE"),)}
        original = deletes.KEYS_PER_QUERY
        deletes.KEYS_PER_QUERY = 2
        try:
            run(DeleteMany("author", on_delete=on_delete), (), connection)
        finally:
            deletes.KEYS_PER_QUERY = original
        self.assertEqual([call[:2] for call in connection.calls[1:]], [
            ("author.delete_many", ({"_id": {"$in": [0, 1]}},)),
            ("author.delete_many", ({"_id": {"$in": [2]}},)),
            ("book.delete_many", ({"author_id": {"$in": [0, 1]}},)),
            ("book.delete_many", ({"author_id": {"$in": [2]}},)),
        ])
