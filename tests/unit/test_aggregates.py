"""
The aggregates of Django 6.0 and 6.1 (translate/aggregates.py): STRING_AGG
with its own ORDER BY, ANY_VALUE and the bitwise aggregates, SQL as Django
6.1 writes it in, MongoDB pipelines out; and the bitwise fold evaluated
with MongoDB's documented semantics on 64-bit integers.
"""
import functools
import itertools
import operator
import unittest

from bson.int64 import Int64

from djongo.sql2mongo import tree as t
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import Aggregate
from djongo.sql2mongo.parser import parse
from djongo.sql2mongo.translate.aggregates import bitwise_fold

from .base import TranslationTestCase
from .test_select import one_group

# What STRING_AGG's pushed values become: joined with the delimiter.
def joined(values, item="$$this", separator=None):
    return {"$reduce": {"input": values, "initialValue": None, "in": {"$cond": [
        {"$eq": [item, None]}, "$$value",
        {"$cond": [
            {"$eq": ["$$value", None]}, item,
            {"$concat": ["$$value", {"$ifNull": [separator, ""]}, item]},
        ]},
    ]}}}


def delimiter(index):
    return {"$literal": Slot(index)}


class ParseTests(unittest.TestCase):

    def test_an_aggregate_reads_its_order_by(self):
        select = parse('SELECT STRING_AGG(DISTINCT "t"."a", %s ORDER BY "t"."b" DESC NULLS LAST, "t"."c") FROM "t"')
        self.assertEqual(select.items[0].expr, t.Func(
            "STRING_AGG", (t.Column("a", "t"), t.Param(0)), distinct=True,
            order_by=(t.OrderItem(t.Column("b", "t"), True, "LAST"), t.OrderItem(t.Column("c", "t"))),
        ))


class StringAggTests(TranslationTestCase):

    def test_plain(self):
        # Book.objects.aggregate(s=StringAgg("title", Value(",")))
        self.assertTranslates('SELECT STRING_AGG("app_book"."title", %s) AS "s" FROM "app_book"', [
            Aggregate("app_book", pipeline=[
                *one_group({"a0": {"$push": "$title"}}, {"a0": []}),
                {"$project": {"_id": 0, "c0": joined("$a0", separator=delimiter(0))}},
            ], columns=("c0",), names=("s",)),
        ])

    def test_order_by_sorts_before_grouping(self):
        # Book.objects.aggregate(s=StringAgg("title", Value(", "), order_by="-pages"))
        command = self.command(
            'SELECT STRING_AGG("app_book"."title", %s ORDER BY "app_book"."pages" DESC) AS "s" FROM "app_book"'
        )
        self.assertEqual(command.pipeline[0], {"$facet": {"g": [
            {"$sort": {"pages": -1}},
            {"$group": {"_id": None, "a0": {"$push": "$title"}}},
        ]}})

    def test_order_by_an_expression_and_nulls_last(self):
        # StringAgg("title", Value(","), order_by=Length("title").asc(nulls_last=True))
        command = self.command(
            'SELECT STRING_AGG("app_book"."title", %s ORDER BY LENGTH("app_book"."title") ASC NULLS LAST) AS "s" '
            'FROM "app_book"'
        )
        length = {"$cond": [{"$eq": [{"$ifNull": ["$title", None]}, None]}, None, {"$strLenCP": "$title"}]}
        [sort_key, nulls_key] = command.pipeline[0]["$facet"]["g"][0]["$addFields"]
        self.assertEqual(command.pipeline[0]["$facet"]["g"][:2], [
            {"$addFields": {
                sort_key: length,
                nulls_key: {"$cond": [{"$eq": [{"$ifNull": [length, None]}, None]}, 1, 0]},
            }},
            {"$sort": {nulls_key: 1, sort_key: 1}},
        ])

    def test_grouped_and_joined(self):
        # Author.objects.annotate(t=StringAgg("books__title", Value(","), order_by="books__title"))
        command = self.command(
            'SELECT "app_author"."id", STRING_AGG("app_book"."title", %s ORDER BY "app_book"."title") AS "t" '
            'FROM "app_author" LEFT OUTER JOIN "app_book" ON ("app_author"."id" = "app_book"."author_id") '
            '/*+ UNIQUE(1) */ GROUP BY "app_author"."id"'
        )
        stages = [next(iter(stage)) for stage in command.pipeline]
        self.assertEqual(stages[-4:], ["$project", "$sort", "$group", "$project"])
        self.assertEqual(command.pipeline[-3], {"$sort": {"__app_book.title": 1}})

    def test_distinct_without_order_is_a_set(self):
        # StringAgg("title", Value(","), distinct=True, filter=Q(pages__lt=3))
        self.assertEqual(self.command(
            'SELECT STRING_AGG(DISTINCT CASE WHEN "app_book"."pages" < %s THEN "app_book"."title" ELSE NULL END, %s) '
            'AS "s" FROM "app_book"'
        ).pipeline[0]["$facet"]["g"][0]["$group"]["a0"]["$addToSet"]["$cond"][1], "$title")

    def test_distinct_with_order_keeps_first_occurrences(self):
        command = self.command(
            'SELECT STRING_AGG(DISTINCT "app_book"."title", %s ORDER BY "app_book"."title") AS "s" FROM "app_book"'
        )
        at = {"$arrayElemAt": ["$a0", "$$i"]}
        firsts = {"$map": {"input": {"$filter": {
            "input": {"$range": [0, {"$size": "$a0"}]}, "as": "i",
            "cond": {"$eq": [{"$indexOfArray": ["$a0", at]}, "$$i"]},
        }}, "as": "i", "in": at}}
        self.assertEqual(command.pipeline[-1], {"$project": {"_id": 0, "c0": joined(firsts, separator=delimiter(0))}})

    def test_a_delimiter_of_each_row(self):
        # StringAgg("title", F("author__name")): pushed beside its value.
        command = self.command('SELECT STRING_AGG("t"."a", "t"."d") AS "s" FROM "t"')
        self.assertEqual(command.pipeline[0]["$facet"]["g"][0]["$group"]["a0"], {"$push": {
            "v": {"$ifNull": ["$a", None]}, "d": {"$ifNull": ["$d", None]},
        }})
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], joined("$a0", "$$this.v", "$$this.d"))

    def test_default(self):
        # StringAgg("title", Value(","), default=Value("-"))
        command = self.command('SELECT COALESCE(STRING_AGG("t"."a", %s), %s) AS "s" FROM "t"')
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], {"$ifNull": [joined("$a0", separator=delimiter(0)), {"$literal": Slot(1)}]})

    def test_refused(self):
        self.assertUnsupported(
            'SELECT STRING_AGG("t"."a", %s ORDER BY "t"."b"), STRING_AGG("t"."a", %s ORDER BY "t"."c") FROM "t"',
            "aggregates with different ORDER BY in one SELECT",
        )
        self.assertUnsupported('SELECT STRING_AGG("t"."a") FROM "t"', "STRING_AGG() with 1 arguments")
        self.assertUnsupported('SELECT UPPER("t"."a" ORDER BY "t"."b") FROM "t"', "ORDER BY in UPPER()")

    def test_order_changes_nothing_for_other_aggregates(self):
        # An aggregate whose result does not depend on the order sorts nothing.
        command = self.command('SELECT MAX("t"."a" ORDER BY "t"."b") AS "m" FROM "t"')
        self.assertEqual(command.pipeline[0], {"$facet": {"g": [{"$group": {"_id": None, "a0": {"$max": "$a"}}}]}})


class AnyValueAndBitTests(TranslationTestCase):

    def test_any_value_is_min(self):
        # Kitchen.objects.values("name").annotate(c=AnyValue("code"))
        command = self.command(
            'SELECT "app_kitchen"."name" AS "name", ANY_VALUE("app_kitchen"."code") AS "c" FROM "app_kitchen" '
            'GROUP BY "app_kitchen"."name"'
        )
        self.assertEqual(command.pipeline[0], {"$group": {"_id": {"$ifNull": ["$name", None]}, "a0": {"$min": "$code"}}})

    def test_bitwise_aggregates_push_and_fold(self):
        # Kitchen.objects.aggregate(a=BitAnd("big"), x=BitXor("big", default=0))
        command = self.command(
            'SELECT BIT_AND("app_kitchen"."big") AS "a", COALESCE(BIT_XOR("app_kitchen"."big"), %s) AS "x" '
            'FROM "app_kitchen"'
        )
        self.assertEqual(command.pipeline[:2], one_group({"a0": {"$push": "$big"}, "a1": {"$push": "$big"}}, {"a0": [], "a1": []}))
        self.assertEqual(command.pipeline[2], {"$project": {
            "_id": 0, "c0": bitwise_fold("BIT_AND", "$a0"),
            "c1": {"$ifNull": [bitwise_fold("BIT_XOR", "$a1"), {"$literal": Slot(0)}]},
        }})

    def test_distinct_is_refused(self):
        self.assertUnsupported('SELECT BIT_OR(DISTINCT "t"."a") FROM "t"', "BIT_OR(DISTINCT ...)")


# A small evaluator of the aggregation expressions the fold uses, with the
# semantics MongoDB documents for 64-bit integers: arithmetic on two
# integers gives an integer, and an integer beyond 64 bits is an overflow
# (MongoDB would turn it into a double), which the fold must never meet.
INT64 = range(-2 ** 63, 2 ** 63)


def evaluate(expression, variables):
    if isinstance(expression, str):
        if expression.startswith("$$"):
            name, _, field = expression[2:].partition(".")
            found = variables[name]
            return found[field] if field else found
        return expression
    if isinstance(expression, list):
        return [evaluate(item, variables) for item in expression]
    if not isinstance(expression, dict):
        return expression
    [(operator_, argument)] = expression.items()
    if operator_ == "$literal":
        return argument
    if operator_ == "$reduce":
        value = evaluate(argument["initialValue"], variables)
        for item in evaluate(argument["input"], variables):
            value = evaluate(argument["in"], {**variables, "this": item, "value": value})
        return value
    if operator_ == "$map":
        name = argument.get("as", "this")
        return [evaluate(argument["in"], {**variables, name: item}) for item in evaluate(argument["input"], variables)]
    if operator_ == "$cond":
        test, then, otherwise = argument
        return evaluate(then if evaluate(test, variables) else otherwise, variables)
    if operator_ == "$and":
        return all(evaluate(item, variables) for item in argument)
    if operator_ == "$or":
        return any(evaluate(item, variables) for item in argument)
    values = [evaluate(item, variables) for item in (argument if isinstance(argument, list) else [argument])]
    if operator_ == "$sum":
        [values] = values
        result = sum(values)
    elif operator_ in ("$add", "$subtract", "$multiply", "$mod"):
        if operator_ == "$mod":
            # $mod truncates toward zero, as C does; the fold only meets non-negative numbers.
            assert all(value >= 0 for value in values), values
        result = {
            "$add": lambda *numbers: sum(numbers), "$subtract": operator.sub,
            "$multiply": operator.mul, "$mod": operator.mod,
        }[operator_](*values)
    else:
        return {
            "$eq": operator.eq, "$ne": operator.ne, "$lt": operator.lt, "$gte": operator.ge,
            "$arrayElemAt": lambda array, index: array[index],
            "$trunc": lambda number: None if number is None else int(number),
            "$toLong": lambda number: None if number is None else int(number),
        }[operator_](*values)
    assert result in INT64, f"{operator_} of {values} overflows 64 bits"
    return result


class BitwiseFoldTests(unittest.TestCase):
    """The fold is exact on the whole 64-bit range, negative numbers included, and never overflows."""

    EXTREMES = [0, 1, -1, 2, -2, 5, -6, 2 ** 31, -2 ** 31 - 1, 2 ** 53 + 1, -(2 ** 53) - 3,
                2 ** 62, 2 ** 62 + 12345, -2 ** 62, 2 ** 63 - 1, -2 ** 63, 987654321987654321]
    OPERATORS = {"BIT_AND": operator.and_, "BIT_OR": operator.or_, "BIT_XOR": operator.xor}

    def fold(self, function, values):
        return evaluate(bitwise_fold(function, {"$literal": values}), {})

    def test_pairs(self):
        for function, python in self.OPERATORS.items():
            for a, b in itertools.product(self.EXTREMES, repeat=2):
                with self.subTest(function=function, a=a, b=b):
                    self.assertEqual(self.fold(function, [Int64(a), Int64(b)]), python(a, b))

    def test_nulls_are_skipped(self):
        values = [None, 12, None, -7, 2 ** 62 + 3]
        for function, python in self.OPERATORS.items():
            with self.subTest(function=function):
                self.assertEqual(self.fold(function, values), functools.reduce(python, [12, -7, 2 ** 62 + 3]))
                self.assertIsNone(self.fold(function, [None, None]))
                self.assertIsNone(self.fold(function, []))
                self.assertEqual(self.fold(function, [None, -3]), -3)


class SumNotNullTests(TranslationTestCase):

    def test_one_accumulator_and_null_only_over_no_rows(self):
        # Book.objects.aggregate(total=Sum("pages")), pages NOT NULL (lookups.sum_as_djongo)
        command = self.command('SELECT SUM_NOT_NULL("app_book"."pages") AS "total" FROM "app_book"')
        group = next(stage for stage in command.pipeline[0]["$facet"]["g"] if "$group" in stage)["$group"]
        self.assertEqual(group, {"_id": None, "a0": {"$sum": "$pages"}})
        self.assertEqual(command.pipeline[-1], {"$project": {"_id": 0, "c0": "$a0"}})

    def test_eager_aggregation_keeps_it(self):
        # Book.objects.values("author__name").annotate(total=Sum("pages")): grouped before the join.
        plan = self.plan(
            'SELECT "app_author"."name" AS "name", SUM_NOT_NULL("app_book"."pages") AS "total" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") /*+ UNIQUE(2) */ '
            'GROUP BY "app_author"."name"'
        )
        # The books are summed per author_id first, then joined.
        self.assertEqual(plan.commands[0].pipeline[0], {
            "$group": {"_id": {"$ifNull": ["$author_id", None]}, "a0": {"$sum": "$pages"}},
        })
        self.assertNotIn("$max", repr(plan.commands))
