"""JSONField through the ORM: stored as native BSON, queried with Django's JSON lookups."""
import datetime
import decimal
import uuid

from bson import Decimal128, ObjectId
from django.contrib.auth.models import User
from django.db import connection, models
from django.db.models import ExpressionWrapper, F, Q, Value
from django.db.models.fields.json import KT, KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, JSONArray, JSONObject, Lower
from django.test import TestCase
from django.urls import reverse
from pymongo.errors import OperationFailure

from djongo.exceptions import SQLDecodeError
from tests.integration.jsondata.models import EncodedRecord, PlainRecord, Record
from tests.integration.probes import expression, require, skip_unless_server_runs

NESTED = {"a": {"b": {"c": [1, {"d": "x"}]}}, "n": None, "t": True, "f": 1.5}


# Documented MongoDB 4.4 expressions that the test server lacks (docs/test-server.md).
LET = expression({"$let": {"vars": {"v": {"x": 1}}, "in": "$$v.x"}})
MAP_VARIABLE_FIELD = expression({"$map": {"input": {"$literal": [1, {"d": 2}]}, "as": "e", "in": "$$e.d"}})
REGEX_MATCH = expression({"$regexMatch": {"input": "$a", "regex": "x"}})

PASSWORD = "s3cret-Passw0rd"


def array_in_object(collection):
    """Evaluate an array expression inside an expression object; the test server returns it as written."""
    value = {"$mergeObjects": [{"l": ["$a"]}]}
    found = list(collection.aggregate([{"$project": {"_id": 0, "r": value}}]))[0]["r"]
    if found != {"l": ["x"]}:
        raise OperationFailure(f"{value} evaluates to {found!r}")


def stored(model, pk):
    """Return the MongoDB document of the row ``pk``."""
    return connection.mongo_database[model._meta.db_table].find_one({"id": pk}, {"_id": 0})


class StorageTests(TestCase):
    """What is stored, and what is read back, for every kind of JSON value."""

    def test_round_trips_are_exact(self):
        values = [
            {"a": 1, "b": [1, 2, {"c": None}], "d": {"e": "f"}},
            [1, "two", 3.5, None, True, False, [], {}],
            "text",
            "7",  # a string that reads as a number in JSON
            "null",
            42,
            -1.25,
            True,
            False,
            {},
            [],
            NESTED,
        ]
        for value in values:
            with self.subTest(value=value):
                record = Record.objects.create(data=value)
                self.assertEqual(stored(Record, record.pk)["data"], value)
                loaded = Record.objects.get(pk=record.pk).data
                self.assertEqual(loaded, value)
                self.assertIs(type(loaded), type(value))

    def test_bson_types_written_by_other_clients(self):
        record = Record.objects.create(data={})
        collection = connection.mongo_database[Record._meta.db_table]
        collection.update_one({"id": record.pk}, {"$set": {"data": {
            "price": Decimal128("1.50"), "when": datetime.datetime(2024, 1, 2, 3, 4, 5), "ref": ObjectId("0" * 24),
        }}})
        self.assertEqual(Record.objects.get(pk=record.pk).data, {
            "price": 1.5, "when": "2024-01-02T03:04:05+00:00", "ref": "0" * 24,
        })

    def test_stored_as_native_document_not_text(self):
        record = Record.objects.create(data={"x": [1, 2]})
        self.assertEqual(stored(Record, record.pk), {"id": record.pk, "name": "", "data": {"x": [1, 2]}})

    def test_json_normalises_like_every_backend(self):
        # Tuples become arrays and integer keys strings, as json.loads gives them.
        record = Record.objects.create(data={1: (1, 2)})
        self.assertEqual(stored(Record, record.pk)["data"], {"1": [1, 2]})
        self.assertEqual(Record.objects.get(pk=record.pk).data, {"1": [1, 2]})

    def test_none_is_null(self):
        record = Record.objects.create(data=None)
        self.assertIsNone(stored(Record, record.pk)["data"])
        self.assertIsNone(Record.objects.get(pk=record.pk).data)
        self.assertEqual(list(Record.objects.filter(data__isnull=True)), [record])

    def test_django_jsonfield_is_native_too(self):
        record = PlainRecord.objects.create(data={"k": ["v"]})
        self.assertEqual(stored(PlainRecord, record.pk)["data"], {"k": ["v"]})
        self.assertEqual(PlainRecord.objects.get(data__k__0="v"), record)

    def test_encoder_stores_the_encoded_text(self):
        when = datetime.datetime(2024, 1, 2, 3, 4, 5)
        key = uuid.UUID("12345678-1234-5678-1234-567812345678")
        record = EncodedRecord.objects.create(data={"when": when, "id": key, "price": decimal.Decimal("1.50")})
        expected = {"when": "2024-01-02T03:04:05", "id": str(key), "price": "1.50"}
        self.assertEqual(stored(EncodedRecord, record.pk)["data"], expected)
        self.assertEqual(EncodedRecord.objects.get(pk=record.pk).data, expected)

    def test_update(self):
        record = Record.objects.create(data={"a": 1})
        Record.objects.filter(pk=record.pk).update(data={"a": [2]})
        self.assertEqual(stored(Record, record.pk)["data"], {"a": [2]})


class LookupTests(TestCase):
    """Django's JSONField lookups, with SQL's JSON path semantics."""

    @classmethod
    def setUpTestData(cls):
        cls.nested = Record.objects.create(name="nested", data=NESTED)
        cls.flat = Record.objects.create(name="flat", data={"a": "apple", "k": 3, "l": [1, 2], "n": None})
        cls.list = Record.objects.create(name="list", data=[{"a": 5}, "b", [7]])
        cls.scalar = Record.objects.create(name="scalar", data="a")
        cls.number = Record.objects.create(name="number", data=7)
        cls.null = Record.objects.create(name="null", data=None)
        cls.empty = Record.objects.create(name="empty", data={})
        cls.inner_list = Record.objects.create(name="inner_list", data={"a": ["apple"], "k": [3]})

    def names(self, *args, **kwargs):
        return sorted(Record.objects.filter(*args, **kwargs).values_list("name", flat=True))

    def test_key_transforms(self):
        self.assertEqual(self.names(data__a="apple"), ["flat"])
        self.assertEqual(self.names(data__a__b={"c": [1, {"d": "x"}]}), ["nested"])
        self.assertEqual(self.names(data__k=3), ["flat"])

    @skip_unless_server_runs("$let", LET)
    def test_keys_after_an_index(self):
        self.assertEqual(self.names(data__a__b__c__1__d="x"), ["nested"])
        self.assertEqual(self.names(data__0__a=5), ["list"])
        rows = Record.objects.filter(name="list").values_list("data__0__a", flat=True)
        self.assertEqual(list(rows), [5])

    def test_key_paths_do_not_reach_into_arrays(self):
        # MongoDB's {"data.a": 5} matches [{"a": 5}]; SQL's JSON path does not.
        self.assertEqual(self.names(data__a=5), [])
        # ... nor is an array equal to one of its elements.
        self.assertEqual(self.names(data__k=3), ["flat"])
        self.assertEqual(self.names(data__a=["apple"]), ["inner_list"])

    def test_index_transforms(self):
        self.assertEqual(self.names(data__1="b"), ["list"])
        self.assertEqual(self.names(data__0={"a": 5}), ["list"])
        self.assertEqual(self.names(data__l__1=2), ["flat"])
        self.assertEqual(self.names(data__l__5=2), [])

    def test_whole_value_exact(self):
        self.assertEqual(self.names(data={"a": "apple", "k": 3, "l": [1, 2], "n": None}), ["flat"])
        self.assertEqual(self.names(data="a"), ["scalar"])
        self.assertEqual(self.names(data=7), ["number"])
        # The array [7] inside "list" is not the value 7.
        self.assertEqual(self.names(data__2=[7]), ["list"])

    def test_json_null(self):
        # A key holding null, unlike a missing key.
        self.assertEqual(self.names(data__n=None), ["flat", "nested"])
        self.assertEqual(self.names(data__n__isnull=False), ["flat", "nested"])
        # A missing key is UNKNOWN, as SQL's NULL: excluded both ways.
        self.assertEqual(self.names(~Q(data__n=None)), [])

    def test_key_isnull(self):
        self.assertEqual(self.names(data__k__isnull=False), ["flat", "inner_list"])
        self.assertEqual(
            self.names(data__k__isnull=True),
            ["empty", "list", "nested", "null", "number", "scalar"],
        )

    def test_has_key(self):
        self.assertEqual(self.names(data__has_key="n"), ["flat", "nested"])
        self.assertEqual(self.names(data__a__has_key="b"), ["nested"])
        self.assertEqual(self.names(data__has_keys=["a", "k"]), ["flat", "inner_list"])
        self.assertEqual(self.names(data__has_any_keys=["t", "l"]), ["flat", "nested"])
        self.assertEqual(self.names(data__0__has_key="a"), ["list"])
        # The elements' keys are not the array's.
        self.assertEqual(self.names(data__has_key="a"), ["flat", "inner_list", "nested"])

    def test_exclude_has_key(self):
        self.assertEqual(
            self.names(~Q(data__has_key="a")),
            ["empty", "list", "null", "number", "scalar"],
        )

    def test_key_with_ordinary_lookups(self):
        strings = Record.objects.exclude(name__in=["nested", "inner_list"])
        self.assertEqual(list(strings.filter(data__a__startswith="app").values_list("name", flat=True)), ["flat"])
        self.assertEqual(list(strings.filter(data__a__icontains="PPL").values_list("name", flat=True)), ["flat"])
        self.assertEqual(list(strings.filter(data__k__startswith="3").values_list("name", flat=True)), ["flat"])
        # Values of different types compare in BSON's order, where arrays
        # come after numbers (PostgreSQL's jsonb order agrees).
        self.assertEqual(self.names(data__k__gt=2), ["flat", "inner_list"])
        self.assertEqual(self.names(data__k__lte=2), [])
        self.assertEqual(self.names(data__k__in=[3, 4]), ["flat"])
        self.assertEqual(self.names(data__f__gte=1.5), ["nested"])

    def test_contains(self):
        self.assertEqual(self.names(data__contains={"a": "apple"}), ["flat"])
        self.assertEqual(self.names(data__contains={"a": {"b": {"c": [1]}}}), ["nested"])
        self.assertEqual(self.names(data__contains={}), ["empty", "flat", "inner_list", "nested"])
        self.assertEqual(self.names(data__l__contains=[2]), ["flat"])
        self.assertEqual(self.names(data__contains="b"), ["list"])  # an element of the top array
        self.assertEqual(self.names(data__contains=7), ["number"])
        self.assertEqual(self.names(data__k__contains=3), ["flat", "inner_list"])

    @skip_unless_server_runs("a field of a $map variable", MAP_VARIABLE_FIELD)
    def test_contains_objects_in_arrays(self):
        self.assertEqual(self.names(data__contains={"a": {"b": {"c": [{"d": "x"}]}}}), ["nested"])
        self.assertEqual(self.names(data__contains=[{"a": 5}, [7]]), ["list"])

    def test_contained_by(self):
        self.assertEqual(
            self.names(data__contained_by={"a": "apple", "k": 3, "l": [2, 1, 5], "n": None, "x": 1}),
            ["empty", "flat"],
        )

    def test_values_and_order_by_key(self):
        rows = Record.objects.filter(data__has_key="k").order_by("-data__k").values_list("name", "data__k")
        self.assertEqual(list(rows), [("inner_list", [3]), ("flat", 3)])
        self.assertEqual(Record.objects.filter(pk=self.nested.pk).values("data__a__b")[0], {"data__a__b": {"c": [1, {"d": "x"}]}})

    def test_string_that_looks_like_json_reads_back_as_string(self):
        record = Record.objects.create(name="s", data={"v": "7"})
        self.assertEqual(Record.objects.filter(pk=record.pk).values_list("data__v", flat=True).get(), "7")

    def test_key_text_transform(self):
        rows = Record.objects.filter(name__in=["flat", "nested"]).annotate(
            a=KT("data__a"), t=KeyTextTransform("t", "data"),
        ).order_by("name").values_list("a", "t")
        self.assertEqual(list(rows), [("apple", None), ('{"b": {"c": [1, {"d": "x"}]}}', "true")])
        self.assertEqual(self.names(data__k__exact=KeyTransform("k", "data")), ["flat", "inner_list"])

    def test_has_key_from_expression(self):
        self.assertEqual(self.names(data__has_key=F("data__0__a")), ["list"])

    def test_refused(self):
        with self.assertRaisesMessage(SQLDecodeError, "JSON key 'a.b'"):
            list(Record.objects.filter(data__has_key="a.b"))
        with self.assertRaisesMessage(SQLDecodeError, "JSON_TEXT()"):
            list(Record.objects.filter(data__icontains="apple"))


class JSONObjectTests(TestCase):
    """JSONObject(): a document built from key/value pairs, stored and read as JSON."""

    @classmethod
    def setUpTestData(cls):
        cls.flat = Record.objects.create(name="Flat", data={"a": "apple", "k": 3})
        cls.empty = Record.objects.create(name="Empty", data=None)

    def test_pairs_of_columns_expressions_and_values(self):
        row = Record.objects.annotate(obj=JSONObject(
            name=Lower("name"), a="data__a", k=F("data__k"), missing="data__zz", price=Value(2.5),
        )).get(pk=self.flat.pk)
        self.assertEqual(row.obj, {"name": "flat", "a": "apple", "k": 3, "missing": None, "price": 2.5})
        # The keys keep the order they were given in.
        self.assertEqual(list(row.obj), ["name", "a", "k", "missing", "price"])

    def test_null_values_are_kept_as_null(self):
        row = Record.objects.annotate(obj=JSONObject(data="data", a="data__a")).get(pk=self.empty.pk)
        self.assertEqual(row.obj, {"data": None, "a": None})

    def test_nested_and_empty(self):
        row = Record.objects.annotate(obj=JSONObject(
            outer=JSONObject(inner=JSONObject(name="name")), none=JSONObject(),
        )).get(pk=self.flat.pk)
        self.assertEqual(row.obj, {"outer": {"inner": {"name": "Flat"}}, "none": {}})

    def test_whole_json_value_inside(self):
        row = Record.objects.annotate(obj=JSONObject(data="data")).get(pk=self.flat.pk)
        self.assertEqual(row.obj, {"data": {"a": "apple", "k": 3}})

    @skip_unless_server_runs("an array expression inside an expression object", array_in_object)
    def test_array_inside(self):
        row = Record.objects.annotate(obj=JSONObject(l=JSONArray("name", "data__k"))).get(pk=self.flat.pk)
        self.assertEqual(row.obj, {"l": ["Flat", 3]})

    def test_order_and_filter_by_a_key(self):
        Record.objects.create(name="Banana", data={"a": "banana"})
        annotated = Record.objects.annotate(obj=JSONObject(n=JSONObject(name="name")))
        self.assertEqual(
            list(annotated.order_by("-obj__n__name").values_list("name", flat=True)),
            ["Flat", "Empty", "Banana"],
        )
        self.assertEqual(list(annotated.filter(obj__n__name="Banana").values_list("name", flat=True)), ["Banana"])
        # A key the object does not have is NULL.
        self.assertEqual(list(annotated.filter(obj__zz__isnull=False)), [])

    def test_keys_a_field_name_cannot_be_are_refused(self):
        for key in ("a.b", "$where"):
            with self.subTest(key=key), self.assertRaisesMessage(SQLDecodeError, f"JSON key {key!r}"):
                list(Record.objects.annotate(obj=JSONObject(**{key: "name"})))


class CastToJSONTests(TestCase):
    """Cast(x, JSONField()) of a JSON value is that value; of anything else, refused."""

    @classmethod
    def setUpTestData(cls):
        cls.record = Record.objects.create(name="r", data={"d": ["e", "f"], "n": 1})
        Record.objects.create(name="other", data={"d": ["x", "y"]})

    def test_cast_of_a_key_is_the_value(self):
        rows = Record.objects.annotate(
            key=F("data__d"), expr=Cast("key", models.JSONField()),
        ).filter(expr__1="f")
        self.assertEqual(list(rows), [self.record])
        self.assertEqual(rows.values_list("expr", flat=True).get(), ["e", "f"])

    def test_key_of_a_cast(self):
        rows = Record.objects.annotate(
            chain=KeyTransform("0", KeyTransform("d", "data")),
            expr=KeyTransform("0", Cast(KeyTransform("d", "data"), models.JSONField())),
        ).filter(chain=F("expr"))
        self.assertEqual(sorted(rows.values_list("name", flat=True)), ["other", "r"])

    def test_cast_of_the_whole_field_compares_whole_values(self):
        rows = Record.objects.annotate(expr=Cast("data", models.JSONField()))
        self.assertEqual(list(rows.filter(expr={"d": ["e", "f"], "n": 1})), [self.record])

    def test_cast_of_a_field_stored_as_json_is_the_value(self):
        # Wagtail's StreamField is no JSONField subclass; its internal type
        # is "JSONField", and djongo stores it as JSON. Its streamfield
        # migrations read Cast(F("body"), JSONField()).
        class StoredAsJSON(models.Field):
            def get_internal_type(self):
                return "JSONField"

        stream = ExpressionWrapper(F("data"), output_field=StoredAsJSON())
        rows = Record.objects.annotate(expr=Cast(stream, models.JSONField()))
        self.assertEqual(rows.values_list("expr", flat=True).get(pk=self.record.pk), {"d": ["e", "f"], "n": 1})
        self.assertEqual(list(rows.filter(expr={"d": ["e", "f"], "n": 1})), [self.record])
        Record.objects.filter(pk=self.record.pk).update(data=Cast(stream, models.JSONField()))
        self.assertEqual(stored(Record, self.record.pk)["data"], {"d": ["e", "f"], "n": 1})

    def test_cast_of_text_is_refused(self):
        # PostgreSQL parses the text as JSON; MongoDB 4.4 cannot.
        with self.assertRaisesMessage(SQLDecodeError, "JSON_CAST(): CAST to JSONField of a value that is not JSON"):
            list(Record.objects.annotate(expr=Cast("name", models.JSONField())))


class KeyRegexTests(TestCase):
    """regex and iregex on a key read the key's text, as KT() gives it."""

    def setUp(self):
        require(self, "$regexMatch", REGEX_MATCH)

    @classmethod
    def setUpTestData(cls):
        Record.objects.create(name="apple", data={"a": "Apple pie", "k": 30})
        Record.objects.create(name="number", data={"a": 12})
        Record.objects.create(name="none", data={"b": 1})

    def names(self, *args, **kwargs):
        return sorted(Record.objects.filter(*args, **kwargs).values_list("name", flat=True))

    def test_regex(self):
        self.assertEqual(self.names(data__a__regex=r"^Apple"), ["apple"])
        self.assertEqual(self.names(data__a__regex=r"^apple"), [])
        # A number matches as its text.
        self.assertEqual(self.names(data__k__regex=r"^3\d$"), ["apple"])
        self.assertEqual(self.names(data__a__regex=r"^\d+$"), ["number"])

    def test_iregex(self):
        self.assertEqual(self.names(data__a__iregex=r"^apple PIE$"), ["apple"])

    def test_missing_key_is_unknown(self):
        # A missing key is NULL: neither the lookup nor its negation matches it.
        self.assertEqual(self.names(~Q(data__k__regex="^9")), ["apple"])

    def test_pattern_is_only_a_pattern(self):
        self.assertEqual(self.names(data__a__regex="$ne"), [])


class JSONFieldAdminTests(TestCase):
    """A JSONField through the admin's add and change forms is stored as a native value."""

    @classmethod
    def setUpTestData(cls):
        User.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    def setUp(self):
        self.client.login(username="boss", password=PASSWORD)

    def test_add_and_change(self):
        response = self.client.post(reverse("admin:jsondata_record_add"), {
            "name": "added", "data": '{"a": [1, 2.5, null], "b": {"c": "d"}, "t": true}',
        })
        self.assertEqual(response.status_code, 302, response.content[:3000])
        record = Record.objects.get(name="added")
        self.assertEqual(stored(Record, record.pk)["data"], {"a": [1, 2.5, None], "b": {"c": "d"}, "t": True})
        change_url = reverse("admin:jsondata_record_change", args=(record.pk,))
        # The change form shows the value as JSON text.
        self.assertContains(self.client.get(change_url), "&quot;c&quot;: &quot;d&quot;")
        response = self.client.post(change_url, {"name": "added", "data": '[{"x": 1}, "y"]'})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertEqual(stored(Record, record.pk)["data"], [{"x": 1}, "y"])
        self.assertEqual(Record.objects.get(pk=record.pk).data, [{"x": 1}, "y"])

    def test_scalar_and_invalid_json(self):
        response = self.client.post(reverse("admin:jsondata_record_add"), {"name": "text", "data": '"7"'})
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertEqual(stored(Record, Record.objects.get(name="text").pk)["data"], "7")
        response = self.client.post(reverse("admin:jsondata_record_add"), {"name": "bad", "data": "{'a': 1}"})
        self.assertEqual(response.status_code, 200)  # the form shows the error
        self.assertContains(response, "Enter a valid JSON.")
        self.assertFalse(Record.objects.filter(name="bad").exists())

    def test_changelist(self):
        record = Record.objects.create(name="listed", data={"a": 1})
        response = self.client.get(reverse("admin:jsondata_record_changelist"))
        self.assertContains(response, reverse("admin:jsondata_record_change", args=(record.pk,)))
