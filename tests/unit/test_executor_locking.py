"""
SELECT ... FOR UPDATE (executor/locking.py): the rows locked with djongo's
leases, then read again, checked on fake collections and locks.
"""
import unittest

from djongo.executor import run
from djongo.executor.locking import lock_selected, write_to_locked
from djongo.locks import LOCK_FIELD
from djongo.sql2mongo.commands import Find, LockedRows

from .executor_fakes import FakeCollection, FakeConnection


class LockSelectedTests(unittest.TestCase):

    def test_without_a_limit_every_matching_row_is_locked(self):
        tasks = FakeCollection("task", find=[[{"_id": 1}, {"_id": 2}]])
        connection = FakeConnection({"task": tasks}, locks={"acquire": [[1, 2]]})
        command = Find("task", sort=(("n", 1),), lock="wait")
        filter_ = lock_selected(command, tasks, {"done": False}, 0, None, None, connection)
        self.assertEqual(filter_, {"$and": [{"done": False}, {"_id": {"$in": [1, 2]}}]})
        self.assertEqual(connection.calls, [
            ("task.find", ({"done": False}, {"_id": 1}), {"sort": [("n", 1)], "session": None}),
            ("locks.acquire", ("task", [1, 2], "wait"), {}),
            # Outside a transaction the statement is its own: its locks end with it.
            ("connection.release_locks", (), {}),
        ])

    def test_with_a_limit_rows_that_no_longer_match_make_way(self):
        # Three rows wanted; row 2 changed while its lock was awaited, so a
        # fourth candidate is locked in its place.
        tasks = FakeCollection("task", find=[
            [{"_id": 1}, {"_id": 2}, {"_id": 3}, {"_id": 4}],
            [{"_id": 1}, {"_id": 3}],
            [{"_id": 4}],
        ])
        connection = FakeConnection({"task": tasks}, locks={"acquire": [[1, 2, 3], [4]]}, autocommit=False)
        command = Find("task", lock="skip locked")
        filter_ = lock_selected(command, tasks, {"done": False}, 1, 2, None, connection)
        self.assertEqual(filter_, {"$and": [{"done": False}, {"_id": {"$in": [1, 3, 4]}}]})
        self.assertEqual(connection.calls, [
            ("task.find", ({"done": False}, {"_id": 1}), {"sort": None, "session": None, "batch_size": 3}),
            ("locks.acquire", ("task", [1, 2, 3], "skip locked"), {}),
            ("task.find", ({"$and": [{"done": False}, {"_id": {"$in": [1, 2, 3]}}]}, {"_id": 1}), {"session": None}),
            ("locks.acquire", ("task", [4], "skip locked"), {}),
            ("task.find", ({"$and": [{"done": False}, {"_id": {"$in": [4]}}]}, {"_id": 1}), {"session": None}),
        ])

    def test_in_a_transaction_the_locked_documents_are_written(self):
        tasks = FakeCollection("task", find=[[{"_id": 1}]])
        connection = FakeConnection({"task": tasks}, locks={"acquire": [[1]]}, session="s", autocommit=False)
        lock_selected(Find("task", lock="wait"), tasks, {}, 0, None, "s", connection)
        name, (filter_, update), options = connection.calls[-1]
        self.assertEqual((name, filter_, options), ("task.update_many", {"_id": {"$in": [1]}}, {"session": "s"}))
        self.assertEqual(list(update["$set"]), [LOCK_FIELD])

    def test_nothing_is_written_outside_a_transaction_or_without_rows(self):
        tasks = FakeCollection("task")
        write_to_locked(tasks, [1], None)
        write_to_locked(tasks, [], "s")
        self.assertEqual(tasks.calls, [])

    def test_a_find_for_update_reads_the_locked_rows(self):
        tasks = FakeCollection("task", find=[[{"_id": 1}], [{"name": "a"}]])
        connection = FakeConnection({"task": tasks}, catalog={"exists": [True]}, locks={"acquire": [[1]]})
        command = Find("task", filter={"done": False}, projection={"_id": 0, "name": 1}, columns=("name",),
                       lock="nowait")
        self.assertEqual(list(run(command, (), connection).rows), [("a",)])
        self.assertEqual(connection.calls_to("task")[-1][1][0],
                         {"$and": [{"done": False}, {"_id": {"$in": [1]}}]})


class LockedRowsTests(unittest.TestCase):

    def test_rows_whose_lock_was_not_taken_are_left_out(self):
        rows = [{"name": "a", "__lock_id": 1}, {"name": "b", "__lock_id": 2}, {"name": "c", "__lock_id": 1}]
        tasks = FakeCollection("task", find=[rows])
        connection = FakeConnection({"task": tasks}, catalog={"exists": [True]}, locks={"acquire": [[1]]})
        inner = Find("task", projection={"_id": 0, "name": 1, "__lock_id": 1}, columns=("name", "__lock_id"))
        result = run(LockedRows("task", command=inner, mode="skip locked", names=("name",)), (), connection)
        self.assertEqual(list(result.rows), [("a",), ("c",)])
        self.assertIn(("locks.acquire", ("task", [1, 2], "skip locked"), {}), connection.calls)
        self.assertEqual(len(connection.calls_to("task")), 2)  # read, locked, read again
