"""Auto-increment ids from __schema__ stay unique under concurrent inserts."""
import threading

from django.db import connection, connections
from django.test import TransactionTestCase

from tests.integration.app.models import Counter

THREADS = 8
CREATES_PER_THREAD = 200


class ConcurrentInsertTests(TransactionTestCase):

    def seq(self):
        return connection.mongo_database["__schema__"].find_one({"name": "app_counter"})["auto"]["seq"]

    def test_threads_get_distinct_ids_and_sequence_counts_them(self):
        start = self.seq()
        ids, errors = [], []
        lock = threading.Lock()

        def work(number):
            try:
                mine = [Counter.objects.create(label=f"t{number}").pk for _ in range(CREATES_PER_THREAD)]
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
        total = THREADS * CREATES_PER_THREAD
        self.assertEqual(len(set(ids)), total)
        self.assertEqual(sorted(ids), list(range(start + 1, start + total + 1)))
        self.assertEqual(self.seq(), start + total)
        self.assertEqual(connection.mongo_database["app_counter"].count_documents({}), total)


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
