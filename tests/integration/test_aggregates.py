"""
The aggregates Django 6.0 and 6.1 added to its core, through the ORM:
StringAgg (with order_by, distinct, filter and default), AnyValue, and
BitAnd, BitOr and BitXor, checked against what MongoDB holds.
"""
import functools
import operator
import unittest

import django
from bson.int64 import Int64
from django.db import DatabaseError, models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Length, Upper
from django.test import TestCase
from pymongo.errors import OperationFailure

from djongo.exceptions import SQLDecodeError
from tests.integration.app.models import Author, Book, Kitchen
from tests.integration.probes import require

if django.VERSION >= (6, 0):
    from django.db.models import AnyValue, StringAgg
if django.VERSION >= (6, 1):
    from django.db.models import BitAnd, BitOr, BitXor

def exact_long_mod(collection):
    """
    Compute $mod of two 64-bit integers beyond a double's 53 bits; MongoDB
    returns the 64-bit remainder, the test server a double.
    """
    value = {"$mod": [Int64(2 ** 62 + 5), Int64(2 ** 62)]}
    found = list(collection.aggregate([{"$project": {"_id": 0, "r": value}}]))[0]["r"]
    if found != 5 or not isinstance(found, int):
        raise OperationFailure(f"{value} gives {found!r}")


needs_django_6 = unittest.skipUnless(django.VERSION >= (6, 0), "StringAgg and AnyValue came with Django 6.0")
needs_django_6_1 = unittest.skipUnless(django.VERSION >= (6, 1), "BitAnd, BitOr and BitXor came with Django 6.1")


@needs_django_6
class StringAggTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="Ann")
        cls.bob = Author.objects.create(name="Bob")
        cls.cid = Author.objects.create(name="Cid")  # no books
        for title, author, pages in [
            ("b-Beta", cls.ann, 300), ("a-Alpha", cls.ann, 100), ("c-Gamma", cls.ann, 200),
            ("d-Delta", cls.bob, 50), ("e-Eps", cls.bob, 50),
        ]:
            Book.objects.create(title=title, author=author, pages=pages)

    def test_joins_the_values_in_the_order_asked(self):
        self.assertEqual(
            Book.objects.aggregate(s=StringAgg("title", Value(", "), order_by="pages"))["s"].split(", ")[2:],
            ["a-Alpha", "c-Gamma", "b-Beta"],
        )
        self.assertEqual(
            Book.objects.filter(author=self.ann).aggregate(s=StringAgg("title", Value(";"), order_by="-pages")),
            {"s": "b-Beta;c-Gamma;a-Alpha"},
        )
        # Ties broken by a second key; an expression as a key.
        self.assertEqual(
            Book.objects.aggregate(s=StringAgg("title", Value("|"), order_by=("pages", "-title")))["s"],
            "e-Eps|d-Delta|a-Alpha|c-Gamma|b-Beta",
        )
        self.assertEqual(
            Book.objects.aggregate(s=StringAgg("title", Value("|"), order_by=Length("title").desc()))["s"].split("|")[0],
            "a-Alpha",
        )

    def test_per_group(self):
        rows = Author.objects.annotate(titles=StringAgg("books__title", Value(","), order_by="books__title")) \
            .order_by("name").values_list("name", "titles")
        self.assertEqual(list(rows), [("Ann", "a-Alpha,b-Beta,c-Gamma"), ("Bob", "d-Delta,e-Eps"), ("Cid", None)])

    def test_null_over_no_values_and_default(self):
        self.assertEqual(Book.objects.filter(pages__gt=1000).aggregate(s=StringAgg("title", Value(","))), {"s": None})
        self.assertEqual(
            Book.objects.filter(pages__gt=1000).aggregate(s=StringAgg("title", Value(","), default=Value("-"))),
            {"s": "-"},
        )

    def test_nulls_are_skipped_and_the_delimiter_only_goes_between(self):
        Kitchen.objects.create(name="k1", code=None, count=1)
        Kitchen.objects.create(name="k2", code="x", count=2)
        Kitchen.objects.create(name="k3", code="y", count=3)
        Kitchen.objects.create(name="k4", code=None, count=4)
        self.assertEqual(Kitchen.objects.aggregate(s=StringAgg("code", Value("+"), order_by="count")), {"s": "x+y"})
        self.assertEqual(
            Kitchen.objects.filter(code__isnull=True).aggregate(s=StringAgg("code", Value("+"))), {"s": None},
        )

    def test_distinct(self):
        result = Book.objects.aggregate(s=StringAgg(Cast("pages", models.CharField()), Value(","), distinct=True))
        self.assertCountEqual(result["s"].split(","), ["50", "100", "200", "300"])
        # DISTINCT with ORDER BY keeps each value once, in the order.
        result = Book.objects.aggregate(
            s=StringAgg("author__name", Value(","), distinct=True, order_by="-author__name"),
        )
        self.assertEqual(result, {"s": "Bob,Ann"})

    def test_filter(self):
        self.assertEqual(
            Book.objects.aggregate(s=StringAgg("title", Value(","), filter=Q(pages__lt=150), order_by="title")),
            {"s": "a-Alpha,d-Delta,e-Eps"},
        )

    def test_delimiter_from_each_row(self):
        # PostgreSQL: each value after the first is preceded by its own row's delimiter.
        self.assertEqual(
            Book.objects.filter(author=self.ann).aggregate(
                s=StringAgg("title", F("author__name"), order_by="title"),
            ),
            {"s": "a-AlphaAnnb-BetaAnnc-Gamma"},
        )

    def test_in_a_subquery_and_in_an_expression(self):
        titles = Book.objects.filter(author=OuterRef("pk")).values("author").annotate(
            s=StringAgg("title", Value("/"), order_by="-title"),
        ).values("s")
        rows = Author.objects.annotate(titles=Subquery(titles)).order_by("name").values_list("titles", flat=True)
        self.assertEqual(list(rows), ["c-Gamma/b-Beta/a-Alpha", "e-Eps/d-Delta", None])
        upper = Author.objects.annotate(t=Upper(StringAgg("books__title", Value(","), order_by="books__title"))) \
            .filter(name="Bob").values_list("t", flat=True)
        self.assertEqual(list(upper), ["D-DELTA,E-EPS"])
        # HAVING on it.
        having = Author.objects.annotate(t=StringAgg("books__title", Value(","))).filter(t__contains="Eps")
        self.assertEqual([author.name for author in having], ["Bob"])

    def test_two_orders_are_refused(self):
        with self.assertRaisesMessage(SQLDecodeError, "aggregates with different ORDER BY in one SELECT"):
            Book.objects.aggregate(
                up=StringAgg("title", Value(";"), order_by="pages"),
                down=StringAgg("title", Value(";"), order_by="-pages"),
            )


@needs_django_6
class AnyValueTests(TestCase):

    def test_any_non_null_value_of_each_group(self):
        Kitchen.objects.create(name="a", count=1, code=None)
        Kitchen.objects.create(name="a", count=1, code="x")
        Kitchen.objects.create(name="b", count=2, code=None)
        rows = Kitchen.objects.values("name").annotate(code=AnyValue("code"), n=Count("id")).order_by("name")
        self.assertEqual(list(rows), [{"name": "a", "code": "x", "n": 2}, {"name": "b", "code": None, "n": 1}])
        self.assertIn(Kitchen.objects.aggregate(c=AnyValue("count"))["c"], (1, 2))
        self.assertEqual(Kitchen.objects.filter(count=9).aggregate(c=AnyValue("count")), {"c": None})
        self.assertEqual(Kitchen.objects.aggregate(c=AnyValue("code", filter=Q(name="b"))), {"c": None})


@needs_django_6_1
class BitAggregateTests(TestCase):
    """Bitwise aggregates: exact over 64-bit integers, NULLs skipped, NULL over none."""

    def aggregate(self, values, **options):
        Kitchen.objects.all().delete()
        Kitchen.objects.bulk_create([Kitchen(name=str(index), big=value) for index, value in enumerate(values)])
        return Kitchen.objects.aggregate(
            a=BitAnd("big", **options), o=BitOr("big", **options), x=BitXor("big", **options),
        )

    def expected(self, values):
        values = [value for value in values if value is not None]
        if not values:
            return {"a": None, "o": None, "x": None}
        return {
            "a": functools.reduce(operator.and_, values),
            "o": functools.reduce(operator.or_, values),
            "x": functools.reduce(operator.xor, values),
        }

    def test_small_values(self):
        for values in ([12, 10], [1, 3, None, 7], [0], [5, 5], [-1, 6], [-8, -3, 5], [-1], [None], []):
            with self.subTest(values=values):
                self.assertEqual(self.aggregate(values), self.expected(values))

    def test_64_bit_values_are_exact(self):
        # Beyond 2**53 a double would round: the integers must stay 64-bit.
        require(self, "$mod of 64-bit integers as a 64-bit integer", exact_long_mod)
        values = [2 ** 63 - 1, -2 ** 63, 2 ** 62 + 12345, -(2 ** 53) - 3, 987654321987654321]
        for chosen in (values, values[:2], values[2:], [values[0], values[3]]):
            with self.subTest(values=chosen):
                self.assertEqual(self.aggregate(chosen), self.expected(chosen))

    def test_default(self):
        self.assertEqual(self.aggregate([None], default=-5), {"a": -5, "o": -5, "x": -5})
        self.assertEqual(self.aggregate([6, 3], default=-5), {"a": 2, "o": 7, "x": 5})

    def test_per_group_and_filter(self):
        Kitchen.objects.bulk_create([
            Kitchen(name="p", count=6), Kitchen(name="p", count=3), Kitchen(name="q", count=5),
        ])
        rows = Kitchen.objects.values("name").annotate(
            a=BitAnd("count"), o=BitOr("count"), x=BitXor("count", filter=Q(count__gt=3)),
        ).order_by("name")
        self.assertEqual(list(rows), [{"name": "p", "a": 2, "o": 7, "x": 6}, {"name": "q", "a": 5, "o": 5, "x": 5}])

    def test_a_value_that_is_not_an_integer_fails(self):
        Kitchen.objects.create(name="r", ratio=1.5)
        with self.assertRaisesMessage(DatabaseError, "BIT_OR() of a value that is not an integer"):
            Kitchen.objects.aggregate(o=BitOr("ratio"))
        Kitchen.objects.filter(name="r").update(ratio=4.0)
        self.assertEqual(Kitchen.objects.aggregate(o=BitOr("ratio")), {"o": 4})


class SumOfNullsTests(TestCase):
    """SQL's SUM is NULL over no non-NULL values, 0 over zeros; MongoDB's $sum is 0 for both."""

    def test_sum_is_null_only_without_values(self):
        Kitchen.objects.bulk_create([
            Kitchen(name="a", big=None, count=0), Kitchen(name="a", big=0, count=0),
            Kitchen(name="b", big=None, count=0), Kitchen(name="b", big=None, count=0),
            Kitchen(name="c", big=5, count=0), Kitchen(name="c", big=-5, count=0),
        ])
        totals = dict(Kitchen.objects.values_list("name").annotate(total=models.Sum("big")).order_by("name"))
        self.assertEqual(totals, {"a": 0, "b": None, "c": 0})
        self.assertEqual(Kitchen.objects.filter(name="b").aggregate(total=models.Sum("big")), {"total": None})
        self.assertEqual(Kitchen.objects.aggregate(total=models.Sum("big")), {"total": 0})
        self.assertEqual(Kitchen.objects.filter(name="z").aggregate(total=models.Sum("big")), {"total": None})


class SumNotNullTests(TestCase):
    """
    Sum of a NOT NULL column of the query's own table needs no NULL test of
    each value (SUM_NOT_NULL, issue 23); a nullable column or a joined
    table's keeps SQL's SUM, NULL where no value is not NULL.
    """

    @classmethod
    def setUpTestData(cls):
        ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob")
        Author.objects.create(name="Cid")  # no books
        Book.objects.bulk_create([
            Book(title="a", author=ann, pages=100), Book(title="b", author=ann, pages=0),
            Book(title="c", author=bob, pages=20),
        ])

    def sql_of(self, function):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            result = function()
        return result, " ".join(query["sql"] for query in captured.captured_queries)

    def test_a_not_null_column_of_the_own_table(self):
        result, sql = self.sql_of(lambda: Book.objects.aggregate(total=models.Sum("pages")))
        self.assertEqual(result, {"total": 120})
        self.assertIn("SUM_NOT_NULL(", sql)
        result, _ = self.sql_of(lambda: Book.objects.filter(pages__gt=1000).aggregate(total=models.Sum("pages")))
        self.assertEqual(result, {"total": None})  # no rows
        grouped, sql = self.sql_of(
            lambda: dict(Book.objects.values_list("author__name").annotate(total=models.Sum("pages"))),
        )
        self.assertEqual(grouped, {"Ann": 100, "Bob": 20})
        self.assertIn("SUM_NOT_NULL(", sql)

    def test_a_joined_or_filtered_column_keeps_sql_sum(self):
        totals, sql = self.sql_of(
            lambda: dict(Author.objects.annotate(total=models.Sum("books__pages")).values_list("name", "total")),
        )
        self.assertEqual(totals, {"Ann": 100, "Bob": 20, "Cid": None})
        self.assertNotIn("SUM_NOT_NULL(", sql)
        filtered, sql = self.sql_of(lambda: Book.objects.aggregate(total=models.Sum("pages", filter=Q(pages__gt=500))))
        self.assertEqual(filtered, {"total": None})
        self.assertNotIn("SUM_NOT_NULL(", sql)
        self.assertEqual(Book.objects.aggregate(total=models.Sum("pages", distinct=True)), {"total": 120})
