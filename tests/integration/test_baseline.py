"""
The flush between tests puts back the rows migrate left in the test
database (djongo/baseline.py): post_migrate then finds its content types
and permissions, as after a rollback on PostgreSQL, instead of making
them again for every test (issue 23).
"""
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.test import TransactionTestCase

from djongo import baseline
from tests.integration.app.models import Counter


def flush(*tables):
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(tables)))


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
            flush(ContentType._meta.db_table)
        self.assertTrue(ContentType.objects.filter(app_label="app").exists())
