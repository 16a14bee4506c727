"""Each SQL form of the core transpiler, through the ORM, checked in MongoDB too."""
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.test import TestCase

from tests.integration.app.models import Author, Book, Kitchen
from tests.integration.documents import stored


class InsertTests(TestCase):

    def test_insert_one_row_gets_next_id_and_stores_document(self):
        first = Author.objects.create(name="Ann", email="ann@example.com")
        second = Author.objects.create(name="Bob")
        self.assertEqual(second.pk, first.pk + 1)
        self.assertEqual(stored("app_author", id=first.pk), [{"id": first.pk, "name": "Ann", "email": "ann@example.com"}])

    def test_bulk_create_returns_ids_in_order(self):
        authors = Author.objects.bulk_create([Author(name=f"a{i}") for i in range(5)])
        ids = [author.pk for author in authors]
        self.assertEqual(ids, list(range(ids[0], ids[0] + 5)))
        self.assertEqual([doc["name"] for doc in stored("app_author", id={"$in": ids})], [f"a{i}" for i in range(5)])

    def test_explicit_id_moves_sequence_forward(self):
        Author.objects.create(pk=1000, name="explicit")
        after = Author.objects.create(name="next")
        self.assertGreater(after.pk, 1000)
        entry = connection.mongo_database["__schema__"].find_one({"name": "app_author"})
        self.assertEqual(entry["auto"]["field_names"], ["id"])
        self.assertGreaterEqual(entry["auto"]["seq"], after.pk)


class SelectTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.names = ["Ann", "bob", "Cid", "dee", "Eve_1", "f%g", "back\\slash", "dot.star*"]
        cls.kitchens = [
            Kitchen.objects.create(name=name, count=index, is_active=index % 2 == 0, ratio=None if index == 3 else index / 2)
            for index, name in enumerate(cls.names)
        ]

    def names_of(self, queryset):
        return [kitchen.name for kitchen in queryset]

    def test_comparisons(self):
        self.assertEqual(self.names_of(Kitchen.objects.filter(count=2)), ["Cid"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__lt=2)), ["Ann", "bob"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__lte=1)), ["Ann", "bob"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__gt=6)), ["dot.star*"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__gte=6)), ["back\\slash", "dot.star*"])
        self.assertEqual(len(Kitchen.objects.exclude(count=2)), 7)

    def test_in_not_in_between(self):
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__in=[1, 3, 99])), ["bob", "dee"])
        self.assertEqual(len(Kitchen.objects.exclude(count__in=[1, 3])), 6)
        self.assertEqual(self.names_of(Kitchen.objects.filter(count__range=(2, 4))), ["Cid", "dee", "Eve_1"])

    def test_is_null_and_three_valued_not(self):
        self.assertEqual(self.names_of(Kitchen.objects.filter(ratio__isnull=True)), ["dee"])
        self.assertEqual(len(Kitchen.objects.filter(ratio__isnull=False)), 7)
        # ratio <> 1.0 must not match the row whose ratio is NULL.
        rows = Kitchen.objects.raw('SELECT "id", "name" FROM "app_kitchen" WHERE NOT ("app_kitchen"."ratio" = %s)', [1.0])
        self.assertNotIn("dee", [row.name for row in rows])
        self.assertEqual(len(list(rows)), 6)

    def test_like_lookups_treat_metacharacters_literally(self):
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__contains="_")), ["Eve_1"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__contains="%")), ["f%g"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__contains="\\")), ["back\\slash"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__contains=".star*")), ["dot.star*"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__contains="o")), ["bob", "dot.star*"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__icontains="A")), ["Ann", "back\\slash", "dot.star*"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__startswith="b")), ["bob", "back\\slash"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__istartswith="B")), ["bob", "back\\slash"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__endswith="e")), ["dee"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__iendswith="E")), ["dee"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__iexact="ANN")), ["Ann"])
        self.assertEqual(self.names_of(Kitchen.objects.filter(name__exact="ann")), [])

    def test_boolean_columns_and_nested_logic(self):
        self.assertEqual(len(Kitchen.objects.filter(is_active=True)), 4)
        self.assertEqual(len(Kitchen.objects.exclude(is_active=True)), 4)
        query = Kitchen.objects.filter(
            (Q(count__lt=2) | Q(name__startswith="E")) & ~(Q(is_active=False) | Q(name="Ann"))
        )
        self.assertEqual(self.names_of(query), ["Eve_1"])
        deep = Kitchen.objects.filter(~(~Q(count=1) & ~(Q(count=2) | ~Q(count__gte=1))))
        self.assertEqual(self.names_of(deep), ["Ann", "bob", "Cid"])

    def test_ordering_limit_offset(self):
        ordered = Kitchen.objects.order_by("-is_active", "-count")
        self.assertEqual(self.names_of(ordered[:3]), ["back\\slash", "Eve_1", "Cid"])
        self.assertEqual(self.names_of(Kitchen.objects.order_by("count")[2:4]), ["Cid", "dee"])

    def test_count_exists_and_count_of_slice(self):
        self.assertEqual(Kitchen.objects.count(), 8)
        self.assertEqual(Kitchen.objects.filter(count__gt=5).count(), 2)
        self.assertEqual(Kitchen.objects.all()[2:5].count(), 3)
        self.assertTrue(Kitchen.objects.filter(name="Ann").exists())
        self.assertFalse(Kitchen.objects.filter(name="nobody").exists())

    def test_values_and_values_list(self):
        self.assertEqual(list(Kitchen.objects.filter(count=0).values("name", "count")), [{"name": "Ann", "count": 0}])
        self.assertEqual(list(Kitchen.objects.filter(count__lt=2).values_list("name", flat=True)), ["Ann", "bob"])

    def test_aggregates_without_group_by(self):
        result = Kitchen.objects.aggregate(low=Min("count"), high=Max("count"), total=Sum("count"), n=Count("ratio"))
        self.assertEqual(result, {"low": 0, "high": 7, "total": 28, "n": 7})
        empty = Kitchen.objects.filter(count__gt=100).aggregate(total=Sum("count"), n=Count("id"))
        self.assertEqual(empty, {"total": None, "n": 0})


class UpdateDeleteTests(TestCase):

    def test_update_sets_values_and_reports_matched_rows(self):
        Kitchen.objects.bulk_create([Kitchen(name=f"k{i}", count=i) for i in range(4)])
        changed = Kitchen.objects.filter(count__gte=2).update(notes="big", ratio=None)
        self.assertEqual(changed, 2)
        docs = stored("app_kitchen", notes="big")
        self.assertEqual([doc["name"] for doc in docs], ["k2", "k3"])
        self.assertTrue(all(doc["ratio"] is None for doc in docs))

    def test_save_of_existing_object_updates_in_place(self):
        author = Author.objects.create(name="Ann")
        author.name = "Anne"
        author.save()
        self.assertEqual(stored("app_author", id=author.pk)[0]["name"], "Anne")
        self.assertEqual(connection.mongo_database["app_author"].count_documents({"id": author.pk}), 1)

    def test_delete_reports_count_and_cascades(self):
        ann = Author.objects.create(name="Ann")
        bob = Author.objects.create(name="Bob")
        Book.objects.create(title="One", author=ann, editor=bob)
        Book.objects.create(title="Two", author=ann)
        deleted, per_model = Author.objects.filter(name="Ann").delete()
        self.assertEqual(per_model["app.Book"], 2)
        self.assertEqual(stored("app_book"), [])
        bob_book = Book.objects.create(title="Three", author=bob, editor=bob)
        Author.objects.create(name="Cid")
        Book.objects.filter(pk=bob_book.pk).update(editor=None)
        self.assertIsNone(stored("app_book", id=bob_book.pk)[0]["editor_id"])


class JoinTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="Ann")
        cls.bob = Author.objects.create(name="Bob")
        cls.one = Book.objects.create(title="One", author=cls.ann, editor=cls.bob, pages=10)
        cls.two = Book.objects.create(title="Two", author=cls.bob, pages=20)
        cls.one.co_authors.add(cls.bob)

    def test_filter_across_foreign_key(self):
        self.assertEqual([book.title for book in Book.objects.filter(author__name="Bob")], ["Two"])

    def test_select_related_with_null_foreign_key(self):
        books = {book.title: book for book in Book.objects.select_related("author", "editor")}
        self.assertEqual(books["One"].editor.name, "Bob")
        self.assertIsNone(books["Two"].editor)

    def test_many_to_many_both_ways(self):
        self.assertEqual(list(self.one.co_authors.all()), [self.bob])
        self.assertEqual(list(self.bob.co_written.all()), [self.one])
        through = connection.mongo_database["app_book_co_authors"].find_one({}, {"_id": 0, "id": 0})
        self.assertEqual(through, {"book_id": self.one.pk, "author_id": self.bob.pk})


class DatesTests(TestCase):

    def test_dates_and_datetimes_truncate_distinct_and_order(self):
        import datetime
        from zoneinfo import ZoneInfo
        for day, hour in [((2023, 5, 6), 1), ((2023, 5, 20), 2), ((2024, 1, 2), 23), ((2022, 12, 31), 23)]:
            Kitchen.objects.create(
                name="d", born=datetime.date(*day),
                seen=datetime.datetime(*day, hour, 30, tzinfo=datetime.timezone.utc),
            )
        Kitchen.objects.create(name="no date")
        years = list(Kitchen.objects.dates("born", "year"))
        self.assertEqual(years, [datetime.date(2022, 1, 1), datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)])
        months = list(Kitchen.objects.filter(born__year=2023).dates("born", "month", order="DESC"))
        self.assertEqual(months, [datetime.date(2023, 5, 1)])
        # 2022-12-31 23:30 UTC is 2023-01-01 00:30 in Paris (UTC+1 in winter).
        paris = ZoneInfo("Europe/Paris")
        years = list(Kitchen.objects.datetimes("seen", "year", tzinfo=paris))
        self.assertEqual(years, [datetime.datetime(2023, 1, 1, tzinfo=paris), datetime.datetime(2024, 1, 1, tzinfo=paris)])


class SubqueryInFromTests(TestCase):

    def test_aggregate_and_count_of_distinct_joined_queryset(self):
        ann = Author.objects.create(name="Ann")
        bob = Author.objects.create(name="Bob")
        one = Book.objects.create(title="One", author=ann, pages=10)
        two = Book.objects.create(title="Two", author=ann, pages=30)
        Book.objects.create(title="Three", author=bob, pages=99)
        one.co_authors.add(ann, bob)
        two.co_authors.add(bob)
        queryset = Book.objects.filter(co_authors__name__in=["Ann", "Bob"]).distinct()
        self.assertEqual(queryset.count(), 2)
        self.assertEqual(queryset.aggregate(low=Min("pages"), high=Max("pages")), {"low": 10, "high": 30})
        self.assertEqual(Book.objects.filter(co_authors__name="Nobody").distinct().aggregate(high=Max("pages")), {"high": None})


class IteratorTests(TestCase):

    def test_chunk_size_is_the_servers_batch_size(self):
        for number in range(5):
            Author.objects.create(name=f"a{number}")
        with self.assertLogs("djongo", "DEBUG") as logs:
            names = [author.name for author in Author.objects.order_by("id").iterator(chunk_size=2)]
            list(Author.objects.all())
        self.assertEqual(names, [f"a{number}" for number in range(5)])
        finds = [line for line in logs.output if ".find(" in line]
        self.assertIn("batchSize=2", finds[0])
        # An ordinary read leaves the batches to pymongo.
        self.assertNotIn("batchSize", finds[1])


class QueryLogTests(TestCase):

    def test_connection_queries_show_the_parameters_filled_in(self):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            list(Author.objects.filter(name="O'Neil", id__in=[1, 2]).exclude(email="x%"))
        self.assertIn(""""app_author"."name" = 'O''Neil'""", queries[0]["sql"])
        self.assertIn(""""app_author"."id" IN (1, 2)""", queries[0]["sql"])
        self.assertIn("""'x%'""", queries[0]["sql"])
