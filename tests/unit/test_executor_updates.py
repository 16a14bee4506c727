"""
UPDATE (executor/updates.py): the filters built for the writes and the
pymongo calls of update_many, computed updates and bulk_update(), checked
on fake collections.
"""
import types
import unittest

from pymongo import UpdateMany

from djongo import computed_updates
from djongo.executor import run
from djongo.executor.updates import _listed_keys
from djongo.sequences import SCHEMA_COLLECTION
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import BulkUpdate, UpdateEach
from djongo.sql2mongo.commands import UpdateMany as Update
from djongo.sql2mongo.rowsets import value_key

from .executor_fakes import FakeCollection, FakeConnection


class UpdateManyTests(unittest.TestCase):

    def test_the_update_many_call_and_rows_matched(self):
        books = FakeCollection("book", update_many=[3])
        connection = FakeConnection({"book": books})
        command = Update("book", filter={"pages": Slot(0)}, update={"$set": {"title": Slot(1)}})
        self.assertEqual(run(command, (10, "x"), connection).rowcount, 3)
        self.assertEqual(connection.calls, [
            ("book.update_many", ({"pages": 10}, {"$set": {"title": "x"}}), {"session": None}),
        ])

    def test_an_id_pipeline_finds_the_rows_first(self):
        books = FakeCollection("book", aggregate=[[{"_id": 1}, {"_id": 2}]])
        connection = FakeConnection({"book": books}, session="s")
        pipeline = [{"$match": {"a": Slot(0)}}, {"$project": {"_id": 1}}]
        run(Update("book", update={"$set": {"b": 1}}, id_pipeline=pipeline), (5,), connection)
        self.assertEqual(connection.calls, [
            ("book.aggregate", ([{"$match": {"a": 5}}, {"$project": {"_id": 1}}],), {"session": "s"}),
            ("book.update_many", ({"_id": {"$in": [1, 2]}}, {"$set": {"b": 1}}), {"session": "s"}),
        ])

    def test_a_sequence_reset_discards_the_ids_reserved(self):
        connection = FakeConnection()
        run(Update(SCHEMA_COLLECTION, filter={}, update={"$set": {"seq": 0}}), (), connection)
        self.assertEqual(connection.calls_to("sequences"), [("sequences.discard", (), {})])

    def test_without_update_pipelines_the_rows_are_computed_and_written(self):
        books = FakeCollection("book")
        connection = FakeConnection({"book": books})
        connection.supports_update_pipelines = False
        command = Update("book", filter={"a": 1}, update=[{"$set": {"b": {"$add": ["$b", 1]}}}])
        self.assertEqual(run(command, (), connection).rowcount, 0)
        self.assertEqual([call[0] for call in connection.calls], ["book.aggregate"])


class UpdateEachTests(unittest.TestCase):

    def test_the_rows_are_read_with_their_computed_values(self):
        books = FakeCollection("book")
        connection = FakeConnection({"book": books})
        command = UpdateEach("book", filter={"a": Slot(0)}, computed={"b": {"$literal": Slot(1)}})
        self.assertEqual(run(command, (1, 2), connection).rowcount, 0)
        (name, (pipeline,), options), = connection.calls
        self.assertEqual(name, "book.aggregate")
        # The bound filter and expressions, in computed_updates.py's reading pipeline.
        self.assertEqual(pipeline, computed_updates.read_pipeline({"a": 1}, [{"$addFields": {"b": {"$literal": 2}}}]))


class BulkUpdateTests(unittest.TestCase):

    def command(self, filter_):
        return BulkUpdate("book", filter=filter_, key="id", fixed={"seen": True}, columns=(
            ("title", ((Slot(0), Slot(1)), (Slot(2), Slot(3)), (Slot(0), "repeated")), None),
        ))

    def run_bulk(self, filter_, params):
        result = types.SimpleNamespace(matched_count=4, upserted_ids={})
        connection = FakeConnection({"book": FakeCollection("book", bulk_write=[result])})
        self.assertEqual(run(self.command(filter_), params, connection).rowcount, 4)
        (name, (requests,), options), = connection.calls
        self.assertEqual((name, options), ("book.bulk_write", {"ordered": True, "session": None}))
        return requests

    def test_listed_keys_need_no_repeat_of_the_filter(self):
        # bulk_update()'s WHERE id IN (...): the first WHEN of a key decides.
        requests = self.run_bulk({"id": {"$in": [Slot(4), Slot(5), Slot(6)]}}, (1, "a", 2, "b", 1, 2, 3))
        self.assertEqual(requests, [
            UpdateMany({"id": 1}, {"$set": {"seen": True, "title": "a"}}),
            UpdateMany({"id": 2}, {"$set": {"seen": True, "title": "b"}}),
            UpdateMany({"id": {"$in": [3]}}, {"$set": {"seen": True, "title": None}}),
        ])

    def test_other_filters_are_kept_in_every_update(self):
        requests = self.run_bulk({"pages": {"$gt": 1}}, (1, "a", 2, "b"))
        self.assertEqual(requests, [
            UpdateMany({"$and": [{"pages": {"$gt": 1}}, {"id": 1}]}, {"$set": {"seen": True, "title": "a"}}),
            UpdateMany({"$and": [{"pages": {"$gt": 1}}, {"id": 2}]}, {"$set": {"seen": True, "title": "b"}}),
            UpdateMany({"$and": [{"pages": {"$gt": 1}}, {"id": {"$nin": [1, 2]}}]},
                       {"$set": {"seen": True, "title": None}}),
        ])

    def test_when_every_listed_key_has_a_when_no_update_for_the_rest(self):
        requests = self.run_bulk({"id": {"$in": [Slot(4), Slot(5)]}}, (1, "a", 2, "b", 1, 2))
        self.assertEqual(len(requests), 2)


class ListedKeysTests(unittest.TestCase):

    def test_only_a_filter_that_is_exactly_key_in_a_list(self):
        self.assertEqual(_listed_keys({"id": {"$in": [1, 2.0]}}, "id"), {value_key(1), value_key(2)})
        self.assertIsNone(_listed_keys({"id": {"$in": [1]}, "a": 1}, "id"))
        self.assertIsNone(_listed_keys({"id": {"$in": [1], "$ne": 2}}, "id"))
        self.assertIsNone(_listed_keys({"other": {"$in": [1]}}, "id"))
        self.assertIsNone(_listed_keys({"id": 1}, "id"))
