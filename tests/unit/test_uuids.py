"""UUIDV4() and UUIDV7(), Django 6.1's UUID4() and UUID7(): made by djongo for each row (uuids.py)."""
import time
import unittest
import uuid

from djongo.computed_updates import NEW, compare_and_set, read_pipeline
from djongo.sql2mongo import uuids
from djongo.sql2mongo.binding import Build, Slot, bind
from djongo.sql2mongo.commands import UpdateEach

from .base import TranslationTestCase


def milliseconds(value):
    """Return the Unix time in milliseconds a version 7 UUID holds (its first 48 bits)."""
    return value.int >> 80


class MakerTests(unittest.TestCase):

    def test_uuid4_is_random_version_4(self):
        values = {uuids.uuid4() for _ in range(100)}
        self.assertEqual(len(values), 100)
        for value in values:
            self.assertEqual((value.version, value.variant), (4, uuid.RFC_4122))

    def test_uuid7_holds_the_time_and_the_version(self):
        before = time.time_ns() // 1_000_000
        value = uuids.uuid7()
        after = time.time_ns() // 1_000_000
        self.assertEqual((value.version, value.variant), (7, uuid.RFC_4122))
        self.assertTrue(before <= milliseconds(value) <= after)

    def test_uuid7_never_goes_backwards_within_a_process(self):
        values = [uuids.uuid7() for _ in range(2000)]
        self.assertEqual(values, sorted(values))
        self.assertEqual(len(set(values)), len(values))

    def test_shifted_uuid7_moves_the_time_by_microseconds(self):
        now = time.time_ns() // 1_000_000
        value = uuids.shifted_uuid7(3_600_000_000)  # an hour, as DurationField stores it
        self.assertEqual(value.version, 7)
        self.assertAlmostEqual(milliseconds(value) - now, 3_600_000, delta=1000)
        earlier = uuids.shifted_uuid7(-86_400_000_000)
        self.assertAlmostEqual(now - milliseconds(earlier), 86_400_000, delta=1000)

    def test_shifted_uuid7_of_null_is_null(self):
        self.assertIsNone(uuids.shifted_uuid7(None))


class InsertTests(TranslationTestCase):

    def test_each_row_and_each_execution_gets_a_value_of_its_own(self):
        # Token.objects.bulk_create([Token(name="a"), Token(name="b")]) with uuid's db_default=UUID4()
        command = self.command('INSERT INTO "t" ("uuid", "name") VALUES (UUIDV4(), %s), (UUIDV4(), %s)')
        self.assertEqual(command.rows, ((Build(uuids.uuid4, ()), Slot(0)), (Build(uuids.uuid4, ()), Slot(1))))
        first = [bind(list(row), ["a", "b"]) for row in command.rows]
        again = [bind(list(row), ["a", "b"]) for row in command.rows]
        made = {row[0] for row in first + again}
        self.assertEqual(len(made), 4)
        self.assertEqual([row[1] for row in first], ["a", "b"])

    def test_uuid7_with_a_shift_parameter(self):
        command = self.command('INSERT INTO "t" ("uuid") VALUES (UUIDV7(%s))')
        self.assertEqual(command.rows, ((Build(uuids.shifted_uuid7, (Slot(0),)),),))
        self.assertIsNone(bind(list(command.rows[0]), [None])[0])
        self.assertEqual(bind(list(command.rows[0]), [60_000_000])[0].version, 7)

    def test_a_computed_argument_or_a_wrong_arity_is_refused(self):
        self.assertUnsupported('INSERT INTO "t" ("uuid") VALUES (UUIDV7(LENGTH(%s)))', "UUIDV7() of a computed value")
        self.assertUnsupported('INSERT INTO "t" ("uuid") VALUES (UUIDV4(%s))', "function UUIDV4() with 1 arguments")


class UpdateTests(TranslationTestCase):

    def test_update_reads_the_arguments_and_computes_the_other_values(self):
        # UUIDModel.objects.filter(pk__gt=1).update(uuid=UUID7("shift"), name="x")
        self.assertTranslates(
            'UPDATE "t" SET "uuid" = UUIDV7("t"."shift"), "name" = %s WHERE "t"."id" > %s',
            [UpdateEach("t", {"id": {"$gt": Slot(1)}}, {"name": {"$literal": Slot(0)}},
                        (("uuid", uuids.shifted_uuid7, ["$shift"]),))],
        )

    def test_read_pipeline_reads_the_arguments_as_an_array(self):
        made = (("u", uuids.shifted_uuid7, ["$shift"]), ("v", uuids.uuid4, []))
        self.assertEqual(read_pipeline({"a": 1}, [{"$addFields": {"n": "$m"}}], made), [
            {"$match": {"a": 1}},
            {"$addFields": {NEW: {"v0": "$m", "v1_0": "$shift"}}},
        ])

    def test_each_write_makes_a_value_of_its_own(self):
        made = (("u", uuids.shifted_uuid7, ["$shift"]), ("v", uuids.uuid4, []))
        first = compare_and_set({"_id": 1, NEW: {"v0_0": 0}}, [], made)[1]["$set"]
        second = compare_and_set({"_id": 2, NEW: {}}, [], made)[1]["$set"]  # a missing shift is NULL
        self.assertEqual((first["u"].version, first["v"].version), (7, 4))
        self.assertIsNone(second["u"])  # UUIDV7(NULL) is NULL
        self.assertNotEqual(first["v"], second["v"])


class RefusedTests(TranslationTestCase):

    def test_select_and_where_cannot_make_uuids(self):
        self.assertUnsupported('SELECT UUIDV4() AS "u" FROM "t"', "function UUIDV4()")
        self.assertUnsupported('SELECT "t"."id" FROM "t" WHERE "t"."uuid" = UUIDV7()', "function UUIDV7()")


class DefaultTests(TranslationTestCase):

    def test_create_table_takes_a_made_default(self):
        # Django writes the db_default into every INSERT; the table stores none.
        commands = self.commands('CREATE TABLE "t" ("uuid" uuid NOT NULL PRIMARY KEY DEFAULT (UUIDV4()))')
        self.assertEqual([type(command).__name__ for command in commands], ["CreateCollection", "CreateIndex"])

    def test_add_column_gives_each_existing_document_its_own_value(self):
        self.assertTranslates(
            'ALTER TABLE "t" ADD COLUMN "u" uuid DEFAULT (UUIDV7()) NOT NULL',
            [UpdateEach("t", {"u": {"$exists": False}}, made=(("u", uuids.uuid7, []),))],
        )
