"""
Concurrent writers: distinct ids across threads and processes, exactly one
winner of get_or_create() and unique races, no update lost under
select_for_update(). Loops are bounded in count, and joins in time.
"""
import threading

from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.test import TransactionTestCase

from tests.integration.app.models import Badge, Counter, Kitchen
from tests.integration.test_sequences import Worker

THREADS = 8
JOIN_SECONDS = 120


def run_threads(target, count=THREADS):
    """Run ``target(number)`` in ``count`` threads at once; return their results or exceptions."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(number):
        try:
            start.wait(10)
            results[number] = target(number)
        except Exception as exc:  # returned to the test
            results[number] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
        if thread.is_alive():
            raise AssertionError(f"a thread ran past {JOIN_SECONDS} s")
    return results


class ConcurrencyTests(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def test_threads_and_processes_creating_get_distinct_ids(self):
        workers = [Worker() for _ in range(2)]
        try:
            for worker in workers:
                worker.send(200)
            mine = run_threads(lambda number: [Counter.objects.create(label="t").pk for _ in range(100)])
            ids = [pk for result in mine for pk in result] + [pk for worker in workers for pk in worker.receive()]
        finally:
            for worker in workers:
                worker.close()
        self.assertEqual(len(ids), THREADS * 100 + 400)
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(Counter.objects.count(), len(ids))

    def test_get_or_create_race_has_one_winner(self):
        # Badge.serial is unique, so the losers' INSERT fails and they read the winner's row.
        results = run_threads(lambda number: Badge.objects.get_or_create(serial="race"))
        self.assertEqual([type(result) for result in results], [tuple] * THREADS, results)
        self.assertEqual(len({badge.pk for badge, _ in results}), 1)
        self.assertEqual(sum(created for _, created in results), 1)
        self.assertEqual(Badge.objects.filter(serial="race").count(), 1)

    def test_unique_race_has_one_winner_and_integrity_errors(self):
        results = run_threads(lambda number: Badge.objects.create(serial="unique"))
        winners = [result for result in results if isinstance(result, Badge)]
        losers = [result for result in results if not isinstance(result, Badge)]
        self.assertEqual(len(winners), 1)
        self.assertTrue(all(isinstance(loser, IntegrityError) for loser in losers), losers)
        self.assertEqual(Badge.objects.filter(serial="unique").count(), 1)

    def test_select_for_update_loses_no_increment(self):
        kitchen = Kitchen.objects.create(name="k", count=0)

        def increment(number):
            for _ in range(25):
                with transaction.atomic():
                    row = Kitchen.objects.select_for_update().get(pk=kitchen.pk)
                    row.count += 1
                    row.save(update_fields=["count"])

        self.assertEqual(run_threads(increment), [None] * THREADS)
        self.assertEqual(Kitchen.objects.get(pk=kitchen.pk).count, THREADS * 25)

    def test_update_with_f_is_atomic_per_document(self):
        kitchen = Kitchen.objects.create(name="k", count=0)

        def increment(number):
            for _ in range(25):
                Kitchen.objects.filter(pk=kitchen.pk).update(count=F("count") + 1)

        self.assertEqual(run_threads(increment), [None] * THREADS)
        self.assertEqual(Kitchen.objects.get(pk=kitchen.pk).count, THREADS * 25)

    def test_updates_to_computed_values_lose_no_update(self):
        # n = n + m reads two columns: an update pipeline, or, on a server
        # without them (the local test server), a read and a compare-and-set
        # write per document that reads again when another thread wrote
        # first (computed_updates.py). Each thread's 100 updates all count.
        kitchens = Kitchen.objects.bulk_create([Kitchen(name=f"k{i}", count=0, big=1) for i in range(3)])
        updates = 100

        def add(number):
            counted = 0
            for _ in range(updates):
                counted += Kitchen.objects.filter(name__startswith="k").update(count=F("count") + F("big"))
            return counted

        self.assertEqual(run_threads(add), [updates * len(kitchens)] * THREADS)
        self.assertEqual(
            sorted(Kitchen.objects.values_list("count", flat=True)), [THREADS * updates] * len(kitchens),
        )
