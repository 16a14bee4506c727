"""
The flush between tests returns the test database to the rows migrate
left (djongo/baseline.py): only the tables written to since the last flush,
whoever wrote them, and without sending post_migrate again, as a rollback
on PostgreSQL does (issue 23).
"""
import os

import pymongo
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import TestCase, TransactionTestCase

from djongo import baseline, written
from tests.integration.app.models import Badge, Counter
from tests.integration.mongo_api.models import Entry


def flush(*tables):
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(tables)))


def flush_between_tests():
    """Flush as Django's TransactionTestCase does after each test; return whether post_migrate was sent."""
    received = []

    def receiver(**kwargs):
        received.append(kwargs["app_config"].label)

    post_migrate.connect(receiver, weak=False)
    try:
        call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False,
                     allow_cascade=False, inhibit_post_migrate=False)
    finally:
        post_migrate.disconnect(receiver)
    return bool(received)


def other_client():
    """Return the test database through a MongoClient of its own, whose writes djongo does not see."""
    client = pymongo.MongoClient(os.environ["DJONGO_TEST_URI"])
    return client, client[connection.settings_dict["NAME"]]


class BaselineTests(TransactionTestCase):

    def test_the_test_database_has_a_baseline_of_what_migrate_made(self):
        taken = baseline.of(connection.settings_dict["NAME"])
        self.assertIsNotNone(taken)
        self.assertIn(ContentType._meta.db_table, taken.documents)
        self.assertIn(Permission._meta.db_table, taken.documents)
        self.assertNotIn(Counter._meta.db_table, taken.documents)

    def test_flush_puts_back_the_baseline_rows_with_their_ids_and_counters(self):
        types = sorted(ContentType.objects.values_list("id", "app_label", "model"))
        permissions = Permission.objects.count()
        ContentType.objects.filter(app_label="app").delete()
        ContentType.objects.create(app_label="made", model="by_a_test")
        Counter.objects.create(label="a")
        flush(ContentType._meta.db_table, Permission._meta.db_table, Counter._meta.db_table)
        self.assertEqual(sorted(ContentType.objects.values_list("id", "app_label", "model")), types)
        self.assertEqual(Permission.objects.count(), permissions)
        self.assertFalse(Counter.objects.exists())
        # The next ids: after the baseline's for its tables, 1 for an emptied one.
        made = ContentType.objects.create(app_label="made", model="after")
        self.assertEqual(made.id, max(type_id for type_id, _, _ in types) + 1)
        self.assertEqual(Counter.objects.create(label="b").id, 1)

    def test_a_database_without_a_baseline_is_emptied(self):
        name = connection.settings_dict["NAME"]
        taken = baseline.of(name)
        baseline.forget(name)
        try:
            ContentType.objects.get_or_create(app_label="app", model="kitchen")
            flush(ContentType._meta.db_table)
            self.assertFalse(ContentType.objects.exists())
        finally:
            with baseline._lock:
                baseline._baselines[name] = taken
            written.watch(name)
            flush(*connection.introspection.django_table_names(only_existing=True))
        self.assertTrue(ContentType.objects.filter(app_label="app").exists())

    def test_the_flush_between_tests_puts_back_the_baseline_without_post_migrate(self):
        types = sorted(ContentType.objects.values_list("id", "app_label", "model"))
        ContentType.objects.filter(app_label="app").delete()
        Counter.objects.create(label="a")
        self.assertFalse(flush_between_tests())
        self.assertEqual(sorted(ContentType.objects.values_list("id", "app_label", "model")), types)
        self.assertFalse(Counter.objects.exists())

    def test_manage_py_flush_empties_every_table_and_sends_post_migrate(self):
        Counter.objects.create(label="a")
        received = []

        def receiver(**kwargs):
            received.append(kwargs["app_config"].label)

        post_migrate.connect(receiver, weak=False)
        try:
            call_command("flush", verbosity=0, interactive=False)
        finally:
            post_migrate.disconnect(receiver)
        self.assertIn("contenttypes", received)
        self.assertFalse(Counter.objects.exists())
        self.assertTrue(ContentType.objects.filter(app_label="app").exists())

    def test_only_the_tables_written_to_are_flushed(self):
        tables = connection.introspection.django_table_names(only_existing=True)
        self.assertEqual(baseline.flush(connection.connection, tables), [])
        Counter.objects.create(label="a")
        Badge.objects.filter(pk=0).delete()
        Entry.objects.mongo_insert_one({"blog_name": "b", "headline": "h"})  # pymongo through djongo's client
        self.assertEqual(
            set(baseline.flush(connection.connection, tables)),
            {Counter._meta.db_table, Badge._meta.db_table, Entry._meta.db_table},
        )
        self.assertFalse(Entry.objects.exists())

    def test_a_written_table_django_leaves_out_goes_back_too(self):
        # The table of a model the router keeps off this database, or of an
        # app outside available_apps: Django's flush does not list it, as a
        # rollback would not need to.
        Counter.objects.create(label="a")
        self.assertEqual(baseline.flush(connection.connection, [ContentType._meta.db_table]),
                         [Counter._meta.db_table])
        self.assertFalse(Counter.objects.exists())

    def test_rows_another_client_adds_or_removes_are_flushed(self):
        permissions = sorted(Permission.objects.values_list("id", "codename"))
        client, database = other_client()
        try:
            database[Counter._meta.db_table].insert_one({"id": 7, "label": "from elsewhere"})
            database[Permission._meta.db_table].delete_one({"codename": "add_permission"})
        finally:
            client.close()
        self.assertFalse(flush_between_tests())
        self.assertFalse(Counter.objects.exists())
        self.assertEqual(sorted(Permission.objects.values_list("id", "codename")), permissions)


class FlushBetweenTestCasesTests(TestCase):
    """Django's TestCase on a server without transactions: each test starts from the baseline."""

    def test_1_writes(self):
        Counter.objects.create(label="left by test_1")
        ContentType.objects.filter(app_label="app").delete()

    def test_2_sees_none_of_it(self):
        self.assertFalse(Counter.objects.exists())
        self.assertTrue(ContentType.objects.filter(app_label="app").exists())
