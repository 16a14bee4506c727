"""
Auto-increment ids from __schema__ stay unique under concurrent inserts:
threads and processes reserving blocks of ids, forks, and counter resets
while other processes hold blocks.
"""
import io
import json
import multiprocessing
import os
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections
from django.test import TransactionTestCase

from djongo.management.commands import djongo_sequences
from tests.integration.app.models import Counter, Kitchen

THREADS = 8
PROCESSES = 4
CREATES_PER_WORKER = 200


class Worker:
    """A separate Python process creating Counter rows on command (sequence_worker.py)."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.sequence_worker", connection.settings_dict["NAME"]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
        )

    def send(self, count):
        self.process.stdin.write(f"create {count}\n")
        self.process.stdin.flush()

    def receive(self):
        answer = json.loads(self.process.stdout.readline())
        if isinstance(answer, dict):
            raise AssertionError(f"worker failed: {answer['error']}")
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def create_in_child(count, results):
    """Create ``count`` Counters in a forked child and put their ids on ``results``."""
    try:
        results.put([Counter.objects.create(label="f").pk for _ in range(count)])
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


class ConcurrentInsertTests(TransactionTestCase):

    def seq(self):
        return connection.mongo_database["__schema__"].find_one({"name": "app_counter"})["auto"]["seq"]

    def test_threads_get_distinct_ids_and_sequence_counts_them(self):
        start = self.seq()
        ids, errors = [], []
        lock = threading.Lock()

        def work(number):
            try:
                mine = [Counter.objects.create(label=f"t{number}").pk for _ in range(CREATES_PER_WORKER)]
                with lock:
                    ids.extend(mine)
            except Exception as exc:  # reported below; a thread cannot fail the test itself
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(number,)) for number in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        total = THREADS * CREATES_PER_WORKER
        self.assertEqual(len(set(ids)), total)
        self.assertStored(ids)
        # The threads shared the process's blocks: the counter moved by the
        # ids handed out plus at most one block not yet used up.
        self.assertLessEqual(max(ids), self.seq())
        self.assertLess(self.seq() - start, total + connection.connection.sequences.block_size)

    def assertStored(self, ids):
        """``ids`` are distinct and are exactly the ids stored in app_counter."""
        self.assertEqual(len(set(ids)), len(ids))
        stored = [doc["id"] for doc in connection.mongo_database["app_counter"].find({}, {"id": 1})]
        self.assertEqual(sorted(stored), sorted(ids))

    def test_processes_get_distinct_ids(self):
        workers = [Worker() for _ in range(PROCESSES)]
        try:
            for worker in workers:
                worker.send(CREATES_PER_WORKER)
            ids = [pk for worker in workers for pk in worker.receive()]
        finally:
            for worker in workers:
                worker.close()
        self.assertEqual(len(ids), PROCESSES * CREATES_PER_WORKER)
        self.assertStored(ids)

    def test_forked_children_do_not_share_the_parents_block(self):
        # The parent holds a block; each child must reserve its own.
        parent = [Counter.objects.create(label="p").pk]
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        children = [
            context.Process(target=create_in_child, args=(CREATES_PER_WORKER, results)) for _ in range(PROCESSES)
        ]
        for child in children:
            child.start()
        answers = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(timeout=30)
        self.assertEqual([answer for answer in answers if isinstance(answer, str)], [])
        parent.append(Counter.objects.create(label="p").pk)
        # The children reserved blocks of their own: the parent's next id
        # was still free, so it came straight after its first.
        self.assertEqual(parent[1], parent[0] + 1)
        ids = parent + [pk for answer in answers for pk in answer]
        self.assertEqual(len(ids), 2 + PROCESSES * CREATES_PER_WORKER)
        self.assertStored(ids)

    def test_explicit_id_inside_this_processs_block(self):
        first = Counter.objects.create(label="a").pk
        Counter.objects.create(pk=first + 2, label="explicit")
        later = [Counter.objects.create(label="b").pk for _ in range(2)]
        # Only ids above the explicit one, as SQLite and MySQL hand out.
        self.assertEqual(later, [first + 3, first + 4])
        # One statement with both kinds, as raw SQL may write it.
        with connection.cursor() as cursor:
            cursor.execute('INSERT INTO "app_counter" ("id", "label") VALUES (%s, %s), (DEFAULT, %s)',
                           [first + 6, "explicit", "c"])
        self.assertEqual(Counter.objects.get(label="c").pk, first + 7)
        self.assertStored([first, first + 2, *later, first + 6, first + 7])

    def test_bulk_loads_reserve_for_the_next_bulk_inserts_too(self):
        self.flush()
        size = connection.connection.sequences.block_size * 3
        first = Counter.objects.bulk_create([Counter(label="x") for _ in range(size)])
        # One $inc: the rows, and room for four more such INSERTs.
        self.assertEqual(self.seq(), size * 5)
        for _ in range(4):
            Counter.objects.bulk_create([Counter(label="y") for _ in range(size)])
        self.assertEqual(self.seq(), size * 5)
        self.assertEqual([counter.pk for counter in first], list(range(1, size + 1)))
        self.assertEqual(Counter.objects.order_by("-pk").first().pk, size * 5)

    def flush(self):
        """Delete every Counter and reset its counter, as manage.py flush does."""
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), ["app_counter"], reset_sequences=True),
        )

    def test_reset_while_processes_hold_blocks_never_repeats_an_id(self):
        self.flush()
        workers = [Worker() for _ in range(2)]
        try:
            for worker in workers:  # each reserves a block and uses part of it
                worker.send(30)
            before = [pk for worker in workers for pk in worker.receive()]
            self.assertEqual(len(set(before)), 60)
            self.flush()
            self.assertEqual(self.seq(), 0)
            self.assertEqual(Counter.objects.count(), 0)
            # The workers go on from their old blocks, 31 to 100 and 131 to
            # 200, while this process starts again at 1 and runs into them.
            for worker in workers:
                worker.send(250)
            mine = [Counter.objects.create(label="m").pk for _ in range(250)]
            after = mine + [pk for worker in workers for pk in worker.receive()]
        finally:
            for worker in workers:
                worker.close()
        self.assertEqual(mine[:2], [1, 2])
        self.assertEqual(len(after), 750)
        self.assertStored(after)

    def test_sequences_command_counts_reserved_ids_as_ahead_not_behind(self):
        Counter.objects.create(label="a")
        largest = Counter.objects.order_by("-pk").first().pk
        reserved = self.seq() - largest
        self.assertGreater(reserved, 0)  # this process holds a block
        output = self.run_sequences("--verbosity", "2")
        self.assertIn(f"app_counter.id: sequence {self.seq()}, largest id {largest}: ok ({reserved} reserved", output)
        self.assertIn("All sequences are up to date.", output)

    def test_sequences_fix_gives_up_this_processs_block(self):
        first = Counter.objects.create(label="a").pk
        # A row copied in above the counter, as mongoimport would.
        connection.mongo_database["app_counter"].insert_one({"id": self.seq() + 5, "label": "copied"})
        output = self.run_sequences("--fix")
        self.assertIn("app_counter.id: sequence moved", output)
        after = Counter.objects.create(label="b").pk
        # Above the copied row, not the next id of the old block.
        self.assertEqual(after, self.seq() - connection.connection.sequences.block_size + 1)
        self.assertGreater(after, first + 5)

    def run_sequences(self, *args):
        out = io.StringIO()
        call_command(djongo_sequences.Command(), *args, stdout=out)
        return out.getvalue()


class FlushTests(TransactionTestCase):
    """The flush between tests empties tables; their ids start again at 1, as on SQLite."""

    def test_ids_start_again_at_one_in_an_emptied_table(self):
        for _ in range(3):
            Counter.objects.create(label="a")
        Kitchen.objects.create(name="written")
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), ["app_counter"]))
        self.assertEqual(Counter.objects.create(label="b").pk, 1)
        # A written table the flush was not asked for goes back too, as a
        # rollback would put it (baseline.py), and counts from 1 again.
        self.assertFalse(Kitchen.objects.filter(name="written").exists())
        self.assertEqual(Kitchen.objects.create(name="next").pk, 1)

    def test_a_test_after_a_flush_starts_at_one(self):
        # The tests before this one created counters; the flush after each
        # (TransactionTestCase's teardown) emptied the table.
        self.assertEqual(Counter.objects.create(label="c").pk, 1)


class ResetSequencesTests(TransactionTestCase):
    """reset_sequences=True makes every test's ids start again at 1."""
    reset_sequences = True

    def check_ids_start_at_one(self):
        first, second = Counter.objects.create(label="a"), Counter.objects.create(label="b")
        self.assertEqual((first.pk, second.pk), (1, 2))

    def test_ids_start_at_one(self):
        self.check_ids_start_at_one()

    def test_ids_start_at_one_again(self):
        self.check_ids_start_at_one()
