"""select_for_update(): row leases in __locks__ exclude concurrent callers (djongo/locks.py)."""
import datetime
import threading
import time

from django.db import OperationalError, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test import TransactionTestCase

from djongo.locks import LOCKS_COLLECTION
from tests.integration.app.models import Author, Book, Kitchen

THREADS = 8
INCREMENTS = 25


def in_thread(target, *args):
    """Run ``target`` in a thread with its own connection; return the thread and its outcome list."""
    outcome = []

    def run():
        try:
            outcome.append(target(*args))
        except Exception as exc:  # reported by the test
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


class SelectForUpdateTests(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def setUp(self):
        self.kitchen = Kitchen.objects.create(name="k", count=0)
        self.locks = connection.mongo_database[LOCKS_COLLECTION]

    def test_concurrent_read_modify_write_loses_no_update(self):
        def increment():
            for _ in range(INCREMENTS):
                with transaction.atomic():
                    kitchen = Kitchen.objects.select_for_update().get(pk=self.kitchen.pk)
                    kitchen.count += 1
                    kitchen.save()

        threads = [in_thread(increment) for _ in range(THREADS)]
        for thread, _ in threads:
            thread.join()
        self.assertEqual([outcome for _, outcome in threads], [[None]] * THREADS)
        self.assertEqual(Kitchen.objects.get(pk=self.kitchen.pk).count, THREADS * INCREMENTS)
        self.assertEqual(self.locks.count_documents({}), 0)  # every lock released

    def test_nowait_and_skip_locked_while_another_holds_the_lock(self):
        other = Kitchen.objects.create(name="other", count=0)
        held, release = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                list(Kitchen.objects.select_for_update().filter(pk=self.kitchen.pk))
                held.set()
                release.wait(10)

        thread, outcome = in_thread(hold)
        self.assertTrue(held.wait(10))
        try:
            with self.assertRaisesMessage(OperationalError, "could not obtain lock"):
                with transaction.atomic():
                    Kitchen.objects.select_for_update(nowait=True).get(pk=self.kitchen.pk)
            with transaction.atomic():
                free = list(Kitchen.objects.select_for_update(skip_locked=True).order_by("pk"))
            self.assertEqual([kitchen.pk for kitchen in free], [other.pk])
            # Plain reads and writes are not blocked.
            Kitchen.objects.filter(pk=self.kitchen.pk).update(name="renamed")
        finally:
            release.set()
            thread.join()
        self.assertEqual(outcome, [None])
        with transaction.atomic():
            self.assertEqual(Kitchen.objects.select_for_update(nowait=True).get(pk=self.kitchen.pk).name, "renamed")

    def test_skip_locked_with_a_limit_takes_the_next_free_row(self):
        # A worker's claim: select_for_update(skip_locked=True).first(). The
        # row another connection holds makes way for the next one, as LIMIT
        # counts the rows locked in PostgreSQL.
        second = Kitchen.objects.create(name="second", count=0)
        third = Kitchen.objects.create(name="third", count=0)
        held, release = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                Kitchen.objects.select_for_update().get(pk=self.kitchen.pk)
                held.set()
                release.wait(10)

        thread, outcome = in_thread(hold)
        self.assertTrue(held.wait(10))
        try:
            with transaction.atomic():
                first_free = Kitchen.objects.select_for_update(skip_locked=True).order_by("pk").first()
                self.assertEqual(first_free.pk, second.pk)
                two = Kitchen.objects.select_for_update(skip_locked=True).order_by("pk")[:2]
                self.assertEqual([kitchen.pk for kitchen in two], [second.pk, third.pk])
                self.assertEqual(self.locks.count_documents({}), 3)
        finally:
            release.set()
            thread.join()
        self.assertEqual(outcome, [None])

    def test_a_locked_row_that_stops_matching_makes_way_for_the_next(self):
        # Waiting for a row's lock while its holder changes it so that it
        # no longer matches: LIMIT 1 returns the next matching row, not none.
        second = Kitchen.objects.create(name="second", count=0)
        held, release = threading.Event(), threading.Event()

        def claim():
            with transaction.atomic():
                kitchen = Kitchen.objects.select_for_update().filter(count=0).order_by("pk").first()
                held.set()
                release.wait(10)
                kitchen.count = 1
                kitchen.save()
                return kitchen.pk

        thread, outcome = in_thread(claim)
        self.assertTrue(held.wait(10))

        def claim_next():
            with transaction.atomic():
                return Kitchen.objects.select_for_update().filter(count=0).order_by("pk").first().pk

        waiting, claimed = in_thread(claim_next)
        time.sleep(0.5)  # time for claim_next to wait for the lock
        release.set()
        thread.join()
        waiting.join()
        self.assertEqual((outcome, claimed), ([self.kitchen.pk], [second.pk]))

    def test_with_joins_the_rows_of_the_from_table_are_locked(self):
        ann = Author.objects.create(name="Ann")
        book = Book.objects.create(title="B", author=ann, pages=1)
        with transaction.atomic():
            [locked] = Book.objects.select_related("author").select_for_update()
            self.assertEqual((locked.pk, locked.author.name), (book.pk, "Ann"))
            book_id = connection.mongo_database["app_book"].find_one({"id": book.pk})["_id"]
            self.assertEqual(self.locks.find_one({})["_id"], {"table": "app_book", "id": book_id})

            def try_other():
                with transaction.atomic():
                    return list(Book.objects.select_related("author").select_for_update(skip_locked=True))

            thread, outcome = in_thread(try_other)
            thread.join()
            self.assertEqual(outcome, [[]])
        self.assertEqual(self.locks.count_documents({}), 0)
        # update_or_create() through a related manager selects with a join.
        ann.books.update_or_create(title="B", defaults={"pages": 2})
        self.assertEqual(Book.objects.get(pk=book.pk).pages, 2)

    def test_locks_are_released_on_rollback(self):
        with self.assertRaises(ZeroDivisionError):
            with transaction.atomic():
                Kitchen.objects.select_for_update().get(pk=self.kitchen.pk)
                self.assertEqual(self.locks.count_documents({}), 1)
                1 / 0
        self.assertEqual(self.locks.count_documents({}), 0)

    def test_a_lease_left_by_a_dead_process_is_taken_over(self):
        kitchen_id = connection.mongo_database["app_kitchen"].find_one({"id": self.kitchen.pk})["_id"]
        self.locks.insert_one({
            "_id": {"table": "app_kitchen", "id": kitchen_id}, "owner": "a process that died",
            "expires": datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1),
        })
        with transaction.atomic():
            Kitchen.objects.select_for_update(nowait=True).get(pk=self.kitchen.pk)
            self.assertNotEqual(self.locks.find_one({})["owner"], "a process that died")
        self.assertEqual(self.locks.count_documents({}), 0)

    def test_outside_a_transaction(self):
        if connection.features.supports_transactions:
            with self.assertRaises(TransactionManagementError):
                list(Kitchen.objects.select_for_update())
            return
        # Django allows it where the server has no transactions: the
        # statement is its own transaction and keeps no lock after it.
        self.assertEqual(len(Kitchen.objects.select_for_update()), 1)
        self.assertEqual(self.locks.count_documents({}), 0)
