"""Values round-trip unchanged, and are stored as native BSON types."""
import datetime
import decimal
import uuid

from bson.binary import Binary
from bson.decimal128 import Decimal128
from django.db import DataError, connection
from django.contrib.auth.models import User
from django.db.models import Q
from django.test import TestCase, override_settings
from django.utils import timezone

from tests.integration import probes
from tests.integration.app.models import Kitchen


class RoundTripTests(TestCase):

    def roundtrip(self, **values):
        created = Kitchen.objects.create(name="v", **values)
        loaded = Kitchen.objects.get(pk=created.pk)
        document = connection.mongo_database["app_kitchen"].find_one({"id": created.pk})
        return loaded, document

    def test_aware_datetime_is_stored_as_utc_date(self):
        moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        loaded, document = self.roundtrip(seen=moment)
        self.assertEqual(loaded.seen, moment)
        self.assertEqual(loaded.seen.tzinfo, datetime.timezone.utc)
        self.assertEqual(document["seen"], datetime.datetime(2024, 5, 6, 5, 8, 9, 123000))

    def test_datetime_filters_compare_instants(self):
        moment = timezone.make_aware(datetime.datetime(2024, 1, 1, 12))
        Kitchen.objects.create(name="early", seen=moment)
        Kitchen.objects.create(name="late", seen=moment + datetime.timedelta(days=1))
        names = Kitchen.objects.filter(seen__gt=moment).values_list("name", flat=True)
        self.assertEqual(list(names), ["late"])

    @override_settings(USE_TZ=False)
    def test_naive_datetime_without_time_zone_support(self):
        moment = datetime.datetime(2023, 12, 31, 23, 59, 58, 999000)
        loaded, document = self.roundtrip(seen=moment)
        self.assertEqual(loaded.seen, moment)
        self.assertIsNone(loaded.seen.tzinfo)
        self.assertEqual(document["seen"], moment)

    def test_date_time_decimal_uuid_bool_bytes_none(self):
        values = {
            "born": datetime.date(1999, 12, 31),
            "alarm": datetime.time(6, 30, 15, 250),
            "price": decimal.Decimal("1234.50"),
            "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "is_active": False,
            "blob": b"\x00\x01binary\xff",
            "ratio": None,
            "big": 2**40,
            "span": datetime.timedelta(days=1, microseconds=5),
        }
        loaded, document = self.roundtrip(**values)
        for field, value in values.items():
            self.assertEqual(bytes(getattr(loaded, field)) if field == "blob" else getattr(loaded, field), value, field)
        self.assertEqual(document["born"], datetime.datetime(1999, 12, 31))
        self.assertEqual(document["alarm"], "06:30:15.000250")
        self.assertEqual(document["price"], Decimal128("1234.50"))
        # Stored as a BSON UUID (binary subtype 4), which pymongo reads back as uuid.UUID.
        self.assertEqual(document["uid"], values["uid"])
        self.assertEqual(connection.mongo_database["app_kitchen"].count_documents({"uid": Binary.from_uuid(values["uid"])}), 1)
        self.assertIs(document["is_active"], False)
        self.assertEqual(document["blob"], b"\x00\x01binary\xff")
        self.assertIsNone(document["ratio"])
        self.assertEqual(document["span"], 86400000005)

    def test_filters_on_each_type(self):
        Kitchen.objects.create(name="a", born=datetime.date(2000, 1, 1), price=decimal.Decimal("9.99"), alarm=datetime.time(8))
        Kitchen.objects.create(name="b", born=datetime.date(2001, 1, 1), price=decimal.Decimal("10.00"), alarm=datetime.time(20))
        self.assertEqual(list(Kitchen.objects.filter(born__year=2001).values_list("name", flat=True)), ["b"])
        self.assertEqual(list(Kitchen.objects.filter(price__lt=decimal.Decimal("10")).values_list("name", flat=True)), ["a"])
        self.assertEqual(list(Kitchen.objects.filter(alarm__gt=datetime.time(12)).values_list("name", flat=True)), ["b"])

    def test_bson_dates_keep_milliseconds(self):
        # BSON dates count milliseconds; finer precision is truncated.
        moment = timezone.make_aware(datetime.datetime(2024, 1, 1, 0, 0, 0, 123456))
        loaded, _ = self.roundtrip(seen=moment)
        self.assertEqual(loaded.seen, moment.replace(microsecond=123000))


class DecimalTests(TestCase):
    """DecimalField values are stored as Django's other backends store them (price: 10 digits, 2 places)."""

    def test_values_are_rounded_to_the_fields_decimal_places(self):
        kitchen = Kitchen.objects.create(name="k", price=decimal.Decimal("1.005"))
        stored = connection.mongo_database["app_kitchen"].find_one({"id": kitchen.pk})["price"]
        # Rounded half to even, as format_number() does for SQL backends.
        self.assertEqual(stored, Decimal128("1.00"))
        self.assertEqual(Kitchen.objects.get(pk=kitchen.pk).price, decimal.Decimal("1.00"))
        self.assertEqual(Kitchen.objects.filter(price=decimal.Decimal("1.00")).count(), 1)
        self.assertEqual(Kitchen.objects.filter(price=decimal.Decimal("1.005")).count(), 1)

    def test_a_value_decimal128_cannot_hold_is_refused_before_writing_naming_the_column(self):
        from django.db import DataError

        with self.assertRaisesMessage(DataError, "app_kitchen.price: Decimal 1111111111111111111111111111111111111111 "
                                                 "does not fit BSON's Decimal128"):
            Kitchen.objects.create(name="k", price=decimal.Decimal("1" * 40))
        kitchen = Kitchen.objects.create(name="k", price=1)
        with self.assertRaisesMessage(DataError, "app_kitchen.price:"):
            Kitchen.objects.filter(pk=kitchen.pk).update(price=decimal.Decimal("1" * 40))
        self.assertEqual(Kitchen.objects.get().price, decimal.Decimal("1.00"))
        # A lookup may compare with a value larger than the column holds.
        self.assertEqual(Kitchen.objects.filter(price__gte=10**11).count(), 0)

    def test_every_stored_value_reads_back(self):
        # Written by another program with more digits than Python's default
        # 28-digit context rounds to.
        connection.mongo_database["app_kitchen"].insert_one({
            "id": 1, "name": "k", "count": 0, "is_active": True, "price": Decimal128("1234567890123456789012345678.25"),
        })
        self.assertEqual(Kitchen.objects.get(pk=1).price, decimal.Decimal("1234567890123456789012345678.25"))


class ForeignDocumentTests(TestCase):
    """
    Documents another program wrote: values of the same meaning read back,
    any other shape raises DataError naming the column (issue 22), as no
    SQL database can hold them.
    """

    def insert(self, **fields):
        connection.mongo_database["app_kitchen"].insert_one(
            {"id": 1, "name": "k", "count": 0, "is_active": True, **fields},
        )

    def test_text_of_a_date_or_a_time_reads_back(self):
        self.insert(seen="2024-05-01T10:20:30", born="2024-05-01", alarm="07:30:00")
        kitchen = Kitchen.objects.get()
        self.assertEqual(kitchen.seen, datetime.datetime(2024, 5, 1, 10, 20, 30, tzinfo=datetime.timezone.utc))
        self.assertEqual(kitchen.born, datetime.date(2024, 5, 1))
        self.assertEqual(kitchen.alarm, datetime.time(7, 30))

    def test_other_shapes_raise_data_error_naming_the_column(self):
        cases = [
            ("seen", {"at": 1}, "DateTimeField app_kitchen.seen holds {'at': 1} (BSON object), not a date", "object"),
            ("seen", "yesterday", "DateTimeField app_kitchen.seen holds 'yesterday' (BSON string)", "string"),
            ("born", [2024, 5, 1], "DateField app_kitchen.born holds [2024, 5, 1] (BSON array), not a date", "array"),
            ("alarm", 730, "TimeField app_kitchen.alarm holds 730 (BSON number), not a time of day", "number"),
            ("price", "ten", "DecimalField app_kitchen.price holds 'ten' (BSON string), not a decimal number",
             "string"),
            ("span", {"days": 1}, "DurationField app_kitchen.span holds {'days': 1} (BSON object)", "object"),
        ]
        for column, stored, message, kind in cases:
            with self.subTest(column=column, stored=stored):
                connection.mongo_database["app_kitchen"].delete_many({})
                self.insert(**{column: stored})
                finding = f'db.app_kitchen.find({{"{column}": {{"$type": "{kind}"}}}})'
                with self.assertRaises(DataError) as raised:
                    list(Kitchen.objects.all())
                self.assertIn(message, str(raised.exception))
                self.assertIn(finding, str(raised.exception))
                # The query reads the primary key: the row is named too.
                self.assertTrue(str(raised.exception).endswith(" (the row whose id is 1)"), raised.exception)
                with self.assertRaises(DataError) as raised:
                    list(Kitchen.objects.values(column))
                self.assertIn(message, str(raised.exception))
                # The other columns stay readable.
                self.assertEqual(list(Kitchen.objects.values_list("name", flat=True)), ["k"])

    @override_settings(ROOT_URLCONF="tests.integration.foreign_urls")
    def test_the_admin_changelist_names_the_column_and_the_row(self):
        self.insert(seen={"at": 1})
        self.client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
        with self.assertRaises(DataError) as raised:
            self.client.get("/foreign-admin/app/kitchen/")
        self.assertIn("DateTimeField app_kitchen.seen holds {'at': 1} (BSON object), not a date", str(raised.exception))
        self.assertIn("(the row whose id is 1)", str(raised.exception))
        connection.mongo_database["app_kitchen"].update_one({"id": 1}, {"$set": {"seen": "2024-05-01T10:20:30"}})
        self.assertContains(self.client.get("/foreign-admin/app/kitchen/"), "May 1, 2024")


class UUIDTextLookupTests(TestCase):
    """
    Text lookups on a UUIDField compare the UUID's text, as PostgreSQL's
    uid::text does, though MongoDB stores the binary and matches regular
    expressions against strings only (issue 22): bit tests on the binary
    (translate/uuid_text.py), checked against Python's str(uuid).
    """

    UIDS = [
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        uuid.UUID("abcdef01-5678-1234-9abc-def012345678"),
        uuid.UUID("00000000-0000-4000-8000-000000000000"),
        uuid.UUID("ffffffff-ffff-4fff-bfff-ffffffffffff"),
        uuid.UUID("5678abcd-1234-7000-a000-0000deadbeef"),
    ]
    VALUES = [
        "5678-1234", "5678", "1234", "abcdef", "ABCDEF", "-", "f-f", "12345678-1234-5678-1234-567812345678",
        "12345678-1234-5678-1234-56781234567", "ABCDEF01-5678-1234-9ABC-DEF012345678", "deadbeef", "0000",
        "xyz", "1234_5678", "%", "", "4000-8", "ffffffffffff", "5678abcd", "beef",
    ]
    LOOKUPS = {
        "iexact": lambda text, value: text == value.lower(),
        "contains": lambda text, value: value in text,
        "icontains": lambda text, value: value.lower() in text,
        "startswith": lambda text, value: text.startswith(value),
        "istartswith": lambda text, value: text.startswith(value.lower()),
        "endswith": lambda text, value: text.endswith(value),
        "iendswith": lambda text, value: text.endswith(value.lower()),
    }

    @classmethod
    def setUpTestData(cls):
        Kitchen.objects.bulk_create([Kitchen(name=str(uid), uid=uid) for uid in cls.UIDS] + [Kitchen(name="none")])

    def check_lookups(self, lookups):
        for lookup in lookups:
            holds = self.LOOKUPS[lookup]
            for value in self.VALUES:
                with self.subTest(lookup=lookup, value=value):
                    expected = sorted(str(uid) for uid in self.UIDS if holds(str(uid), value))
                    found = Kitchen.objects.filter(**{f"uid__{lookup}": value}).values_list("name", flat=True)
                    self.assertEqual(sorted(found), expected)
                    # exclude() keeps the NULL row too: Django writes NOT (lookup AND uid IS NOT NULL).
                    excluded = Kitchen.objects.exclude(**{f"uid__{lookup}": value}).values_list("name", flat=True)
                    self.assertEqual(sorted(excluded), sorted({*map(str, self.UIDS), "none"} - set(expected)))
                    # NOT of the lookup alone never matches the NULL row: NULL LIKE x is UNKNOWN.
                    negated = Kitchen.objects.filter(~Q(**{f"uid__{lookup}": value}), uid__isnull=False)
                    self.assertEqual(sorted(negated.values_list("name", flat=True)),
                                     sorted(set(map(str, self.UIDS)) - set(expected)))

    def test_exact_and_prefix_lookups_match_the_text(self):
        # An equality or a range of the binary.
        self.check_lookups(["iexact", "startswith", "istartswith"])

    @probes.skip_unless_server_runs("$bitsAllSet", probes.bits_all_set_on_binary)
    def test_other_lookups_match_the_text(self):
        # Bit tests of the binary's digits at each place the text can hold the value.
        self.check_lookups(["contains", "icontains", "endswith", "iendswith"])

    def test_a_regex_or_a_joined_column_is_refused(self):
        from djongo.exceptions import SQLDecodeError
        with self.assertRaisesMessage(SQLDecodeError, "a UUID as text"):
            list(Kitchen.objects.filter(uid__regex="^1234"))
