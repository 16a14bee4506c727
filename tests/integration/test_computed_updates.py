"""
Updates to computed values through the ORM, checked in MongoDB.

djongo sends them as update pipelines; on a server that refuses those (the
local test server) it computes the values with an aggregation and writes
them with bulk_write (djongo/computed_updates.py). Either way the stored
documents must be what the pipeline update stores.
"""
import datetime

from django.db import connection
from django.db.models import Case, Count, F, OuterRef, Subquery, Value, When
from bson.int64 import Int64
from django.db.models.functions import Concat, Length, Now, Upper
from django.test import TestCase
from django.utils import timezone

from djongo import computed_updates
from tests.integration.app.models import Author, Book, Kitchen
from tests.integration.documents import stored


def fields(table, *names):
    """Return the values of ``names`` per stored document of ``table``, by id."""
    return [tuple(doc.get(name) for name in names) for doc in stored(table)]


def now_is_fixed_within_a_command():
    """Return whether the server gives $$NOW one value for a whole aggregation, as MongoDB documents."""
    probe = connection.mongo_database["now_probe"]
    probe.drop()
    probe.insert_many([{"i": i} for i in range(2000)])
    try:
        [found] = probe.aggregate([{"$group": {"_id": None, "low": {"$min": "$$NOW"}, "high": {"$max": "$$NOW"}}}])
    finally:
        probe.drop()
    return found["low"] == found["high"]


class ComputedUpdateTests(TestCase):

    def setUp(self):
        Kitchen.objects.create(name="pan", code="p1", count=1, ratio=0.5)
        Kitchen.objects.create(name="pot", code=None, count=2, big=7)
        Kitchen.objects.create(name="lid", code="l3", count=3)

    def test_a_column_from_another(self):
        self.assertEqual(Kitchen.objects.filter(count__gte=2).update(notes=F("name")), 2)
        self.assertEqual(fields("app_kitchen", "notes"), [("",), ("pot",), ("lid",)])

    def test_concat(self):
        Kitchen.objects.update(notes=Concat("name", Value("-"), "code"))
        # Django's Concat reads a NULL part as '' on this backend, as on SQLite.
        self.assertEqual(fields("app_kitchen", "notes"), [("pan-p1",), ("pot-",), ("lid-l3",)])

    def test_case_when(self):
        Kitchen.objects.update(count=Case(When(name="pot", then=Value(20)), default=F("count") + 10))
        self.assertEqual(fields("app_kitchen", "count"), [(11,), (20,), (13,)])

    def test_a_quotient_stored_in_an_integer_column_is_an_integer(self):
        # django-treebeard's update(depth=Length("path") / steplen): $divide
        # gives a double, which an integer column must not hold (it reads
        # back as a float). The compiler casts it, truncating as integer
        # division does on PostgreSQL and SQLite.
        Kitchen.objects.update(count=Length("name") / 2, big=F("big") / 2, ratio=F("count") / 2)
        self.assertEqual(fields("app_kitchen", "count", "big", "ratio"),
                         [(1, None, 0.5), (1, 3, 1.0), (1, None, 1.5)])
        self.assertEqual([type(doc["count"]) for doc in stored("app_kitchen")], [int, int, int])
        self.assertIsInstance(stored("app_kitchen")[1]["big"], Int64)
        self.assertEqual([(k.count, type(k.count)) for k in Kitchen.objects.order_by("id")], [(1, int)] * 3)
        # A float column keeps the exact quotient; a step stays a step.
        Kitchen.objects.filter(name="pot").update(count=F("count") + 1)
        self.assertEqual(Kitchen.objects.get(name="pot").count, 2)

    def test_upper(self):
        self.assertEqual(Kitchen.objects.exclude(code=None).update(code=Upper("code")), 2)
        self.assertEqual(fields("app_kitchen", "code"), [("P1",), (None,), ("L3",)])

    def test_now(self):
        before = timezone.now().replace(microsecond=0)
        Kitchen.objects.update(seen=Now())
        after = timezone.now() + datetime.timedelta(seconds=1)
        seen = [doc["seen"] for doc in stored("app_kitchen")]
        # One statement, one time: $$NOW holds for the whole command on
        # MongoDB. The local test server reads its clock at each use of
        # $$NOW (docs/test-server.md), so there the values may differ by
        # the milliseconds the command takes.
        if now_is_fixed_within_a_command():
            self.assertEqual(len(set(seen)), 1)
        self.assertTrue(before.replace(tzinfo=None) <= seen[0] <= after.replace(tzinfo=None), seen)

    def test_null_and_several_columns(self):
        # A NULL operand gives NULL; every column computed from the values
        # the document had before the statement.
        Kitchen.objects.update(big=F("count") * 100, count=F("big"), ratio=F("ratio") + 1)
        self.assertEqual(
            fields("app_kitchen", "big", "count", "ratio"),
            [(100, None, 1.5), (200, 7, None), (300, None, None)],
        )

    def test_through_a_relation_in_the_filter(self):
        ann = Author.objects.create(name="Ann")
        Book.objects.create(title="a", author=ann, pages=10)
        Book.objects.create(title="b", author=Author.objects.create(name="Bob"), pages=20)
        self.assertEqual(Book.objects.filter(author__name="Ann").update(title=Concat("title", Value("!"))), 1)
        self.assertEqual(sorted(Book.objects.values_list("title", flat=True)), ["a!", "b"])

    def test_same_documents_as_the_aggregation_stage(self):
        # A document without the field read (written behind the ORM's back):
        # what $addFields gives there is what the update stores, whichever
        # form ran it.
        collection = connection.mongo_database["app_kitchen"]
        collection.insert_one({"id": 99, "name": "raw", "count": 5, "ratio": 2.5})
        stage = [{"$addFields": {"ratio": "$big"}}]
        expected = {doc["id"]: doc for doc in collection.aggregate([*stage, {"$project": {"_id": 0}}])}
        Kitchen.objects.update(ratio=F("big"))
        self.assertEqual({doc["id"]: doc for doc in stored("app_kitchen")}, expected)
        self.assertNotIn("ratio", stored("app_kitchen", id=99)[0])

    def test_no_rows(self):
        self.assertEqual(Kitchen.objects.filter(name="none").update(notes=Upper("name")), 0)


class CorrelatedSubqueryTests(TestCase):
    """
    UPDATE ... SET x = (a correlated SELECT), which no update pipeline can
    run (it takes a $lookup): the new values are read with an aggregation
    and written per document by compare-and-set, on every server.
    """

    def setUp(self):
        ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob")
        for title, author in [("a", ann), ("b", ann), ("c", bob)]:
            Book.objects.create(title=title, author=author)
        # Sliced: Django 6.1 refuses an unsliced subquery on the right of
        # an exact lookup (the exclude() below).
        self.written = Subquery(
            Book.objects.filter(author=OuterRef("author")).values("author").annotate(n=Count("pk")).values("n")[:1]
        )

    def test_set_to_a_count_of_related_rows(self):
        self.assertEqual(Book.objects.update(pages=self.written), 3)
        self.assertEqual(fields("app_book", "title", "pages"), [("a", 2), ("b", 2), ("c", 1)])
        # The joined rows are not stored.
        self.assertEqual({name for doc in stored("app_book") for name in doc if name.startswith("__")}, set())

    def test_filtered_by_the_same_subquery(self):
        # django-treebeard's fix_tree(): annotate the real count, exclude
        # the rows that hold it, update the others to it.
        Book.objects.filter(title="a").update(pages=2)
        wrong = Book.objects.annotate(real=self.written).exclude(pages=F("real"))
        self.assertEqual(wrong.update(pages=F("real")), 2)
        self.assertEqual(fields("app_book", "title", "pages"), [("a", 2), ("b", 2), ("c", 1)])
        self.assertEqual(wrong.update(pages=F("real")), 0)

    def test_no_row_is_null(self):
        # A correlated scalar subquery that finds no row is NULL, as in SQL.
        ann = Author.objects.get(name="Ann")
        Book.objects.update(editor=ann)
        named_ann = Subquery(Author.objects.filter(pk=OuterRef("author"), name="Ann").values("pk"))
        self.assertEqual(Book.objects.update(editor=named_ann), 3)
        self.assertEqual(fields("app_book", "title", "editor_id"), [("a", ann.pk), ("b", ann.pk), ("c", None)])


class BatchTests(TestCase):

    def test_one_read_and_a_compare_and_set_per_row(self):
        rows = computed_updates.BATCH_SIZE * 2 + 500
        Kitchen.objects.bulk_create([Kitchen(name=f"k{number}", count=number) for number in range(rows)])
        with self.assertLogs("djongo", "DEBUG") as logs:
            self.assertEqual(Kitchen.objects.update(notes=Upper("name"), count=F("count") * 2 + 1), rows)
        writes = [line for line in logs.output if ".update_one(" in line or ".update_many(" in line]
        if connection.connection.supports_update_pipelines:
            self.assertEqual(len(writes), 1)
            self.assertIn(".update_many(", writes[0])
        else:
            # Read in batches of BATCH_SIZE by one aggregation; each row
            # written by its own compare-and-set, unchallenged here.
            self.assertEqual(len(writes), rows)
            self.assertEqual(len([line for line in logs.output if ".aggregate(" in line]), 1)
        documents = stored("app_kitchen")
        self.assertEqual(len(documents), rows)
        self.assertEqual(
            [(doc["notes"], doc["count"]) for doc in documents],
            [(f"K{number}", number * 2 + 1) for number in range(rows)],
        )

    def test_the_probe_is_asked_once_per_client(self):
        connection.ensure_connection()
        supported = connection.connection.supports_update_pipelines
        with self.assertNoLogs("djongo", "INFO"):
            self.assertEqual(connection.connection.supports_update_pipelines, supported)
        # The probe writes nothing.
        self.assertEqual(connection.mongo_database["__schema__"].count_documents({"__djongo_probe": {"$exists": True}}), 0)
