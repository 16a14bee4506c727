"""
Indexes (executor/indexes.py): index shapes compared, the decision between
a new index and an alias of one that exists, and the pymongo and catalog
calls of CREATE INDEX, DROP INDEX and a column's indexes, on fakes.
"""
import unittest

from pymongo.errors import OperationFailure

from djongo.exceptions import ProgrammingError
from djongo.executor import run
from djongo.executor.indexes import drop_aliases_of, drop_indexes_on, index_shape, rebuild_renamed, same_index
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import CreateIndex, DropIndex

from .executor_fakes import FakeCollection, FakeConnection, Recorder

ID_INDEX = {"v": 2, "key": {"_id": 1}, "name": "_id_"}
TITLE = {"v": 2, "key": {"title": 1}, "name": "title_idx"}
UNIQUE_TITLE = {**TITLE, "name": "title_uniq", "unique": True}


def alias(name, index, unique=False):
    return {"name": name, "index": index, "unique": unique}


class ShapeTests(unittest.TestCase):

    def test_index_shape(self):
        index = {"key": {"a": 1, "b": -1}, "name": "ab", "unique": True, "partialFilterExpression": {"a": 1}}
        self.assertEqual(index_shape(index), ([("a", 1), ("b", -1)], True, {"a": 1}))
        self.assertEqual(index_shape(TITLE), ([("title", 1)], False, None))

    def test_same_index_has_the_keys_in_order_and_the_filter(self):
        indexes = [ID_INDEX, TITLE]
        self.assertIs(same_index(indexes, [("title", 1)], None, "other"), indexes[1])
        self.assertIsNone(same_index(indexes, [("title", -1)], None, "other"))
        self.assertIsNone(same_index(indexes, [("title", 1)], {"title": {"$type": "string"}}, "other"))
        # Not the index of the name being created, nor one with a collation.
        self.assertIsNone(same_index(indexes, [("title", 1)], None, "title_idx"))
        self.assertIsNone(same_index([{**TITLE, "collation": {"locale": "fr"}}], [("title", 1)], None, "other"))


class CreateIndexTests(unittest.TestCase):

    def create(self, command, indexes=(), params=(), **catalog):
        books = FakeCollection("book", indexes=[ID_INDEX, *indexes])
        connection = FakeConnection({"book": books}, catalog=catalog)
        run(command, params, connection)
        return connection.calls

    def test_a_new_index(self):
        command = CreateIndex("book", keys=(("title", 1),), name="t", unique=True,
                              partial_filter={"title": {"$type": Slot(0)}})
        self.assertEqual(self.create(command, params=(["string"],)), [
            ("book.list_indexes", (), {}),
            ("book.create_index", ([("title", 1)],),
             {"name": "t", "unique": True, "partialFilterExpression": {"title": {"$type": ["string"]}}}),
        ])

    def test_the_id_index_exists_always(self):
        self.assertEqual(self.create(CreateIndex("book", keys=(("_id", 1),), name="pk")), [])

    def test_the_same_index_again_is_kept(self):
        self.assertEqual(self.create(CreateIndex("book", keys=(("title", 1),), name="title_idx"), [TITLE]),
                         [("book.list_indexes", (), {})])

    def test_another_index_of_that_name_is_a_conflict(self):
        with self.assertRaisesRegex(ProgrammingError, "'title_idx' of 'book' already exists"):
            self.create(CreateIndex("book", keys=(("title", 1),), name="title_idx", unique=True), [TITLE])

    def test_a_second_name_of_the_same_keys_is_an_alias(self):
        calls = self.create(CreateIndex("book", keys=(("title", 1),), name="t2"), [TITLE])
        self.assertEqual(calls, [
            ("book.list_indexes", (), {}),
            ("catalog.add_alias", ("book", "t2", "title_idx"), {"unique": False}),
        ])

    def test_a_unique_name_over_a_plain_index_makes_it_unique(self):
        calls = self.create(CreateIndex("book", keys=(("title", 1),), name="t_uniq", unique=True), [TITLE])
        self.assertEqual(calls, [
            ("book.list_indexes", (), {}),
            ("book.drop_index", ("title_idx",), {}),
            ("book.create_index", ([("title", 1)],), {"name": "t_uniq", "unique": True}),
            ("catalog.move_aliases", ("book", "title_idx", "t_uniq"), {}),
            ("catalog.add_alias", ("book", "title_idx", "t_uniq"), {"unique": False}),
        ])

    def test_rows_that_break_the_uniqueness_put_the_index_back(self):
        books = FakeCollection("book", indexes=[TITLE], create_index=[OperationFailure("E11000"), None])
        connection = FakeConnection({"book": books})
        with self.assertRaises(OperationFailure):
            run(CreateIndex("book", keys=(("title", 1),), name="t_uniq", unique=True), (), connection)
        self.assertEqual(connection.calls[1:], [
            ("book.drop_index", ("title_idx",), {}),
            ("book.create_index", ([("title", 1)],), {"name": "t_uniq", "unique": True}),
            ("book.create_index", ([("title", 1)],), {"name": "title_idx"}),
        ])


class DropIndexTests(unittest.TestCase):

    def drop(self, name, aliases, indexes=()):
        books = FakeCollection("book", indexes=[ID_INDEX, *indexes])
        connection = FakeConnection({"book": books}, catalog={"aliases": [aliases]})
        run(DropIndex("book", name=name), (), connection)
        return connection.calls

    def test_an_index_without_aliases(self):
        self.assertEqual(self.drop("title_idx", {}, [TITLE]), [
            ("catalog.aliases", ("book",), {}),
            ("book.drop_index", ("title_idx",), {}),
        ])

    def test_an_alias_only_forgets_the_name(self):
        self.assertEqual(self.drop("t2", {"t2": alias("t2", "title_idx")}, [TITLE]), [
            ("catalog.aliases", ("book",), {}),
            ("catalog.drop_alias", ("book", "t2"), {}),
        ])

    def test_an_index_aliases_stand_for_stays_under_the_first(self):
        aliases = {"t2": alias("t2", "title_uniq"), "t3": alias("t3", "title_uniq", unique=True)}
        self.assertEqual(self.drop("title_uniq", aliases, [UNIQUE_TITLE]), [
            ("catalog.aliases", ("book",), {}),
            ("book.list_indexes", (), {}),
            ("catalog.drop_alias", ("book", "t2"), {}),
            ("book.drop_index", ("title_uniq",), {}),
            ("book.create_index", ([("title", 1)],), {"name": "t2", "unique": True}),
            ("catalog.move_aliases", ("book", "title_uniq", "t2"), {}),
        ])


class ColumnIndexesTests(unittest.TestCase):

    def test_drop_indexes_on_a_field(self):
        ab = {"v": 2, "key": {"a": 1, "b": 1}, "name": "ab"}
        books = FakeCollection("book", indexes=[ID_INDEX, ab, {"v": 2, "key": {"c": 1}, "name": "c"}])
        self.assertEqual(drop_indexes_on(books, "b"), [ab])
        self.assertEqual(books.calls, [("book.list_indexes", (), {}), ("book.drop_index", ("ab",), {})])

    def test_the_aliases_of_dropped_indexes_are_forgotten(self):
        catalog = Recorder("catalog", aliases=[{"x": alias("x", "ab"), "y": alias("y", "c")}])
        drop_aliases_of(catalog, "book", {"ab"})
        self.assertEqual(catalog.calls, [
            ("catalog.aliases", ("book",), {}),
            ("catalog.drop_alias", ("book", "x"), {}),
        ])

    def test_rebuilt_on_the_new_name_with_their_options(self):
        index = {"v": 2, "key": {"a": 1, "b": -1}, "name": "ab", "unique": True,
                 "partialFilterExpression": {"a": {"$type": ["int"]}, "b": {"$type": ["int"]}}}
        books = FakeCollection("book")
        rebuild_renamed(books, [index], "a", "z")
        self.assertEqual(books.calls, [
            ("book.create_index", ([("z", 1), ("b", -1)],), {
                "name": "ab", "unique": True,
                "partialFilterExpression": {"z": {"$type": ["int"]}, "b": {"$type": ["int"]}},
            }),
        ])
