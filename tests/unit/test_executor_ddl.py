"""
Tables and columns (executor/ddl.py): the pymongo, catalog and counter
calls of CREATE, DROP and RENAME of tables and columns, on fakes.
"""
import unittest

from pymongo.errors import CollectionInvalid

from djongo.exceptions import NotSupportedError, ProgrammingError
from djongo.executor import run
from djongo.sql2mongo.commands import (
    CreateCollection, CreateSequence, DropCollection, DropField, NoOp, RenameCollection, RenameField,
)

from .executor_fakes import FakeCollection, FakeConnection

VALIDATOR = {"$nor": [{"pages": {"$lt": 0}}]}


class CollectionTests(unittest.TestCase):

    def test_create(self):
        connection = FakeConnection()
        run(CreateCollection("book"), (), connection)
        self.assertEqual(connection.calls, [
            ("database.create_collection", ("book",), {}),
            ("catalog.created", ("book",), {}),
            ("sequences.forget", ("book",), {}),
        ])

    def test_create_with_the_validator_of_its_checks(self):
        connection = FakeConnection()
        run(CreateCollection("book", validator=VALIDATOR), (), connection)
        self.assertEqual(connection.calls[0], ("database.create_collection", ("book",), {
            "validator": VALIDATOR, "validationLevel": "strict", "validationAction": "error",
        }))

    def test_a_validator_the_server_would_not_apply_is_refused(self):
        connection = FakeConnection()
        connection.supports_validators = False
        with self.assertRaises(NotSupportedError):
            run(CreateCollection("book", validator=VALIDATOR), (), connection)
        self.assertEqual(connection.calls, [])

    def test_a_collection_that_exists(self):
        connection = FakeConnection(database={"create_collection": [CollectionInvalid("exists")]})
        with self.assertRaisesRegex(ProgrammingError, "table 'book' already exists"):
            run(CreateCollection("book"), (), connection)
        # CREATE TABLE IF NOT EXISTS keeps it.
        with self.assertLogs("djongo", "INFO"):
            run(CreateCollection("book", if_absent=True), (), connection)
        self.assertEqual(connection.calls[-2:], [
            ("catalog.created", ("book",), {}),
            ("sequences.forget", ("book",), {}),
        ])

    def test_drop_and_rename(self):
        connection = FakeConnection({"book": FakeCollection("book")})
        run(RenameCollection("book", new="novel"), (), connection)
        run(DropCollection("novel"), (), connection)
        self.assertEqual(connection.calls, [
            ("book.rename", ("novel",), {}),
            ("sequences.rename_table", ("book", "novel"), {}),
            ("catalog.rename_table", ("book", "novel"), {}),
            ("database.drop_collection", ("novel",), {}),
            ("sequences.drop", ("novel",), {}),
            ("catalog.drop", ("novel",), {}),
        ])

    def test_create_sequence(self):
        connection = FakeConnection()
        run(CreateSequence("book", field_name="number"), (), connection)
        self.assertEqual(connection.calls, [("sequences.create", ("book", "number"), {})])

    def test_no_op(self):
        connection = FakeConnection()
        with self.assertLogs("djongo", "DEBUG") as logs:
            run(NoOp("book", reason="MongoDB has no column types"), (), connection)
        self.assertEqual(connection.calls, [])
        self.assertIn("no-op on book: MongoDB has no column types", logs.output[0])


class FieldTests(unittest.TestCase):

    INDEXES = [
        {"v": 2, "key": {"_id": 1}, "name": "_id_"},
        {"v": 2, "key": {"pages": 1, "title": 1}, "name": "pages_title"},
        {"v": 2, "key": {"title": 1}, "name": "title"},
    ]

    def test_drop_field_with_its_indexes_aliases_and_checks(self):
        books = FakeCollection("book", indexes=self.INDEXES)
        aliases = {"pt2": {"name": "pt2", "index": "pages_title", "unique": False},
                   "t2": {"name": "t2", "index": "title", "unique": False}}
        connection = FakeConnection({"book": books}, catalog={"aliases": [aliases], "checks": [{}]})
        run(DropField("book", field="pages"), (), connection)
        self.assertEqual(connection.calls, [
            ("book.list_indexes", (), {}),
            ("book.drop_index", ("pages_title",), {}),
            ("catalog.aliases", ("book",), {}),
            ("catalog.drop_alias", ("book", "pt2"), {}),
            ("catalog.checks", ("book",), {}),
            ("book.update_many", ({}, {"$unset": {"pages": ""}}), {}),
            ("catalog.drop_column", ("book", "pages"), {}),
        ])

    def test_rename_field_rebuilds_its_indexes(self):
        books = FakeCollection("book", indexes=self.INDEXES)
        connection = FakeConnection({"book": books}, catalog={"checks": [{}]})
        run(RenameField("book", old="pages", new="count"), (), connection)
        self.assertEqual(connection.calls, [
            ("book.list_indexes", (), {}),
            ("book.drop_index", ("pages_title",), {}),
            ("catalog.checks", ("book",), {}),
            ("book.update_many", ({"pages": {"$exists": True}}, {"$rename": {"pages": "count"}}), {}),
            ("book.create_index", ([("count", 1), ("title", 1)],), {"name": "pages_title"}),
            ("sequences.rename_field", ("book", "pages", "count"), {}),
            ("catalog.rename_column", ("book", "pages", "count"), {}),
        ])
