"""The record of the collections written to in test databases (djongo/written.py)."""
import unittest
from types import SimpleNamespace

from djongo import database, written


def sent(command, database="test_db"):
    """Return what pymongo's CommandStartedEvent tells the listener of ``command`` sent to ``database``."""
    return SimpleNamespace(command_name=next(iter(command)), command=command, database_name=database)


class WrittenTests(unittest.TestCase):

    def setUp(self):
        written.watch("test_db")
        self.addCleanup(written.unwatch, "test_db")

    def send(self, command, database="test_db"):
        written.LISTENER.started(sent(command, database))

    def test_commands_that_write_rows_record_their_collection(self):
        for name in ("insert", "update", "delete", "findAndModify", "create", "drop"):
            self.send({name: f"t_{name}"})
        tables = {f"t_{name}" for name in ("insert", "update", "delete", "findAndModify", "create", "drop")}
        self.assertEqual(written.take("test_db", tables | {"other"}), tables)

    def test_reads_and_index_commands_record_nothing(self):
        for command in ({"find": "a"}, {"aggregate": "a", "pipeline": [{"$match": {}}]}, {"count": "a"},
                        {"createIndexes": "a", "indexes": []}, {"listCollections": 1}):
            self.send(command)
        self.assertEqual(written.take("test_db", ["a"]), set())

    def test_an_aggregate_ending_in_out_or_merge_records_its_target(self):
        self.send({"aggregate": "a", "pipeline": [{"$match": {}}, {"$out": "b"}]})
        self.send({"aggregate": "a", "pipeline": [{"$merge": {"into": "c"}}]})
        self.send({"aggregate": "a", "pipeline": [{"$merge": {"into": {"db": "test_db", "coll": "d"}}}]})
        self.send({"aggregate": "a", "pipeline": [{"$out": {"db": "elsewhere", "coll": "e"}}]})
        self.assertEqual(written.take("test_db", ["a", "b", "c", "d", "e"]), {"b", "c", "d"})

    def test_a_rename_records_both_names_of_its_database(self):
        self.send({"renameCollection": "test_db.old", "to": "test_db.new"}, database="admin")
        self.assertEqual(written.take("test_db", ["old", "new"]), {"old", "new"})

    def test_mongodb_8_bulk_write_records_each_namespace(self):
        self.send({"bulkWrite": 1, "ops": [], "nsInfo": [{"ns": "test_db.a"}, {"ns": "other_db.b"}]}, database="admin")
        self.assertEqual(written.take("test_db", ["a", "b"]), {"a"})

    def test_other_databases_and_internal_collections_are_not_recorded(self):
        self.send({"insert": "a"}, database="production")
        self.send({"update": "__schema__"})
        self.assertEqual(written.take("test_db", ["a", "__schema__"]), set())
        self.assertEqual(written.take("production", ["a"]), {"a"})  # not watched: anything may have changed

    def test_take_reports_each_write_once_and_only_of_the_tables_asked(self):
        self.send({"insert": "a"})
        self.send({"delete": "b"})
        self.assertEqual(written.take("test_db", ["a"]), {"a"})
        self.assertEqual(written.take("test_db", ["a", "b"]), {"b"})
        self.assertEqual(written.take("test_db", ["a", "b"]), set())

    def test_watching_again_starts_from_nothing(self):
        self.send({"insert": "a"})
        written.watch("test_db")
        self.assertEqual(written.take("test_db", ["a"]), set())


class RecordingTests(unittest.TestCase):
    """Only the clients made once a test database is on its way carry the listener (djongo/database.py)."""

    def setUp(self):
        recording = written._recording
        self.addCleanup(setattr, written, "_recording", recording)
        written._recording = False

    def listeners(self):
        connection = database.connect("written_unit", {"host": "mongodb://127.0.0.1:9", "connect": False})
        return connection.client.options.event_listeners

    def test_clients_of_a_process_making_no_test_database_have_no_listener(self):
        self.assertNotIn(written.LISTENER, self.listeners())

    def test_clients_made_after_start_recording_have_it(self):
        before = self.listeners()
        written.start_recording()
        self.assertIn(written.LISTENER, self.listeners())
        self.assertNotIn(written.LISTENER, before)
