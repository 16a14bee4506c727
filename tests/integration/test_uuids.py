"""
Django 6.1's UUID4() and UUID7(): in a db_default, in create() and in
update(), each row gets a UUID of its own, checked against what MongoDB
stores. djongo makes the values (djongo/sql2mongo/uuids.py).
"""
import datetime
import time
import unittest
import uuid

import django
from django.db import connection, models
from django.test import TestCase

from djongo.exceptions import SQLDecodeError

if django.VERSION >= (6, 1):
    from django.db.models.functions import UUID4, UUID7

    from tests.integration.uuids.models import Event, Stamp, Token

needs_django_6_1 = unittest.skipUnless(django.VERSION >= (6, 1), "UUID4() and UUID7() came with Django 6.1")


def documents(model, **filter_):
    return list(connection.mongo_database[model._meta.db_table].find(filter_, {"_id": 0}))


def milliseconds(value):
    return value.int >> 80


@needs_django_6_1
class DefaultTests(TestCase):

    def test_create_stores_a_version_4_primary_key(self):
        token = Token.objects.create(name="a")
        self.assertIsInstance(token.uuid, uuid.UUID)
        self.assertEqual(token.uuid.version, 4)
        self.assertEqual(documents(Token), [{"uuid": token.uuid, "name": "a"}])
        self.assertEqual(Token.objects.get(pk=token.pk).name, "a")

    def test_bulk_create_makes_one_per_row(self):
        tokens = Token.objects.bulk_create([Token(name="a"), Token(name="b"), Token(name="c")])
        stored = {doc["name"]: doc["uuid"] for doc in documents(Token)}
        self.assertEqual(len(set(stored.values())), 3)
        self.assertEqual({token.name: token.uuid for token in tokens}, stored)

    def test_uuid7_keys_follow_the_order_of_creation(self):
        before = time.time_ns() // 1_000_000
        first = Event.objects.create(name="first")
        second = Event.objects.create(name="second")
        after = time.time_ns() // 1_000_000
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.key.version, second.key.version), (7, 7))
        self.assertLess(first.key, second.key)
        self.assertTrue(before <= milliseconds(first.key) <= after)
        self.assertEqual([doc["name"] for doc in sorted(documents(Event), key=lambda doc: doc["key"].bytes)],
                         ["first", "second"])

    def test_a_given_value_wins_over_the_default(self):
        given = uuid.UUID("12345678-1234-5678-1234-567812345678")
        Token.objects.create(uuid=given, name="given")
        self.assertEqual(documents(Token), [{"uuid": given, "name": "given"}])


@needs_django_6_1
class UpdateTests(TestCase):

    def test_update_gives_each_row_its_own_uuid4(self):
        Stamp.objects.bulk_create([Stamp(name="a"), Stamp(name="b"), Stamp(name="c")])
        self.assertEqual(Stamp.objects.exclude(name="c").update(uuid=UUID4()), 2)
        stored = {doc["name"]: doc["uuid"] for doc in documents(Stamp)}
        self.assertIsNone(stored["c"])
        self.assertNotEqual(stored["a"], stored["b"])
        self.assertEqual((stored["a"].version, stored["b"].version), (4, 4))

    def test_update_with_uuid7_shifted_by_each_rows_duration(self):
        Stamp.objects.bulk_create([
            Stamp(name="hour", shift=datetime.timedelta(hours=1)),
            Stamp(name="back", shift=datetime.timedelta(days=-1)),
            Stamp(name="none", shift=None),
        ])
        now = time.time_ns() // 1_000_000
        Stamp.objects.update(uuid=UUID7("shift"), name=models.functions.Upper("name"))
        stored = {doc["name"]: doc["uuid"] for doc in documents(Stamp)}
        self.assertAlmostEqual(milliseconds(stored["HOUR"]) - now, 3_600_000, delta=5000)
        self.assertAlmostEqual(now - milliseconds(stored["BACK"]), 86_400_000, delta=5000)
        self.assertIsNone(stored["NONE"])  # UUIDV7(NULL) is NULL

    def test_create_with_a_shift(self):
        now = time.time_ns() // 1_000_000
        stamp = Stamp.objects.create(name="a", uuid=UUID7(datetime.timedelta(minutes=1)))
        stamp.refresh_from_db()
        self.assertEqual(stamp.uuid.version, 7)
        self.assertAlmostEqual(milliseconds(stamp.uuid) - now, 60_000, delta=5000)

    def test_select_refuses_to_make_uuids(self):
        Stamp.objects.create(name="a")
        with self.assertRaisesMessage(SQLDecodeError, "function UUIDV4()"):
            list(Stamp.objects.annotate(made=UUID4()))


@needs_django_6_1
class AddFieldTests(TestCase):

    def test_add_field_gives_each_existing_row_its_own_uuid(self):
        Stamp.objects.bulk_create([Stamp(name="a"), Stamp(name="b")])
        field = models.UUIDField(db_default=UUID4())
        field.set_attributes_from_name("token")
        field.model = Stamp
        with connection.schema_editor() as editor:
            editor.add_field(Stamp, field)
        try:
            stored = [doc["token"] for doc in documents(Stamp)]
            self.assertEqual(len(set(stored)), 2)
            self.assertTrue(all(value.version == 4 for value in stored))
        finally:
            with connection.schema_editor() as editor:
                editor.remove_field(Stamp, field)
