"""
EXPLAIN (executor/explain.py): the reads recorded while the SELECT runs,
the explain command sent for each, and the rows of its text and JSON
formats, on fakes.
"""
import datetime
import logging
import unittest

from pymongo.errors import OperationFailure

from djongo.executor import run
from djongo.executor.explain import explained_text, reads_observed, record_read
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import Aggregate, Explain, Find

from .executor_fakes import FakeCollection, FakeConnection

PLAN = {"queryPlanner": {"winningPlan": {"stage": "COLLSCAN"}}, "ok": 1.0,
        "$clusterTime": {"clusterTime": 1}, "operationTime": 1}


def explaining(*answers):
    return FakeConnection({"book": FakeCollection("book", find=[[{"title": "a"}]])},
                          catalog={"exists": [True]}, database={"command": list(answers)})


class RecordingTests(unittest.TestCase):

    def test_reads_are_observed_while_explain_records_or_at_debug(self):
        logger = logging.getLogger("djongo")
        self.assertEqual(reads_observed(), logger.isEnabledFor(logging.DEBUG))
        with self.assertLogs("djongo", "DEBUG") as logs:
            self.assertTrue(reads_observed())
            record_read("book", {"find": "book", "filter": {"a": 1}, "projection": None, "limit": 5, "skip": None})
        self.assertEqual(logs.output, ["DEBUG:djongo:db['book'].find({'a': 1}, None, limit=5)"])

    def test_an_aggregate_is_logged_with_its_pipeline(self):
        with self.assertLogs("djongo", "DEBUG") as logs:
            record_read("book", {"aggregate": "book", "pipeline": [{"$match": {}}], "cursor": {}})
        self.assertEqual(logs.output, ["DEBUG:djongo:db['book'].aggregate([{'$match': {}}])"])


class ExplainTests(unittest.TestCase):

    def command(self, **options):
        find = Find("book", filter={"pages": Slot(0)}, projection={"_id": 0, "title": 1}, columns=("title",),
                    limit=3)
        return Explain("book", commands=(find,), **options)

    def test_each_read_is_explained(self):
        connection = explaining(dict(PLAN))
        result = run(self.command(format="JSON", verbosity="executionStats"), (10,), connection)
        # The options without a value (sort, skip, batchSize) are left out.
        read = {"find": "book", "filter": {"pages": 10}, "projection": {"_id": 0, "title": 1}, "limit": 3}
        self.assertEqual(connection.calls_to("database"), [
            ("database.command", ("explain", read), {"verbosity": "executionStats"}),
        ])
        (document,), = list(result.rows)
        # The cluster's clock is no part of the plan.
        self.assertEqual(document, [{"command": read, "explain": {
            "queryPlanner": {"winningPlan": {"stage": "COLLSCAN"}}, "ok": 1.0,
        }}])

    def test_a_server_without_explain(self):
        connection = explaining(OperationFailure("no such command: 'explain'", details={"errmsg": "no explain"}))
        result = run(self.command(format="JSON"), (10,), connection)
        (document,), = list(result.rows)
        self.assertEqual(document[0]["explain"], {"error": "the server cannot explain this command: no explain"})

    def test_text_rows(self):
        connection = explaining({"ok": 1})
        result = run(self.command(), (10,), connection)
        self.assertEqual(result.names, ("QUERY PLAN",))
        self.assertEqual(list(result.rows), [
            ('1. db.book.find({"filter": {"pages": 10}, "projection": {"_id": 0, "title": 1}, "limit": 3})',),
            ("   {",), ('     "ok": 1',), ("   }",),
        ])

    def test_bson_values_are_relaxed_json(self):
        at = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
        connection = FakeConnection({"book": FakeCollection("book")}, catalog={"exists": [True]},
                                    database={"command": [{"ok": 1}]})
        command = Explain("book", format="JSON", commands=(
            Aggregate("book", pipeline=[{"$match": {"at": Slot(0)}}], columns=("a",)),
        ))
        (document,), = list(run(command, (at,), connection).rows)
        self.assertEqual(document[0]["command"]["pipeline"], [{"$match": {"at": {"$date": "2024-01-02T00:00:00Z"}}}])

    def test_recording_ends_with_the_statement(self):
        run(self.command(), (10,), explaining({"ok": 1}))
        self.assertEqual(reads_observed(), logging.getLogger("djongo").isEnabledFor(logging.DEBUG))


class ExplainedTextTests(unittest.TestCase):

    def test_steps_numbered_with_their_plans_indented(self):
        explained = [
            {"command": {"aggregate": "a", "pipeline": []}, "explain": {"x": 1}},
            {"command": {"find": "b", "filter": {}}, "explain": {}},
        ]
        self.assertEqual(explained_text(explained), [
            '1. db.a.aggregate({"pipeline": []})', "   {", '     "x": 1', "   }",
            '2. db.b.find({"filter": {}})', "   {}",
        ])
