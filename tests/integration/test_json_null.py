"""
JSON null in a JSONField: Django 6.1's JSONNull(), Value(None, JSONField()),
and None in JSON lookups, checked against what MongoDB stores.

MongoDB has one null, so a top-level JSON null and SQL's NULL are stored
alike and the whole field cannot tell them apart (docs/json-field.md);
inside a value JSON null is kept apart from a missing key.
"""
import unittest
import warnings

import django
from django.db import IntegrityError, connection
from django.db.models import JSONField, Value
from django.test import TestCase

from tests.integration.jsondata.models import PlainRecord, Record

if django.VERSION >= (6, 1):
    from django.db.models import JSONNull
    from django.utils.deprecation import RemovedInDjango2028Warning

needs_django_6_1 = unittest.skipUnless(django.VERSION >= (6, 1), "JSONNull() came with Django 6.1")


def stored(model, pk):
    return connection.mongo_database[model._meta.db_table].find_one({"id": pk}, {"_id": 0})


class JSONNullValueTests(TestCase):
    """Value(None, JSONField()) is JSON null on every Django version."""

    def test_a_not_null_field_holds_json_null(self):
        record = PlainRecord.objects.create(data=Value(None, JSONField()))
        self.assertEqual(stored(PlainRecord, record.pk), {"id": record.pk, "data": None})
        record.refresh_from_db()
        self.assertIsNone(record.data)
        # SQL NULL is still refused there.
        with self.assertRaisesMessage(IntegrityError, "NOT NULL constraint failed: jsondata_plainrecord.data"):
            PlainRecord.objects.create(data=None)

    def test_key_in_a_list_holding_json_null(self):
        # None in an IN list is SQL's NULL, which matches nothing.
        held = Record.objects.create(name="held", data={"k": None})
        Record.objects.create(name="missing", data={})
        one = Record.objects.create(name="one", data={"k": [1]})
        self.assertEqual(list(Record.objects.filter(data__k__in=[None, [1]])), [one])
        self.assertEqual(list(Record.objects.filter(data__k=None)), [held])


@needs_django_6_1
class JSONNullTests(TestCase):

    def test_create_save_update_store_null(self):
        record = PlainRecord.objects.create(data=JSONNull())
        self.assertEqual(stored(PlainRecord, record.pk), {"id": record.pk, "data": None})
        self.assertIsNone(record.data)
        record.data = {"a": 1}
        record.save()
        PlainRecord.objects.update(data=JSONNull())
        self.assertEqual(stored(PlainRecord, record.pk), {"id": record.pk, "data": None})
        record.data = JSONNull()
        record.save()
        record.refresh_from_db()
        self.assertIsNone(record.data)

    def test_bulk_update(self):
        records = [PlainRecord.objects.create(data={"k": index}) for index in range(2)]
        for record in records:
            record.data = JSONNull()
        PlainRecord.objects.bulk_update(records, ["data"])
        self.assertEqual([stored(PlainRecord, record.pk)["data"] for record in records], [None, None])

    def test_filter_on_the_whole_field_matches_the_one_null(self):
        json_null = Record.objects.create(name="json", data=JSONNull())
        sql_null = Record.objects.create(name="sql", data=None)
        Record.objects.create(name="value", data={"a": 1})
        # MongoDB stores both as null: JSONNull() matches both, and so does isnull.
        self.assertEqual(list(Record.objects.filter(data=JSONNull())), [json_null, sql_null])
        self.assertEqual(list(Record.objects.filter(data__isnull=True)), [json_null, sql_null])

    def test_keys_and_indexes(self):
        held = Record.objects.create(name="held", data={"k": None, "l": ["a", None]})
        Record.objects.create(name="missing", data={"l": ["a", "b"]})
        valued = Record.objects.create(name="valued", data={"k": 1, "l": ["a"]})
        self.assertEqual(list(Record.objects.filter(data__k=JSONNull())), [held])
        self.assertEqual(list(Record.objects.filter(data__l__1=JSONNull())), [held])
        # A missing key is UNKNOWN, as SQL's NULL: excluded from both sides.
        self.assertEqual(list(Record.objects.exclude(data__k=JSONNull())), [valued])

    def test_in_lists(self):
        json_null = Record.objects.create(name="json", data=JSONNull())
        array = Record.objects.create(name="array", data=[1])
        Record.objects.create(name="holds foo", data=["foo", "bar"])
        text = Record.objects.create(name="foo", data="foo")
        # Whole values: ["foo", "bar"] holds "foo" but is not "foo".
        self.assertEqual(list(Record.objects.filter(data__in=[JSONNull(), [1], "foo"])), [json_null, array, text])
        self.assertEqual(list(Record.objects.filter(data__in=[[1], "foo"])), [array, text])
        held = Record.objects.create(name="held", data={"k": None})
        Record.objects.create(name="missing", data={})
        zero = Record.objects.create(name="zero", data={"k": 0})
        self.assertEqual(list(Record.objects.filter(data__k__in=[JSONNull(), 0])), [held, zero])
        self.assertEqual(list(Record.objects.filter(data__k__in=[JSONNull()])), [held])

    def test_none_is_deprecated_for_json_null(self):
        record = Record.objects.create(name="json", data=JSONNull())
        with self.assertWarnsMessage(RemovedInDjango2028Warning, "Use JSONNull() instead"):
            self.assertEqual(list(Record.objects.filter(data=None)), [record])
        # The warning names the code that made the query, not djongo's.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(Record.objects.filter(data=None))
        self.assertEqual([warning.filename for warning in caught], [__file__])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            # A key's None is not deprecated.
            list(Record.objects.filter(data__k=None))
