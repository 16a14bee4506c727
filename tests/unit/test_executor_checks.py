"""
CHECK constraints (executor/checks.py): the validator set from the
recorded constraints, the constraints that follow a column dropped or
renamed, and the calls of ADD and DROP CONSTRAINT, on fakes.
"""
import unittest

from djongo.exceptions import IntegrityError, NotSupportedError, ProgrammingError
from djongo.executor import run
from djongo.executor.checks import _renamed, drop_column_checks, rename_column_checks, set_validator
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import AddChecks, DropCheck

from .executor_fakes import FakeCollection, FakeConnection

PAGES = {"columns": ["pages"], "violation": {"pages": {"$lt": 0}}}
RANGE = {"columns": ["low", "high"], "violation": {"$expr": {"$gt": ["$low", "$high"]}}}


def listed(table, validator=None):
    """Return listCollections' answer for ``table`` with ``validator``."""
    options = {} if validator is None else {"validator": validator}
    return {"cursor": {"firstBatch": [{"name": table, "options": options}]}}


def coll_mod(table, validator):
    return ("database.command", ("collMod", table),
            {"validator": validator, "validationLevel": "strict", "validationAction": "error"})


class RenamedTests(unittest.TestCase):

    def test_keys_and_expression_paths(self):
        item = {"a": {"$lt": 0}, "a.b": 1, "ab": 2, "$expr": {"$gt": ["$a", "$a.c", "$ab", "a"]}}
        self.assertEqual(_renamed(item, "a", "z"), {
            "z": {"$lt": 0}, "z.b": 1, "ab": 2, "$expr": {"$gt": ["$z", "$z.c", "$ab", "a"]},
        })


class SetValidatorTests(unittest.TestCase):

    def test_the_validator_of_the_recorded_checks(self):
        connection = FakeConnection(catalog={"checks": [{"pages": PAGES}]}, database={"command": [listed("book")]})
        set_validator(connection, "book")
        self.assertEqual(connection.calls_to("database"), [
            ("database.command", ("listCollections",), {"filter": {"name": "book"}, "nameOnly": False}),
            coll_mod("book", {"$nor": [{"pages": {"$lt": 0}}]}),
        ])

    def test_a_validator_in_place_is_left_alone(self):
        answer = listed("book", {"$nor": [{"pages": {"$lt": 0}}]})
        # Some servers list every collection whatever the filter.
        answer["cursor"]["firstBatch"].append({"name": "other", "options": {}})
        connection = FakeConnection(catalog={"checks": [{"pages": PAGES}]}, database={"command": [answer]})
        set_validator(connection, "book")
        self.assertEqual(len(connection.calls_to("database")), 1)

    def test_no_checks_an_empty_validator(self):
        connection = FakeConnection(catalog={"checks": [{}]}, database={"command": [listed("book", {"a": 1})]})
        set_validator(connection, "book")
        self.assertEqual(connection.calls_to("database")[-1], coll_mod("book", {}))


class ColumnChecksTests(unittest.TestCase):

    def test_the_checks_reading_a_dropped_column_go(self):
        connection = FakeConnection(catalog={"checks": [{"pages": PAGES, "range": RANGE}, {"range": RANGE}]},
                                    database={"command": [listed("book")]})
        drop_column_checks(connection, "book", "pages")
        self.assertEqual(connection.calls_to("catalog")[:2], [
            ("catalog.checks", ("book",), {}),
            ("catalog.set_checks", ("book", {"range": RANGE}), {}),
        ])
        self.assertEqual(connection.calls_to("database")[-1], coll_mod("book", {"$nor": [RANGE["violation"]]}))

    def test_no_check_reads_the_column_nothing_changes(self):
        connection = FakeConnection(catalog={"checks": [{"range": RANGE}]})
        drop_column_checks(connection, "book", "pages")
        rename_column_checks(connection, "book", "pages", "count")
        self.assertEqual(connection.calls, [("catalog.checks", ("book",), {})] * 2)

    def test_the_checks_follow_a_renamed_column(self):
        connection = FakeConnection(catalog={"checks": [{"range": RANGE}]}, database={"command": [listed("book")]})
        rename_column_checks(connection, "book", "low", "floor")
        self.assertEqual(connection.calls_to("catalog")[1], ("catalog.set_checks", ("book", {"range": {
            "columns": ["floor", "high"], "violation": {"$expr": {"$gt": ["$floor", "$high"]}},
        }}), {}))


class AddAndDropChecksTests(unittest.TestCase):

    def test_checks_the_rows_break_are_refused(self):
        books = FakeCollection("book", find_one=[None, {"_id": 1}])
        connection = FakeConnection({"book": books})
        command = AddChecks("book", checks=(("ok", ("a",), {"a": {"$lt": 0}}), ("bad", ("b",), {"b": Slot(0)})))
        with self.assertRaisesRegex(IntegrityError, "'bad' of table 'book' is violated"):
            run(command, (5,), connection)
        self.assertEqual(connection.calls, [
            ("book.find_one", ({"a": {"$lt": 0}}, {"_id": 1}), {}),
            ("book.find_one", ({"b": 5}, {"_id": 1}), {}),
        ])

    def test_checks_are_recorded_then_the_validator_set(self):
        connection = FakeConnection({"book": FakeCollection("book")}, catalog={"checks": [{"pages": PAGES}]},
                                    database={"command": [listed("book")]})
        run(AddChecks("book", checks=(("pages", ("pages",), PAGES["violation"]),)), (), connection)
        self.assertEqual([call[0] for call in connection.calls], [
            "book.find_one", "catalog.add_check", "catalog.checks", "database.command", "database.command",
        ])
        self.assertEqual(connection.calls[1][1], ("book", "pages", ("pages",), PAGES["violation"]))

    def test_a_server_without_validators_refuses_checks(self):
        connection = FakeConnection()
        connection.supports_validators = False
        with self.assertRaises(NotSupportedError):
            run(AddChecks("book", checks=(("pages", ("pages",), {}),)), (), connection)
        self.assertEqual(connection.calls, [])

    def test_drop_check(self):
        connection = FakeConnection(catalog={"checks": [{"pages": PAGES}, {}]}, database={"command": [listed("book")]})
        run(DropCheck("book", name="pages"), (), connection)
        self.assertEqual(connection.calls_to("catalog")[:2], [
            ("catalog.checks", ("book",), {}),
            ("catalog.drop_check", ("book", "pages"), {}),
        ])
        with self.assertRaisesRegex(ProgrammingError, "has no check constraint 'other'"):
            run(DropCheck("book", name="other"), (), connection)
