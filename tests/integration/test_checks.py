"""CHECK constraints become the collection's validator; a violating write raises IntegrityError."""
import unittest

from django.db import IntegrityError, connection, models
from django.db.models import Q
from django.test import TransactionTestCase
from django.test.utils import isolate_apps

TABLE = "checks_task"


def server_enforces_validators():
    """Probe whether the server applies a collection's validator (MongoDB does; mongo-java-server does not)."""
    database = connection.mongo_database
    database.drop_collection("djongo_probe_validator")
    database.create_collection("djongo_probe_validator", validator={"v": {"$gte": 0}})
    try:
        database["djongo_probe_validator"].insert_one({"v": -1})
        return False
    except Exception:
        return True
    finally:
        database.drop_collection("djongo_probe_validator")


def stored_validator(table):
    found = connection.mongo_database.command("listCollections", filter={"name": table})["cursor"]["firstBatch"]
    return found[0].get("options", {}).get("validator")


@unittest.skipUnless(connection.features.supports_table_check_constraints,
                     "CHECK constraints are not enabled yet: DatabaseFeatures.supports_table_check_constraints")
@isolate_apps("tests.integration.app")
class CheckConstraintTests(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def setUp(self):
        class Task(models.Model):
            priority = models.IntegerField(default=0)
            attempts = models.PositiveIntegerField(null=True)

            class Meta:
                app_label = "app"
                db_table = TABLE
                constraints = [
                    models.CheckConstraint(condition=Q(priority__range=(-100, 100)), name="priority_range"),
                ]

        self.Task = Task
        with connection.schema_editor() as editor:
            editor.create_model(Task)

    def tearDown(self):
        connection.mongo_database.drop_collection(TABLE)
        connection.mongo_database["__schema__"].delete_one({"name": TABLE})
        connection.mongo_database["__columns__"].delete_one({"table": TABLE})

    def constraints(self):
        with connection.cursor() as cursor:
            return {
                name: info["columns"]
                for name, info in connection.introspection.get_constraints(cursor, TABLE).items() if info["check"]
            }

    def test_validator_refuses_only_rows_where_the_condition_is_false(self):
        # A check passes where its condition is TRUE or NULL: attempts may be NULL.
        self.assertEqual(stored_validator(TABLE), {"$nor": [
            {"attempts": {"$lt": 0}},
            {"$or": [{"priority": {"$lt": -100}}, {"priority": {"$gt": 100}}]},
        ]})
        self.assertEqual(self.constraints(), {f"{TABLE}_attempts_check": ["attempts"], "priority_range": ["priority"]})

    def test_violating_writes_raise_integrity_error(self):
        if not server_enforces_validators():
            raise unittest.SkipTest("the server ignores collection validators (mongo-java-server; see docs/test-server.md)")
        self.Task.objects.create(priority=100, attempts=None)
        with self.assertRaises(IntegrityError):
            self.Task.objects.create(priority=-101)
        with self.assertRaises(IntegrityError):
            self.Task.objects.update(attempts=-1)
        self.assertEqual(list(self.Task.objects.values_list("priority", "attempts")), [(100, None)])

    def test_remove_constraint_sets_validator_from_the_others(self):
        constraint = self.Task._meta.constraints[0]
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Task, constraint)
        self.assertEqual(stored_validator(TABLE), {"$nor": [{"attempts": {"$lt": 0}}]})
        self.assertEqual(self.constraints(), {f"{TABLE}_attempts_check": ["attempts"]})
        self.Task.objects.create(priority=500)  # no longer checked, on any server
        with self.assertRaises(IntegrityError):
            # Adding a check that a row breaks fails, as in SQL.
            with connection.schema_editor() as editor:
                editor.add_constraint(self.Task, constraint)
        self.assertEqual(self.constraints(), {f"{TABLE}_attempts_check": ["attempts"]})

    def test_renamed_column_keeps_its_check(self):
        old = self.Task._meta.get_field("priority")
        new = models.IntegerField(default=0)
        new.set_attributes_from_name("rank")
        new.model = self.Task
        with connection.schema_editor() as editor:
            editor.alter_field(self.Task, old, new)
        self.assertEqual(self.constraints()["priority_range"], ["rank"])
        self.assertIn({"$or": [{"rank": {"$lt": -100}}, {"rank": {"$gt": 100}}]}, stored_validator(TABLE)["$nor"])
