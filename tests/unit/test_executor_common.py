"""
What the executor's runners share (executor/common.py): the dispatch of
each command class to its runner, parameters bound with their subqueries
run once, the missing-table check and the filter of a write.
"""
import unittest

from djongo.catalog import MIGRATIONS_TABLE
from djongo.exceptions import ProgrammingError
from djongo.executor import RUNNERS, Result, run
from djongo.executor.common import bound, require_table, write_filter
from djongo.sql2mongo import commands
from djongo.sql2mongo.binding import PreRun, Slot
from djongo.sql2mongo.commands import DeleteMany, Find

from .executor_fakes import FakeCollection, FakeConnection


class DispatchTests(unittest.TestCase):

    def test_every_command_class_has_a_runner(self):
        classes = {
            value for value in vars(commands).values()
            if isinstance(value, type) and issubclass(value, commands.Command) and value is not commands.Command
        }
        self.assertEqual(set(RUNNERS), classes)

    def test_run_returns_the_runners_result(self):
        result = run(commands.NoOp("t", reason="nothing to do"), (), FakeConnection())
        self.assertEqual(result, Result())
        self.assertEqual((result.rows, result.rowcount, result.lastrowid, result.names), (None, -1, None, ()))


class BoundTests(unittest.TestCase):

    def test_a_subquery_is_run_once_however_often_it_appears(self):
        authors = FakeCollection("author", find=[[{"id": 1}, {"id": 2}]])
        connection = FakeConnection({"author": authors}, catalog={"exists": [True]})
        subquery = Find("author", filter={"age": Slot(0)}, projection={"_id": 0, "id": 1}, columns=("id",))
        template = {"$or": [{"author": PreRun(subquery, "in")}, {"editor": PreRun(subquery, "in")}]}
        self.assertEqual(bound(template, (30,), connection), {
            "$or": [{"author": {"$in": [1, 2]}}, {"editor": {"$in": [1, 2]}}],
        })
        self.assertEqual([call[0] for call in connection.calls_to("author")], ["author.find"])

    def test_parameters_fill_their_slots(self):
        self.assertEqual(bound({"a": Slot(1), "b": [Slot(0)]}, ("x", "y"), FakeConnection()), {"a": "y", "b": ["x"]})


class RequireTableTests(unittest.TestCase):

    def test_a_table_the_catalog_does_not_know_is_refused(self):
        connection = FakeConnection(catalog={"exists": [False]})
        with self.assertRaisesRegex(ProgrammingError, "no such table: book .*run migrate"):
            require_table(connection, "book")

    def test_djongo_s_own_collections_need_no_record(self):
        connection = FakeConnection(catalog={"exists": [False]})
        require_table(connection, "__schema__")
        require_table(connection, "system.views")
        self.assertEqual(connection.calls, [])
        with self.assertRaises(ProgrammingError):
            require_table(connection, MIGRATIONS_TABLE)


class WriteFilterTests(unittest.TestCase):

    def test_the_command_s_own_filter(self):
        connection = FakeConnection()
        self.assertEqual(write_filter(DeleteMany("t", filter={"a": Slot(0)}), (3,), connection), {"a": 3})
        self.assertEqual(connection.calls, [])

    def test_the_ids_an_id_pipeline_finds(self):
        connection = FakeConnection({"t": FakeCollection("t", aggregate=[[{"_id": "x"}, {"_id": "y"}]])},
                                    session="s")
        command = DeleteMany("t", id_pipeline=[{"$match": {"a": Slot(0)}}, {"$limit": 2}])
        self.assertEqual(write_filter(command, (3,), connection), {"_id": {"$in": ["x", "y"]}})
        self.assertEqual(connection.calls, [
            ("t.aggregate", ([{"$match": {"a": 3}}, {"$limit": 2}],), {"session": "s"}),
        ])
