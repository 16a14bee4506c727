"""
CHECK constraints become the collection's validator where the server
enforces validators (djongo/validators.py); elsewhere Django writes none.
"""
import unittest

from django.db import IntegrityError, NotSupportedError, connection, models
from django.db.models import F, Q
from django.test import TransactionTestCase
from django.test.utils import isolate_apps

from djongo.validators import validators_enforced

TABLE = "checks_task"

SERVER_IGNORES_VALIDATORS = (
    "the server does not enforce collection validators (mongo-java-server, the local test server, neither "
    "stores nor enforces them and has no collMod: docs/test-server.md), so djongo declares no CHECK constraints"
)
SERVER_ENFORCES_VALIDATORS = "the server enforces collection validators, so CHECK constraints are on"


def checks_enabled():
    return connection.features.supports_table_check_constraints


def stored_validation(table):
    """Return the validator options of ``table`` as listCollections shows them."""
    found = connection.mongo_database.command("listCollections", filter={"name": table})["cursor"]["firstBatch"]
    options = [entry.get("options", {}) for entry in found if entry["name"] == table][0]
    return {key: options[key] for key in ("validator", "validationLevel", "validationAction") if key in options}


def task_model():
    """Return a model with a CheckConstraint and a PositiveIntegerField (whose column has a CHECK where enabled)."""
    class Task(models.Model):
        priority = models.IntegerField(default=0)
        attempts = models.PositiveIntegerField(null=True)
        limit = models.IntegerField(null=True)

        class Meta:
            app_label = "app"
            db_table = TABLE
            constraints = [
                models.CheckConstraint(condition=Q(priority__range=(-100, 100)), name="priority_range"),
            ]

    return Task


class CheckTestCase(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def tearDown(self):
        connection.mongo_database.drop_collection(TABLE)
        connection.mongo_database["__schema__"].delete_one({"name": TABLE})
        connection.mongo_database["__columns__"].delete_one({"table": TABLE})

    def check_constraints(self):
        """Return {name: columns} of the CHECK constraints introspection finds on the table."""
        with connection.cursor() as cursor:
            return {
                name: info["columns"]
                for name, info in connection.introspection.get_constraints(cursor, TABLE).items() if info["check"]
            }


class ValidatorProbeTests(unittest.TestCase):
    def test_probe_leaves_nothing_behind(self):
        database = connection.mongo_database
        before = set(database.list_collection_names())
        validators_enforced(database)
        self.assertEqual(set(database.list_collection_names()), before)

    def test_flags_follow_the_probe(self):
        connection.ensure_connection()
        enforced = connection.connection.supports_validators
        self.assertEqual(connection.features.supports_table_check_constraints, enforced)
        self.assertEqual(connection.features.supports_column_check_constraints, enforced)
        self.assertEqual(bool(connection.data_type_check_constraints), enforced)


@isolate_apps("tests.integration.app")
class ValidatorsNotEnforcedTests(CheckTestCase):
    """Where the server ignores validators, a model with checks is created as before, with none."""

    def setUp(self):
        # Asked when the test runs, in the test database, not at import.
        if checks_enabled():
            self.skipTest(SERVER_ENFORCES_VALIDATORS)

    def test_server_ignores_validators(self):
        # What the probe found, seen directly: a document the validator
        # refuses is stored.
        database = connection.mongo_database
        database.drop_collection("djongo_probe_validator")
        try:
            database.create_collection("djongo_probe_validator", validator={"v": {"$gte": 0}})
            database["djongo_probe_validator"].insert_one({"v": -1})
        finally:
            database.drop_collection("djongo_probe_validator")
        connection.ensure_connection()
        self.assertIs(connection.connection.supports_validators, False)
        self.assertEqual(connection.data_type_check_constraints, {})

    def test_model_with_checks_gets_no_validator(self):
        Task = task_model()
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(Task)
        self.assertFalse([sql for sql in editor.collected_sql if "CHECK" in sql], editor.collected_sql)
        with connection.schema_editor() as editor:
            editor.create_model(Task)
        self.assertEqual(stored_validation(TABLE), {})
        self.assertEqual(connection.connection.catalog.checks(TABLE), {})
        self.assertEqual(self.check_constraints(), {})
        # Nothing refuses what the checks would: behaviour as without them.
        Task.objects.create(priority=500, attempts=-1)
        self.assertEqual(list(Task.objects.values_list("priority", "attempts")), [(500, -1)])
        # And Django's system check says the constraint is not created.
        warnings = [error.id for error in Task.check(databases=["default"])]
        self.assertIn("models.W027", warnings)

    def test_hand_written_check_is_refused(self):
        # Not recorded as if it held: refused before the collection is made.
        with self.assertRaisesMessage(NotSupportedError, "does not enforce collection validators"):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE TABLE "{TABLE}" ("id" int NOT NULL PRIMARY KEY, "n" int NULL CHECK ("n" >= 0))')
        self.assertNotIn(TABLE, connection.mongo_database.list_collection_names())


@isolate_apps("tests.integration.app")
class CheckConstraintTests(CheckTestCase):
    """Run where the server enforces validators (MongoDB 4.4+); not yet run against a real MongoDB here."""

    def setUp(self):
        if not checks_enabled():
            self.skipTest(SERVER_IGNORES_VALIDATORS)
        self.Task = task_model()
        with connection.schema_editor() as editor:
            editor.create_model(self.Task)

    def test_validator_refuses_only_rows_where_the_condition_is_false(self):
        # A check passes where its condition is TRUE or NULL: attempts may be NULL.
        self.assertEqual(stored_validation(TABLE), {
            "validator": {"$nor": [
                {"attempts": {"$lt": 0}},
                {"$or": [{"priority": {"$lt": -100}}, {"priority": {"$gt": 100}}]},
            ]},
            "validationLevel": "strict",
            "validationAction": "error",
        })
        self.assertEqual(self.check_constraints(), {f"{TABLE}_attempts_check": ["attempts"], "priority_range": ["priority"]})

    def test_violating_writes_raise_integrity_error(self):
        self.Task.objects.create(priority=100, attempts=None)
        with self.assertRaises(IntegrityError):
            self.Task.objects.create(priority=-101)
        with self.assertRaises(IntegrityError):
            self.Task.objects.bulk_create([self.Task(priority=1), self.Task(priority=1, attempts=-5)])
        with self.assertRaises(IntegrityError):
            self.Task.objects.update(attempts=-1)
        with self.assertRaises(IntegrityError):
            self.Task.objects.update(priority=F("priority") + 1)
        self.assertEqual(
            sorted(self.Task.objects.values_list("priority", "attempts")), [(1, None), (100, None)],
        )

    def test_add_and_remove_constraint(self):
        # Q(limit__gte=F("priority")): column against column, passing where limit is NULL.
        constraint = models.CheckConstraint(condition=Q(limit__gte=F("priority")), name="limit_over_priority")
        with connection.schema_editor() as editor:
            editor.add_constraint(self.Task, constraint)
        self.assertIn("limit_over_priority", self.check_constraints())
        self.Task.objects.create(priority=5, limit=None)
        self.Task.objects.create(priority=5, limit=5)
        with self.assertRaises(IntegrityError):
            self.Task.objects.create(priority=5, limit=4)
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Task, constraint)
        self.assertNotIn("limit_over_priority", self.check_constraints())
        self.Task.objects.create(priority=5, limit=4)

    def test_remove_constraint_sets_validator_from_the_others(self):
        constraint = self.Task._meta.constraints[0]
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Task, constraint)
        self.assertEqual(stored_validation(TABLE)["validator"], {"$nor": [{"attempts": {"$lt": 0}}]})
        self.assertEqual(self.check_constraints(), {f"{TABLE}_attempts_check": ["attempts"]})
        self.Task.objects.create(priority=500)
        with self.assertRaises(IntegrityError):
            # Adding a check that a row breaks fails, as in SQL.
            with connection.schema_editor() as editor:
                editor.add_constraint(self.Task, constraint)
        self.assertEqual(self.check_constraints(), {f"{TABLE}_attempts_check": ["attempts"]})

    def test_field_no_longer_positive_drops_its_check(self):
        old = self.Task._meta.get_field("attempts")
        new = models.IntegerField(null=True)
        new.set_attributes_from_name("attempts")
        new.model = self.Task
        with connection.schema_editor() as editor:
            editor.alter_field(self.Task, old, new)
        self.assertEqual(self.check_constraints(), {"priority_range": ["priority"]})
        self.Task.objects.create(attempts=-1)

    def test_renamed_column_keeps_its_check(self):
        old = self.Task._meta.get_field("priority")
        new = models.IntegerField(default=0)
        new.set_attributes_from_name("rank")
        new.model = self.Task
        with connection.schema_editor() as editor:
            editor.alter_field(self.Task, old, new)
        self.assertEqual(self.check_constraints()["priority_range"], ["rank"])
        self.assertIn(
            {"$or": [{"rank": {"$lt": -100}}, {"rank": {"$gt": 100}}]}, stored_validation(TABLE)["validator"]["$nor"],
        )
