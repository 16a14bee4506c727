"""Compound SELECTs: UNION, INTERSECT and EXCEPT become a Combine command (translate/compound.py)."""
from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo.binding import PreRun, Slot
from djongo.sql2mongo.commands import Combine, CountRows, Find
from djongo.sql2mongo.plans import Facts, Needs, get_plan, parse

from .base import TranslationTestCase

NUMBERS = 'SELECT "queries_number"."num" AS "num" FROM "queries_number"'


def numbers(filter_=None, sort=(), skip=None, limit=None):
    """The find of one operand selecting queries_number.num."""
    return Find(
        "queries_number", filter=filter_ or {}, projection={"num": 1, "_id": 0}, sort=sort,
        skip=skip, limit=limit, columns=("num",), names=("num",),
    )


class CompoundTests(TranslationTestCase):

    def test_union_of_filtered_querysets(self):
        # Number.objects.filter(num__lte=1).union(Number.objects.filter(num__gte=8)).values("num")
        self.assertTranslates(
            f'({NUMBERS} WHERE "queries_number"."num" <= %s) UNION ({NUMBERS} WHERE "queries_number"."num" >= %s)',
            [Combine(
                "queries_number", "UNION", False,
                (numbers({"num": {"$lte": Slot(0)}}), numbers({"num": {"$gte": Slot(1)}})),
                names=("num",),
            )],
        )

    def test_each_operator(self):
        for sql_op, op, all_ in [("UNION ALL", "UNION", True), ("INTERSECT", "INTERSECT", False), ("EXCEPT", "EXCEPT", False)]:
            with self.subTest(sql_op):
                command = self.command(f"{NUMBERS} {sql_op} {NUMBERS}")
                self.assertEqual((command.op, command.all, len(command.parts)), (op, all_, 2))

    def test_order_by_position_and_name_with_limit(self):
        # qs1.union(qs2).order_by("-num")[2:5]: Django orders a compound by its column positions or names.
        for order_by in ("1 DESC", '"num" DESC'):
            with self.subTest(order_by):
                command = self.command(f"({NUMBERS}) UNION ({NUMBERS}) ORDER BY {order_by} LIMIT 3 OFFSET 2")
                self.assertEqual((command.order, command.skip, command.limit), (((0, True, None),), 2, 3))

    def test_nulls_last(self):
        command = self.command(f"({NUMBERS}) UNION ({NUMBERS}) ORDER BY 1 ASC NULLS LAST")
        self.assertEqual(command.order, ((0, False, "LAST"),))

    def test_operands_keep_their_own_order_and_limit(self):
        # qs1.order_by("num")[:1].union(qs2.order_by("-num")[:1])
        command = self.command(
            f'({NUMBERS} ORDER BY "queries_number"."num" ASC LIMIT 1) UNION '
            f'({NUMBERS} ORDER BY "queries_number"."num" DESC LIMIT 1)'
        )
        self.assertEqual(command.parts, (numbers(sort=(("num", 1),), limit=1), numbers(sort=(("num", -1),), limit=1)))

    def test_nested_compounds(self):
        # qs1.union(qs2).intersection(qs3): the inner compound is one operand.
        command = self.command(f"(({NUMBERS}) UNION ({NUMBERS})) INTERSECT ({NUMBERS})")
        self.assertEqual(command.op, "INTERSECT")
        self.assertIsInstance(command.parts[0], Combine)
        self.assertEqual(command.parts[0].op, "UNION")

    def test_one_operand_with_a_limit(self):
        # qs.difference(EmptyQuerySet)[:21]: the empty operand is left out of the SQL.
        self.assertTranslates(f"({NUMBERS}) LIMIT 21", [numbers(limit=21)])

    def test_count(self):
        # qs1.union(qs2).count()
        inner = f'({NUMBERS} WHERE "queries_number"."num" <= %s) UNION ({NUMBERS})'
        self.assertTranslates(
            f"SELECT COUNT(*) FROM ({inner}) subquery",
            [CountRows("queries_number", Combine(
                "queries_number", "UNION", False, (numbers({"num": {"$lte": Slot(0)}}), numbers()), names=("num",),
            ))],
        )

    def test_in_an_uncorrelated_subquery(self):
        # Number.objects.filter(pk__in=qs1.union(qs2).values("num"))
        command = self.command(
            'SELECT "queries_number"."id" AS "id" FROM "queries_number" WHERE "queries_number"."id" IN '
            f'(({NUMBERS} WHERE "queries_number"."num" > %s) UNION ({NUMBERS} WHERE "queries_number"."num" < %s))'
        )
        condition = command.filter["id"]
        self.assertIsInstance(condition, PreRun)
        self.assertEqual(condition.shape, "in")
        self.assertEqual(condition.command.parts[1], numbers({"num": {"$lt": Slot(1)}}))


# qs1.union(qs2) where qs1 reads OuterRef("order"); the statement closes the parenthesis.
CORRELATED_UNION = f'(({NUMBERS} WHERE "queries_number"."num" = ("r"."order")) UNION ({NUMBERS} WHERE "queries_number"."num" < %s)'


class CorrelatedCompoundTests(TranslationTestCase):
    """A correlated compound joins in each operand and combines the arrays with set expressions."""

    def lookups_and_combined(self, sql):
        pipeline = self.command(sql).pipeline
        lookups = [stage["$lookup"] for stage in pipeline if "$lookup" in stage]
        combined = [stage["$addFields"] for stage in pipeline if "$addFields" in stage]
        return lookups, combined

    def test_union_annotation(self):
        # ReservedName.objects.annotate(number=Subquery(qs1.union(qs2).values("num")))
        lookups, combined = self.lookups_and_combined(
            f'SELECT "r"."order", {CORRELATED_UNION}) AS "number" FROM "queries_reservedname" "r"'
        )
        self.assertEqual([lookup["from"] for lookup in lookups], ["queries_number", "queries_number"])
        self.assertEqual(list(lookups[0]["let"].values()), [{"$ifNull": ["$order", None]}])
        self.assertEqual(lookups[1]["let"], {})
        first, second = (lookup["as"] for lookup in lookups)
        self.assertEqual(len(combined), 1)
        self.assertEqual(list(combined[0].values()), [{"$setUnion": ["$" + first, "$" + second]}])

    def test_each_operator(self):
        for sql_op, operator in [("UNION ALL", "$concatArrays"), ("INTERSECT", "$setIntersection"), ("EXCEPT", "$setDifference")]:
            with self.subTest(sql_op):
                _, combined = self.lookups_and_combined(
                    'SELECT "r"."order" FROM "queries_reservedname" "r" WHERE '
                    f'(({NUMBERS} WHERE "queries_number"."num" = ("r"."order")) {sql_op} ({NUMBERS})) IS NULL'
                )
                self.assertEqual(list(list(combined[0].values())[0]), [operator])

    def test_limit_slices_the_rows(self):
        sql = f'SELECT "r"."id" FROM "queries_reservedname" "r" WHERE "r"."order" IN {CORRELATED_UNION} LIMIT 2 OFFSET 1)'
        _, combined = self.lookups_and_combined(sql)
        (expression,) = combined[0].values()
        self.assertEqual(list(expression), ["$slice"])
        self.assertEqual(expression["$slice"][1:], [1, 2])

    def test_limit_is_left_out_where_only_the_first_row_counts(self):
        # EXISTS and a scalar subquery read no row past the first.
        for sql in (
            f'SELECT "r"."order" FROM "queries_reservedname" "r" WHERE {CORRELATED_UNION} LIMIT 1) IS NULL',
            f'SELECT "r"."order" FROM "queries_reservedname" "r" WHERE EXISTS{CORRELATED_UNION} LIMIT 1)',
        ):
            with self.subTest(sql):
                _, combined = self.lookups_and_combined(sql)
                self.assertEqual(list(list(combined[0].values())[0]), ["$setUnion"])


class UnsupportedCompoundTests(TranslationTestCase):

    def test_different_widths(self):
        self.assertUnsupported(
            f'{NUMBERS} UNION SELECT "t"."a", "t"."b" FROM "t"', "UNION of SELECTs with 1 and 2 columns",
        )

    def test_select_star_is_named_from_the_recorded_columns(self):
        # Each SELECT of a compound is nested in it: its * is named from the
        # table's recorded columns (naming.py), or the whole is refused.
        sql = f'{NUMBERS} UNION SELECT * FROM "t"'
        self.assertEqual(parse(sql).needs, Needs(tables=("t",)))
        with self.assertRaisesRegex(SQLDecodeError, "UNION of SELECTs with 1 and 2 columns"):
            get_plan(sql, Facts(columns=(("t", ("a", "b")),)))
        with self.assertRaisesRegex(SQLDecodeError, "over t, a table with no recorded columns"):
            get_plan(sql, Facts(columns=(("t", None),)))

    def test_order_by_an_expression(self):
        self.assertUnsupported(
            f'({NUMBERS}) UNION ({NUMBERS}) ORDER BY ("num" + 1)', "ORDER BY of a UNION on anything but one of its columns",
        )
        self.assertUnsupported(f"({NUMBERS}) EXCEPT ({NUMBERS}) ORDER BY 2", "ORDER BY position 2 of a EXCEPT")

    def test_reading_a_compound_other_than_counting(self):
        self.assertUnsupported(
            f'SELECT MAX("s"."num") FROM (({NUMBERS}) UNION ({NUMBERS})) s', "a SELECT from a UNION other than COUNT(*)",
        )

    def test_correlated_with_order_by_and_limit(self):
        # Sorting the joined array would take $sortArray (MongoDB 5.2).
        self.assertUnsupported(
            f'SELECT "r"."order" FROM "queries_reservedname" "r" WHERE {CORRELATED_UNION} ORDER BY 1 LIMIT 1) IS NULL',
            "ORDER BY with LIMIT in a correlated UNION",
        )

    def test_correlated_intersect_all(self):
        self.assertUnsupported(
            'SELECT "r"."order" FROM "queries_reservedname" "r" WHERE '
            f'(({NUMBERS} WHERE "queries_number"."num" = ("r"."order")) INTERSECT ALL ({NUMBERS})) IS NULL',
            "a correlated INTERSECT ALL",
        )

    def test_mixed_operators_without_parentheses(self):
        self.assertUnsupported(f"{NUMBERS} UNION {NUMBERS} EXCEPT {NUMBERS}", "mixed compound operators")
