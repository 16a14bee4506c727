"""SELECT: find, count_documents or an aggregate pipeline (translate/select.py)."""
import types

from djongo import executor
from djongo.sql2mongo.binding import Const, Slot
from djongo.sql2mongo.commands import Aggregate, CountDocuments, Find
from djongo.sql2mongo.translate.values import equal_to, ilike_regex

from .base import TranslationTestCase

AUTHOR_COLUMNS = (
    '"app_author"."id", "app_author"."name", "app_author"."email", '
    '"app_author"."is_active", "app_author"."age", "app_author"."code"'
)
AUTHOR_FIELDS = ("id", "name", "email", "is_active", "age", "code")
AUTHOR_PROJECTION = {"_id": 0, **{field: 1 for field in AUTHOR_FIELDS}}

def not_null(path):
    return {"$ne": [{"$ifNull": [path, None]}, None]}


def is_null(path):
    return {"$eq": [{"$ifNull": [path, None]}, None]}


# The guard a LEFT join's $lookup needs: NULL = NULL is not a join match.
def only_if_not_null(field, local):
    return {"$addFields": {field: {"$cond": [not_null(local), "$" + field, []]}}}


def inner_join(collection, local, foreign, field):
    """The stages of an INNER JOIN on local = foreign: rows whose local value is NULL cannot match."""
    return [
        {"$match": {local: {"$ne": None}}},
        {"$lookup": {"from": collection, "localField": local, "foreignField": foreign, "as": field}},
        {"$unwind": "$" + field},
    ]


def one_group(group, defaults):
    """
    Return the stages of an aggregate without GROUP BY: $facet outputs one
    document even for no input, and ``defaults`` are the accumulators' values
    SQL gives for no rows (COUNT is 0; MIN, MAX, AVG and SUM are NULL).
    """
    return [
        {"$facet": {"g": [{"$group": {"_id": None, **group}}]}},
        {"$replaceRoot": {"newRoot": {"$ifNull": [{"$arrayElemAt": ["$g", 0]}, defaults]}}},
    ]


class FindTests(TranslationTestCase):

    def test_all_columns_of_a_model(self):
        # Author.objects.all()
        self.assertTranslates(f'SELECT {AUTHOR_COLUMNS} FROM "app_author"', [Find(
            "app_author", filter={}, projection=AUTHOR_PROJECTION,
            columns=AUTHOR_FIELDS, names=AUTHOR_FIELDS,
        )])

    def test_aliased_columns(self):
        # Author.objects.values("name", "age")
        self.assertTranslates(
            'SELECT "app_author"."name" AS "name", "app_author"."age" AS "years" FROM "app_author"',
            [Find("app_author", projection={"_id": 0, "name": 1, "age": 1},
                  columns=("name", "age"), names=("name", "years"))],
        )

    def test_unqualified_columns_and_table_alias(self):
        self.assertTranslates(
            'SELECT "name", T."age" FROM "app_author" T',
            [Find("app_author", projection={"_id": 0, "name": 1, "age": 1},
                  columns=("name", "age"), names=("name", "age"))],
        )

    def test_id_column_named_underscore_id_is_projected(self):
        self.assertTranslates(
            'SELECT "t"."_id", "t"."a" FROM "t"',
            [Find("t", projection={"_id": 1, "a": 1}, columns=("_id", "a"), names=("_id", "a"))],
        )

    def test_star(self):
        self.assertTranslates('SELECT * FROM "app_author"', [Find("app_author", projection=None)])
        self.assertTranslates(
            'SELECT * FROM "app_author" WHERE "age" > %s',
            [Find("app_author", filter={"age": {"$gt": Slot(0)}}, projection=None)],
        )

    def test_order_by_several_columns(self):
        self.assertTranslates(
            'SELECT "app_author"."id" FROM "app_author" '
            'ORDER BY "app_author"."age" DESC, "app_author"."name" ASC, "app_author"."id"',
            [Find("app_author", projection={"_id": 0, "id": 1},
                  sort=(("age", -1), ("name", 1), ("id", 1)), columns=("id",), names=("id",))],
        )

    def test_order_by_alias_and_position(self):
        sql = 'SELECT "app_author"."name" AS "n", "app_author"."age" AS "a" FROM "app_author" ORDER BY 2 DESC, "n"'
        self.assertEqual(self.command(sql).sort, (("age", -1), ("name", 1)))

    def test_a_key_sorted_on_twice_keeps_its_first_direction(self):
        # order_by(F("id").desc(nulls_last=True), "pk"): the second id key changes nothing.
        sql = 'SELECT "t"."id" AS "id" FROM "t" ORDER BY "t"."a" ASC, 1 DESC NULLS LAST, "t"."id" ASC'
        self.assertEqual(self.command(sql).sort, (("a", 1), ("id", -1)))

    def test_order_by_with_the_natural_null_order(self):
        # MongoDB puts nulls first ascending and last descending, as SQL's default here.
        sql = 'SELECT "t"."id" FROM "t" ORDER BY "t"."a" ASC NULLS FIRST, "t"."b" DESC NULLS LAST'
        self.assertEqual(self.command(sql).sort, (("a", 1), ("b", -1)))

    def test_limit_and_offset(self):
        # Author.objects.order_by("-age", "name")[5:15]
        self.assertTranslates(
            f'SELECT {AUTHOR_COLUMNS} FROM "app_author" ORDER BY "app_author"."age" DESC, '
            '"app_author"."name" ASC LIMIT 10 OFFSET 5',
            [Find("app_author", projection=AUTHOR_PROJECTION, sort=(("age", -1), ("name", 1)),
                  skip=5, limit=10, columns=AUTHOR_FIELDS, names=AUTHOR_FIELDS)],
        )

    def test_offset_without_limit(self):
        # Author.objects.all()[5:]
        command = self.command('SELECT "app_author"."id" FROM "app_author" OFFSET 5')
        self.assertEqual((command.skip, command.limit), (5, None))

    def test_get_limit_21(self):
        # Author.objects.get(id=1)
        self.assertTranslates(
            f'SELECT {AUTHOR_COLUMNS} FROM "app_author" WHERE "app_author"."id" = %s LIMIT 21',
            [Find("app_author", filter={"id": Slot(0, equal_to)}, projection=AUTHOR_PROJECTION,
                  limit=21, columns=AUTHOR_FIELDS, names=AUTHOR_FIELDS)],
        )

    def test_limit_and_offset_parameters(self):
        self.assertTranslates(
            'SELECT "t"."a" FROM "t" LIMIT %s OFFSET %s',
            [Find("t", projection={"_id": 0, "a": 1}, skip=Slot(1), limit=Slot(0), columns=("a",), names=("a",))],
        )


class ExistsAndCountTests(TranslationTestCase):

    def test_exists_with_a_constant(self):
        self.assertTranslates(
            'SELECT 1 AS "a" FROM "app_author" WHERE "app_author"."name" = %s LIMIT 1',
            [Find("app_author", filter={"name": Slot(0, equal_to)}, projection={"_id": 0},
                  limit=1, columns=(Const(1),), names=("a",))],
        )

    def test_exists_as_django_compiles_it(self):
        # Author.objects.filter(name="x").exists(): the 1 is a parameter.
        self.assertTranslates(
            'SELECT %s AS "a" FROM "app_author" WHERE "app_author"."name" = %s LIMIT 1',
            [Find("app_author", filter={"name": Slot(1, equal_to)}, projection={"_id": 0},
                  limit=1, columns=(Const(Slot(0)),), names=("a",))],
        )

    def test_constant_parameter_column_returns_the_parameter(self):
        # Author.objects.annotate(v=Value(7)).values_list("name", "v"): the row
        # must hold 7, not the Slot placeholder of the template.
        sql = 'SELECT "app_author"."name" AS "name", %s AS "v" FROM "app_author"'
        result = executor.run(self.command(sql), (7,), FakeConnection({"app_author": [{"name": "Ann"}]}))
        self.assertEqual(list(result.rows), [("Ann", 7)])

    def test_count_star(self):
        # Author.objects.filter(age=3).count()
        self.assertTranslates(
            'SELECT COUNT(*) AS "__count" FROM "app_author" WHERE "app_author"."age" = %s',
            [CountDocuments("app_author", filter={"age": Slot(0, equal_to)}, names=("__count",))],
        )
        self.assertTranslates('SELECT COUNT(*) FROM "app_author"', [CountDocuments("app_author", names=("COUNT(...)",))])

    def test_count_of_a_sliced_subquery(self):
        # Author.objects.filter(age=3)[:10].count()
        self.assertTranslates(
            'SELECT COUNT(*) FROM (SELECT "app_author"."id" AS "col1" FROM "app_author" '
            'WHERE "app_author"."age" = %s LIMIT 10) subquery',
            [CountDocuments("app_author", filter={"age": Slot(0, equal_to)}, limit=10, names=("COUNT(...)",))],
        )

    def test_count_of_a_subquery_with_offset(self):
        self.assertTranslates(
            'SELECT COUNT(*) FROM (SELECT "app_author"."id" AS "col1" FROM "app_author" '
            'ORDER BY "app_author"."id" ASC LIMIT 10 OFFSET 20) subquery',
            [CountDocuments("app_author", filter={}, skip=20, limit=10, names=("COUNT(...)",))],
        )

    def test_count_of_a_distinct_subquery(self):
        # Author.objects.values("name").distinct().count()
        self.assertTranslates(
            'SELECT COUNT(*) FROM (SELECT DISTINCT "app_author"."name" AS "col1" FROM "app_author") subquery',
            [Aggregate("app_author", pipeline=[
                {"$group": {"_id": {"$ifNull": ["$name", None]}}},
                {"$project": {"_id": 0, "c0": "$_id"}},
                *one_group({"a0": {"$sum": 1}}, {"a0": 0}),
                {"$project": {"_id": 0, "c0": "$a0"}},
            ], columns=("c0",), names=("COUNT(...)",))],
        )


class DerivedTableTests(TranslationTestCase):

    def test_columns_of_a_subquery(self):
        self.assertTranslates('SELECT "s"."col1" FROM (SELECT "t"."id" AS "col1" FROM "t") s', [Aggregate("t", pipeline=[
            {"$project": {"_id": 0, "c0": "$id"}},
            {"$project": {"_id": 0, "c0": "$c0"}},
        ], columns=("c0",), names=("col1",))])

    def test_aggregate_over_a_distinct_subquery(self):
        self.assertTranslates(
            'SELECT MAX("s"."c") AS "m" FROM (SELECT DISTINCT "t"."a" AS "c" FROM "t" WHERE "t"."b" = %s) s',
            [Aggregate("t", pipeline=[
                {"$match": {"b": Slot(0, equal_to)}},
                {"$group": {"_id": {"$ifNull": ["$a", None]}}},
                {"$project": {"_id": 0, "c0": "$_id"}},
                # MAX of no rows is NULL: the missing a0 reads as NULL.
                *one_group({"a0": {"$max": "$c0"}}, {}),
                {"$project": {"_id": 0, "c0": "$a0"}},
            ], columns=("c0",), names=("m",))],
        )

    def test_where_on_subquery_columns(self):
        command = self.command('SELECT COUNT(*) FROM (SELECT "t"."a" AS "c" FROM "t" LIMIT 5) s WHERE "s"."c" > %s')
        self.assertEqual(command.pipeline, [
            {"$limit": 5},
            {"$project": {"_id": 0, "c0": "$a"}},
            {"$match": {"c0": {"$gt": Slot(0)}}},
            *one_group({"a0": {"$sum": 1}}, {"a0": 0}),
            {"$project": {"_id": 0, "c0": "$a0"}},
        ])

    def test_column_the_subquery_does_not_select(self):
        self.assertUnsupported(
            'SELECT "s"."zz" FROM (SELECT "t"."id" AS "col1" FROM "t") s',
            "column 'zz', which the subquery in FROM does not select",
        )


class JoinTests(TranslationTestCase):
    """How the translator joins, before the optimizer narrows the rows (tests/unit/test_optimize.py)."""
    optimized = False

    def test_inner_join_with_conditions_on_both_tables(self):
        # Book.objects.filter(author__name__icontains="x", pages__gt=3).only("title")
        self.assertTranslates(
            'SELECT "app_book"."id", "app_book"."title" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'WHERE ("app_author"."name" ILIKE %s AND "app_book"."pages" > %s)',
            [Aggregate("app_book", pipeline=[
                # The FROM table's own condition is matched before the join.
                {"$match": {"pages": {"$gt": Slot(1)}}},
                *inner_join("app_author", "author_id", "id", "__app_author"),
                {"$match": {"__app_author.name": Slot(0, ilike_regex)}},
                {"$project": {"_id": 0, "c0": "$id", "c1": "$title"}},
            ], columns=("c0", "c1"), names=("id", "title"))],
        )

    def test_inner_and_left_outer_join_with_alias(self):
        # Book.objects.select_related("author", "editor").filter(pages__gt=3)
        self.assertTranslates(
            'SELECT "app_book"."id", "app_book"."title", "app_author"."name", T3."name" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'LEFT OUTER JOIN "app_author" T3 ON ("app_book"."editor_id" = T3."id") '
            'WHERE "app_book"."pages" > %s ORDER BY T3."name" DESC LIMIT 5',
            [Aggregate("app_book", pipeline=[
                {"$match": {"pages": {"$gt": Slot(0)}}},
                *inner_join("app_author", "author_id", "id", "__app_author"),
                {"$lookup": {"from": "app_author", "localField": "editor_id",
                             "foreignField": "id", "as": "__T3"}},
                only_if_not_null("__T3", "$editor_id"),
                {"$unwind": {"path": "$__T3", "preserveNullAndEmptyArrays": True}},
                keep("__T3.name", "__app_author.name", "id", "title"),
                {"$sort": {"__T3.name": -1}},
                {"$limit": 5},
                {"$project": {"_id": 0, "c0": "$id", "c1": "$title",
                              "c2": "$__app_author.name", "c3": "$__T3.name"}},
            ], columns=("c0", "c1", "c2", "c3"), names=("id", "title", "name", "name"))],
        )

    def test_fields_are_trimmed_before_a_sort_after_the_joins(self):
        # A subquery placed before the join is read again after it: its field stays.
        exists = 'EXISTS(SELECT 1 AS "a" FROM "v" WHERE "v"."t_id" = ("t"."id"))'
        command = self.command(
            f'SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id") '
            f'WHERE ({exists} AND ({exists} OR "u"."x" = 1)) ORDER BY "u"."y"'
        )
        stages = [next(iter(stage)) for stage in command.pipeline]
        self.assertEqual(stages, ["$lookup", "$match", "$match", "$lookup", "$unwind", "$project", "$match", "$sort", "$project"])
        self.assertEqual(command.pipeline[5], {"$project": {"__sq1": 1, "__u.x": 1, "__u.y": 1, "_id": 0, "id": 1}})

    def test_or_across_tables_is_matched_after_the_join(self):
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'WHERE ("app_author"."name" = %s OR "app_book"."pages" = %s)'
        )
        self.assertEqual(command.pipeline[1]["$lookup"]["from"], "app_author")
        self.assertEqual(command.pipeline[3], {"$match": {"$or": [
            {"__app_author.name": Slot(0, equal_to)}, {"pages": Slot(1, equal_to)},
        ]}})

    def test_left_join_is_null_on_the_joined_table(self):
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" '
            'LEFT OUTER JOIN "app_author" T3 ON ("app_book"."editor_id" = T3."id") WHERE T3."id" IS NULL'
        )
        self.assertEqual(command.pipeline[2], {"$unwind": {"path": "$__T3", "preserveNullAndEmptyArrays": True}})
        self.assertEqual(command.pipeline[3], {"$match": {"__T3.id": None}})

    def test_reversed_on_condition(self):
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_author"."id" = "app_book"."author_id")'
        )
        self.assertEqual(command.pipeline[:3], inner_join("app_author", "author_id", "id", "__app_author"))

    def test_join_on_two_columns(self):
        # The ON condition is matched inside the joined table's pipeline; the
        # FROM table's columns are variables, NULL-guarded like any
        # column-to-column comparison, so NULL = NULL is no match.
        self.assertTranslates(
            'SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."a" = "u"."a" AND "t"."b" = "u"."b")',
            [Aggregate("t", pipeline=[
                {"$lookup": {
                    "from": "u",
                    "let": {"o0": {"$ifNull": ["$a", None]}, "o1": {"$ifNull": ["$b", None]}},
                    "pipeline": [{"$match": {"$and": [
                        {"$expr": {"$and": [{"$eq": ["$$o0", "$a"]}, not_null("$$o0"), not_null("$a")]}},
                        {"$expr": {"$and": [{"$eq": ["$$o1", "$b"]}, not_null("$$o1"), not_null("$b")]}},
                    ]}}],
                    "as": "__u",
                }},
                {"$unwind": "$__u"},
                {"$project": {"_id": 0, "c0": "$id"}},
            ], columns=("c0",), names=("id",))],
        )

    def test_chained_joins_use_the_nested_field(self):
        command = self.command(
            'SELECT "a"."id" FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id") '
            'INNER JOIN "c" ON ("b"."c_id" = "c"."id")'
        )
        self.assertEqual(command.pipeline[3:6], inner_join("c", "__b.c_id", "id", "__c"))

    def test_count_with_a_join(self):
        command = self.command(
            'SELECT COUNT(*) AS "__count" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") WHERE "app_author"."name" = %s'
        )
        self.assertEqual(command.pipeline[-3:], [
            *one_group({"a0": {"$sum": 1}}, {"a0": 0}),
            {"$project": {"_id": 0, "c0": "$a0"}},
        ])


class AggregateTests(TranslationTestCase):

    def test_min_max_sum_avg_count(self):
        # Author.objects.aggregate(Min("age"), Max("age"), Sum("age"), Avg("age"), Count("age"))
        counted = {"$sum": {"$cond": [not_null("$age"), 1, 0]}}
        self.assertTranslates(
            'SELECT MIN("app_author"."age") AS "age__min", MAX("app_author"."age") AS "age__max", '
            'SUM("app_author"."age") AS "age__sum", AVG("app_author"."age") AS "age__avg", '
            'COUNT("app_author"."age") AS "age__count" FROM "app_author"',
            [Aggregate("app_author", pipeline=[
                *one_group({
                    "a0": {"$min": "$age"},
                    "a1": {"$max": "$age"},
                    "a2": {"$sum": "$age"},
                    # $max is null when no value is not NULL.
                    "a2_n": {"$max": "$age"},
                    "a3": {"$avg": "$age"},
                    "a4": counted,
                }, {"a4": 0}),
                {"$project": {
                    "_id": 0, "c0": "$a0", "c1": "$a1",
                    # SUM of no non-NULL values is NULL, not 0.
                    "c2": {"$cond": [{"$eq": [{"$ifNull": ["$a2_n", None]}, None]}, None, "$a2"]},
                    "c3": "$a3", "c4": "$a4",
                }},
            ], columns=("c0", "c1", "c2", "c3", "c4"),
                names=("age__min", "age__max", "age__sum", "age__avg", "age__count"))],
        )

    def test_aggregate_with_where(self):
        command = self.command('SELECT MAX("app_author"."age") AS "m" FROM "app_author" WHERE "app_author"."is_active"')
        self.assertEqual(command.pipeline, [
            {"$match": {"is_active": {"$eq": True}}},
            *one_group({"a0": {"$max": "$age"}}, {}),
            {"$project": {"_id": 0, "c0": "$a0"}},
        ])

    def test_count_distinct(self):
        self.assertTranslates('SELECT COUNT(DISTINCT "t"."a") AS "n" FROM "t"', [Aggregate("t", pipeline=[
            *one_group({"a0": {"$addToSet": "$a"}}, {"a0": []}),
            {"$project": {"_id": 0, "c0": {"$size": {"$setDifference": ["$a0", [None]]}}}},
        ], columns=("c0",), names=("n",))])

    def test_group_by_ordered_by_position(self):
        # Author.objects.values("name").annotate(m=Max("age")).order_by("name")
        self.assertTranslates(
            'SELECT "app_author"."name" AS "name", MAX("app_author"."age") AS "m" FROM "app_author" '
            'GROUP BY "app_author"."name" ORDER BY 1 ASC',
            [Aggregate("app_author", pipeline=[
                {"$group": {"_id": {"$ifNull": ["$name", None]}, "a0": {"$max": "$age"}}},
                {"$project": {"_id": 0, "c0": "$_id", "c1": "$a0"}},
                {"$sort": {"c0": 1}},
            ], columns=("c0", "c1"), names=("name", "m"))],
        )

    def test_group_by_ordered_by_aggregate_alias_with_limit(self):
        command = self.command(
            'SELECT "t"."a", COUNT(*) AS "n" FROM "t" WHERE "t"."b" = %s GROUP BY "t"."a" ORDER BY "n" DESC LIMIT 5'
        )
        self.assertEqual(command.pipeline[0], {"$match": {"b": Slot(0, equal_to)}})
        self.assertEqual(command.pipeline[-2:], [{"$sort": {"c1": -1}}, {"$limit": 5}])


class DistinctTests(TranslationTestCase):

    def test_distinct(self):
        # Author.objects.values_list("name", "age").distinct()
        self.assertTranslates(
            'SELECT DISTINCT "app_author"."name" AS "name", "app_author"."age" AS "age" FROM "app_author"',
            [Aggregate("app_author", pipeline=[
                {"$group": {"_id": {"k0": {"$ifNull": ["$name", None]}, "k1": {"$ifNull": ["$age", None]}}}},
                {"$project": {"_id": 0, "c0": "$_id.k0", "c1": "$_id.k1"}},
            ], columns=("c0", "c1"), names=("name", "age"))],
        )

    def test_distinct_ordered_with_limit(self):
        # values_list("name", flat=True).distinct().order_by("-name")[:3]
        command = self.command(
            'SELECT DISTINCT "app_author"."name" AS "name" FROM "app_author" ORDER BY 1 DESC LIMIT 3'
        )
        self.assertEqual(command.pipeline[-2:], [{"$sort": {"c0": -1}}, {"$limit": 3}])

    def test_group_keys_treat_missing_and_null_as_one_value(self):
        # A document without the field (INSERT ... DEFAULT leaves it out, and
        # djongo reads missing fields as NULL) and one holding null are both
        # NULL in SQL, so DISTINCT and GROUP BY must give one NULL row:
        # $ifNull makes the key null for both.
        for sql in [
            'SELECT DISTINCT "app_author"."name" AS "name" FROM "app_author"',
            'SELECT "app_author"."name" AS "name", COUNT(*) AS "n" FROM "app_author" GROUP BY "app_author"."name"',
        ]:
            with self.subTest(sql=sql):
                group = self.command(sql).pipeline[0]["$group"]
                self.assertEqual(group["_id"], {"$ifNull": ["$name", None]})


class JoinOnConditionTests(TranslationTestCase):
    """Joins whose ON is not one column equality: $lookup with let and a pipeline."""

    def test_join_on_an_inequality(self):
        self.assertTranslates('SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."x" > "u"."id")', [Aggregate("t", pipeline=[
            {"$lookup": {
                "from": "u", "let": {"o0": {"$ifNull": ["$x", None]}},
                "pipeline": [{"$match": {"$expr": {"$and": [
                    {"$gt": ["$$o0", "$id"]}, not_null("$$o0"), not_null("$id"),
                ]}}}],
                "as": "__u",
            }},
            {"$unwind": "$__u"},
            {"$project": {"_id": 0, "c0": "$id"}},
        ], columns=("c0",), names=("id",))])

    def test_filtered_relation(self):
        # Author.objects.annotate(long=FilteredRelation("books", condition=Q(books__pages__gt=100)))
        #     .filter(long__isnull=False).values("id"): the constant part of ON
        # is a plain filter inside the joined table's pipeline.
        self.assertTranslates(
            'SELECT "app_author"."id" FROM "app_author" INNER JOIN "app_book" long '
            'ON ("app_author"."id" = long."author_id" AND (long."pages" > %s)) WHERE long."id" IS NOT NULL',
            [Aggregate("app_author", pipeline=[
                {"$lookup": {
                    "from": "app_book", "let": {"o0": {"$ifNull": ["$id", None]}},
                    "pipeline": [{"$match": {"$and": [
                        {"$expr": {"$and": [{"$eq": ["$$o0", "$author_id"]}, not_null("$$o0"), not_null("$author_id")]}},
                        {"pages": {"$gt": Slot(0)}},
                    ]}}],
                    "as": "__long",
                }},
                {"$unwind": "$__long"},
                {"$match": {"__long.id": {"$ne": None}}},
                {"$project": {"_id": 0, "c0": "$id"}},
            ], columns=("c0",), names=("id",))],
        )

    def test_left_join_on_a_condition_keeps_unmatched_rows(self):
        command = self.command('SELECT "t"."id" FROM "t" LEFT OUTER JOIN "u" ON ("t"."x" = "u"."id" AND "u"."a" = %s)')
        self.assertEqual(command.pipeline[1], {"$unwind": {"path": "$__u", "preserveNullAndEmptyArrays": True}})


# Django's Author.objects.annotate(n=Count("books")) and its GROUP BY.
AUTHOR_WITH_BOOKS = (
    'SELECT "app_author"."id", "app_author"."name", "app_author"."email", {aggregate} AS "n" FROM "app_author" '
    'LEFT OUTER JOIN "app_book" ON ("app_author"."id" = "app_book"."author_id") '
    'GROUP BY "app_author"."id", "app_author"."name", "app_author"."email"'
)
AUTHOR_BOOKS_JOIN = [
    {"$lookup": {"from": "app_book", "localField": "id", "foreignField": "author_id", "as": "__app_book"}},
    only_if_not_null("__app_book", "$id"),
    {"$unwind": {"path": "$__app_book", "preserveNullAndEmptyArrays": True}},
]
AUTHOR_GROUP_ID = {
    "k0": {"$ifNull": ["$id", None]}, "k1": {"$ifNull": ["$name", None]}, "k2": {"$ifNull": ["$email", None]},
}
AUTHOR_GROUP_PROJECT = {"$project": {"_id": 0, "c0": "$_id.k0", "c1": "$_id.k1", "c2": "$_id.k2", "c3": "$a0"}}


def keep(*paths):
    """The $project before $group or $sort that keeps only the fields still read after the joins."""
    return {"$project": {**{path: 1 for path in sorted(paths)}, "_id": 0}}


class GroupingTests(TranslationTestCase):
    """GROUP BY keys are read as $_id.kN and aggregates as the accumulators aN."""

    def test_having(self):
        # Author.objects.annotate(n=Count("books")).filter(n__gt=1): the
        # HAVING aggregate is the selected one, computed once.
        self.assertTranslates(
            AUTHOR_WITH_BOOKS.format(aggregate='COUNT("app_book"."id")') + ' HAVING COUNT("app_book"."id") > %s',
            [Aggregate("app_author", pipeline=[
                *AUTHOR_BOOKS_JOIN,
                keep("__app_book.id", "email", "id", "name"),
                {"$group": {"_id": AUTHOR_GROUP_ID, "a0": {"$sum": {"$cond": [not_null("$__app_book.id"), 1, 0]}}}},
                # HAVING keeps the groups where the condition is TRUE, not UNKNOWN.
                {"$match": {"$expr": {"$eq": [
                    {"$cond": [is_null("$a0"), None, {"$gt": ["$a0", {"$literal": Slot(0)}]}]}, True,
                ]}}},
                AUTHOR_GROUP_PROJECT,
            ], columns=("c0", "c1", "c2", "c3"), names=("id", "name", "email", "n"))],
        )

    def test_having_on_a_sum_ordered_by_it(self):
        # Book.objects.values("author_id").annotate(total=Sum("pages")).filter(total__gt=5)
        #     .order_by(F("total").desc(nulls_last=True))
        total = {"$cond": [{"$eq": [{"$ifNull": ["$a0_n", None]}, None]}, None, "$a0"]}
        self.assertTranslates(
            'SELECT "app_book"."author_id" AS "author_id", SUM("app_book"."pages") AS "total" FROM "app_book" '
            'GROUP BY "app_book"."author_id" HAVING SUM("app_book"."pages") > %s ORDER BY "total" DESC NULLS LAST',
            [Aggregate("app_book", pipeline=[
                {"$group": {
                    "_id": {"$ifNull": ["$author_id", None]},
                    "a0": {"$sum": "$pages"},
                    "a0_n": {"$max": "$pages"},
                }},
                {"$match": {"$expr": {"$eq": [
                    {"$cond": [is_null(total), None, {"$gt": [total, {"$literal": Slot(0)}]}]}, True,
                ]}}},
                {"$project": {"_id": 0, "c0": "$_id", "c1": total}},
                # Descending order puts NULLs last in MongoDB too: no extra key.
                {"$sort": {"c1": -1}},
            ], columns=("c0", "c1"), names=("author_id", "total"))],
        )

    def test_count_with_a_filter(self):
        # Author.objects.annotate(n=Count("books", filter=Q(books__pages__gt=100))):
        # COUNT counts the non-NULL values of the CASE.
        pages_over = {"$cond": [is_null("$__app_book.pages"), None, {"$gt": ["$__app_book.pages", {"$literal": Slot(0)}]}]}
        case = {"$cond": [{"$eq": [pages_over, True]}, "$__app_book.id", {"$literal": None}]}
        self.assertTranslates(
            AUTHOR_WITH_BOOKS.format(
                aggregate='COUNT(CASE WHEN "app_book"."pages" > %s THEN "app_book"."id" ELSE NULL END)',
            ),
            [Aggregate("app_author", pipeline=[
                *AUTHOR_BOOKS_JOIN,
                keep("__app_book.id", "__app_book.pages", "email", "id", "name"),
                {"$group": {"_id": AUTHOR_GROUP_ID, "a0": {"$sum": {"$cond": [not_null(case), 1, 0]}}}},
                AUTHOR_GROUP_PROJECT,
            ], columns=("c0", "c1", "c2", "c3"), names=("id", "name", "email", "n"))],
        )

    def test_values_annotate(self):
        # Book.objects.values("author_id").annotate(total=Sum("pages"))
        self.assertTranslates(
            'SELECT "app_book"."author_id" AS "author_id", SUM("app_book"."pages") AS "total" FROM "app_book" '
            'GROUP BY "app_book"."author_id"',
            [Aggregate("app_book", pipeline=[
                {"$group": {
                    "_id": {"$ifNull": ["$author_id", None]},
                    "a0": {"$sum": "$pages"},
                    "a0_n": {"$max": "$pages"},
                }},
                {"$project": {"_id": 0, "c0": "$_id", "c1": {
                    "$cond": [{"$eq": [{"$ifNull": ["$a0_n", None]}, None]}, None, "$a0"],
                }}},
            ], columns=("c0", "c1"), names=("author_id", "total"))],
        )

    def test_aggregate_over_an_annotated_queryset(self):
        # Author.objects.annotate(n=Count("books")).aggregate(m=Max("n")): the
        # grouped rows feed a second, one-row aggregation.
        self.assertTranslates(
            'SELECT MAX("n") FROM (SELECT COUNT("app_book"."id") AS "n" FROM "app_author" '
            'LEFT OUTER JOIN "app_book" ON ("app_author"."id" = "app_book"."author_id") '
            'GROUP BY "app_author"."id") subquery',
            [Aggregate("app_author", pipeline=[
                *AUTHOR_BOOKS_JOIN,
                keep("__app_book.id", "id"),
                {"$group": {
                    "_id": {"$ifNull": ["$id", None]},
                    "a0": {"$sum": {"$cond": [not_null("$__app_book.id"), 1, 0]}},
                }},
                {"$project": {"_id": 0, "c0": "$a0"}},
                *one_group({"a0": {"$max": "$c0"}}, {}),
                {"$project": {"_id": 0, "c0": "$a0"}},
            ], columns=("c0",), names=("MAX(...)",))],
        )

    def test_expression_over_aggregates(self):
        command = self.command('SELECT "t"."a", (MAX("t"."b") - MIN("t"."b")) AS "r" FROM "t" GROUP BY "t"."a"')
        self.assertEqual(command.pipeline, [
            {"$group": {"_id": {"$ifNull": ["$a", None]}, "a0": {"$max": "$b"}, "a1": {"$min": "$b"}}},
            {"$project": {"_id": 0, "c0": "$_id", "c1": {"$subtract": ["$a0", "$a1"]}}},
        ])

    def test_group_by_an_expression(self):
        command = self.command('SELECT ("t"."a" + %s) AS "x", COUNT(*) AS "n" FROM "t" GROUP BY ("t"."a" + %s)')
        self.assertEqual(command.pipeline[0]["$group"]["_id"], {
            "$ifNull": [{"$add": ["$a", {"$literal": Slot(1)}]}, None],
        })


class OrderByExpressionTests(TranslationTestCase):
    """ORDER BY what a find cannot sort on: computed __oN keys, and __nN keys for NULLS FIRST/LAST."""

    def test_nulls_last_ascending(self):
        # Book.objects.order_by(F("editor_id").asc(nulls_last=True))
        self.assertTranslates(
            'SELECT "app_book"."id" FROM "app_book" ORDER BY "app_book"."editor_id" ASC NULLS LAST',
            [Aggregate("app_book", pipeline=[
                {"$project": {
                    "_id": 0, "c0": "$id", "__o0": "$editor_id",
                    "__n0": {"$cond": [is_null("$editor_id"), 1, 0]},
                }},
                {"$sort": {"__n0": 1, "__o0": 1}},
            ], columns=("c0",), names=("id",))],
        )

    def test_nulls_first_descending(self):
        command = self.command('SELECT "t"."id" FROM "t" ORDER BY "t"."a" DESC NULLS FIRST')
        self.assertEqual(command.pipeline, [
            {"$project": {"_id": 0, "c0": "$id", "__o0": "$a", "__n0": {"$cond": [is_null("$a"), 0, 1]}}},
            {"$sort": {"__n0": 1, "__o0": -1}},
        ])

    def test_natural_null_order_stays_a_find(self):
        # Book.objects.order_by(F("editor_id").desc(nulls_last=True))
        command = self.command('SELECT "app_book"."id" FROM "app_book" ORDER BY "app_book"."editor_id" DESC NULLS LAST')
        self.assertIsInstance(command, Find)
        self.assertEqual(command.sort, (("editor_id", -1),))

    def test_random(self):
        # Book.objects.order_by("?")
        self.assertTranslates('SELECT "app_book"."id" FROM "app_book" ORDER BY RANDOM() ASC', [Aggregate("app_book", pipeline=[
            {"$project": {"_id": 0, "c0": "$id", "__o0": {"$rand": {}}}},
            {"$sort": {"__o0": 1}},
        ], columns=("c0",), names=("id",))])

    def test_case_then_a_selected_column(self):
        # Book.objects.order_by(Case(When(pages__gt=10, then=Value(0)), default=Value(1)), "id")
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" ORDER BY CASE WHEN "app_book"."pages" > %s THEN %s ELSE %s END ASC, '
            '"app_book"."id" ASC'
        )
        pages_over = {"$cond": [is_null("$pages"), None, {"$gt": ["$pages", {"$literal": Slot(0)}]}]}
        self.assertEqual(command.pipeline, [
            {"$project": {"_id": 0, "c0": "$id", "__o0": {"$cond": [
                {"$eq": [pages_over, True]}, {"$literal": Slot(1)}, {"$literal": Slot(2)},
            ]}}},
            # The selected column is sorted on by its output name.
            {"$sort": {"__o0": 1, "c0": 1}},
        ])

    def test_order_then_slice(self):
        command = self.command('SELECT "t"."id" FROM "t" ORDER BY "t"."a" ASC NULLS LAST LIMIT 3 OFFSET 1')
        self.assertEqual(command.pipeline[-3:], [{"$sort": {"__n0": 1, "__o0": 1}}, {"$skip": 1}, {"$limit": 3}])


class CaseAndCoalesceTests(TranslationTestCase):

    def test_searched_case(self):
        # Book.objects.annotate(size=Case(When(pages__gt=100, then=Value("long")), default=Value("short")))
        pages_over = {"$cond": [is_null("$pages"), None, {"$gt": ["$pages", {"$literal": Slot(0)}]}]}
        self.assertTranslates(
            'SELECT "app_book"."id", CASE WHEN "app_book"."pages" > %s THEN %s ELSE %s END AS "size" FROM "app_book"',
            [Aggregate("app_book", pipeline=[{"$project": {"_id": 0, "c0": "$id", "c1": {"$cond": [
                # A WHEN that is UNKNOWN (NULL pages) falls through to ELSE.
                {"$eq": [pages_over, True]}, {"$literal": Slot(1)}, {"$literal": Slot(2)},
            ]}}}], columns=("c0", "c1"), names=("id", "size"))],
        )

    def test_several_whens_nest_and_no_else_is_null(self):
        command = self.command('SELECT CASE WHEN "t"."a" = 1 THEN 10 WHEN "t"."b" = 2 THEN 20 END AS "x" FROM "t"')

        def equals(path, number):
            return {"$eq": [{"$cond": [is_null(path), None, {"$eq": [path, {"$literal": number}]}]}, True]}

        self.assertEqual(command.pipeline, [{"$project": {"_id": 0, "c0": {"$cond": [
            equals("$a", 1), {"$literal": 10}, {"$cond": [equals("$b", 2), {"$literal": 20}, None]},
        ]}}}])

    def test_simple_case(self):
        command = self.command('SELECT CASE "t"."a" WHEN 1 THEN %s ELSE %s END AS "x" FROM "t"')
        self.assertEqual(command.pipeline[0]["$project"]["c0"], {"$cond": [
            {"$eq": [{"$cond": [is_null("$a"), None, {"$eq": ["$a", {"$literal": 1}]}]}, True]},
            {"$literal": Slot(0)}, {"$literal": Slot(1)},
        ]})

    def test_coalesce(self):
        # Book.objects.annotate(ed=Coalesce("editor_id", "author_id"))
        self.assertTranslates(
            'SELECT "app_book"."id", COALESCE("app_book"."editor_id", "app_book"."author_id") AS "ed" FROM "app_book"',
            [Aggregate("app_book", pipeline=[
                {"$project": {"_id": 0, "c0": "$id", "c1": {"$ifNull": ["$editor_id", "$author_id"]}}},
            ], columns=("c0", "c1"), names=("id", "ed"))],
        )


# SELECT without FROM reads the one document $facet outputs, whatever the collection holds.
ONE_ROW = [{"$limit": 1}, {"$facet": {"row": [{"$limit": 1}]}}, {"$project": {"row": 0}}]


class SelectWithoutFromTests(TranslationTestCase):

    def test_constant(self):
        self.assertTranslates("SELECT 1", [Aggregate("__schema__", pipeline=[
            *ONE_ROW, {"$project": {"_id": 0, "c0": {"$literal": 1}}},
        ], columns=("c0",), names=("1",))])

    def test_computed_value(self):
        command = self.command('SELECT (%s + %s) AS "x"')
        self.assertEqual(command.pipeline[-1], {"$project": {"_id": 0, "c0": {"$add": [
            {"$literal": Slot(0)}, {"$literal": Slot(1)},
        ]}}})

    def test_q_check(self):
        # Q(pages__gt=10).check({"pages": Value(11)}), as constraint validation runs it.
        comparison = {"$gt": [{"$literal": Slot(1)}, {"$literal": Slot(2)}]}
        coalesced = {"$ifNull": [comparison, {"$literal": Slot(3)}]}
        self.assertTranslates('SELECT %s AS "_check" WHERE COALESCE((%s > %s), %s)', [Aggregate("__schema__", pipeline=[
            *ONE_ROW,
            {"$match": {"$expr": {"$eq": [{"$cond": [is_null(coalesced), None, {"$and": [coalesced]}]}, True]}}},
            {"$project": {"_id": 0, "c0": {"$literal": Slot(0)}}},
        ], columns=("c0",), names=("_check",))])

    def test_q_check_with_null(self):
        # Q(ratio__gt=0).check({"ratio": Value(None)}): NULL > 0 is UNKNOWN, and
        # COALESCE makes it TRUE, so a NULL passes a check constraint.
        command = self.command('SELECT %s AS "_check" WHERE COALESCE((NULL > %s), %s)')
        comparison = {"$cond": [is_null({"$literal": None}), None, {"$gt": [{"$literal": None}, {"$literal": Slot(1)}]}]}
        coalesced = {"$ifNull": [comparison, {"$literal": Slot(2)}]}
        self.assertEqual(command.pipeline[3], {"$match": {"$expr": {"$eq": [
            {"$cond": [is_null(coalesced), None, {"$and": [coalesced]}]}, True,
        ]}}})


class UnsupportedSelectTests(TranslationTestCase):

    def test_right_full_and_cross_joins(self):
        for kind, fragment in [("RIGHT OUTER", "RIGHT JOIN"), ("RIGHT", "RIGHT JOIN"), ("FULL OUTER", "FULL JOIN")]:
            with self.subTest(kind=kind):
                self.assertUnsupported(f'SELECT "t"."id" FROM "t" {kind} JOIN "u" ON ("t"."x" = "u"."id")', fragment)
        self.assertUnsupported('SELECT "t"."id" FROM "t" CROSS JOIN "u"', "CROSS JOIN")
        self.assertUnsupported('SELECT "t"."id" FROM "t", (SELECT "u"."id" FROM "u") s', "comma join to a subquery")

    def test_function_without_an_aggregation_operator(self):
        # Author.objects.annotate(m=MD5("name"))
        self.assertUnsupported(
            'SELECT "app_author"."id", MD5("app_author"."name") AS "m" FROM "app_author"', "function MD5()",
        )
        self.assertUnsupported('SELECT "t"."a" FROM "t" GROUP BY "t"."a" ORDER BY MD5("t"."a")', "function MD5()")

    def test_bitwise_operations(self):
        # Book.objects.annotate(b=F("pages").bitand(3))
        self.assertUnsupported(
            'SELECT "app_book"."id", (BITAND("app_book"."pages", %s)) AS "b" FROM "app_book"', "function BITAND()",
        )

    def test_join_to_a_subquery(self):
        self.assertUnsupported(
            'SELECT "t"."id" FROM "t" INNER JOIN (SELECT "u"."id" FROM "u") s ON ("t"."x" = s."id")',
            "JOIN to a subquery",
        )

    def test_unknown_table(self):
        self.assertUnsupported('SELECT "v"."id" FROM "t"', "reference to table 'v'")

    def test_ungrouped_column(self):
        self.assertUnsupported(
            'SELECT "t"."a", "t"."b" FROM "t" GROUP BY "t"."a"',
            "selected column that is neither grouped nor aggregated",
        )

    def test_window_frame_groups(self):
        self.assertUnsupported(
            'SELECT ROW_NUMBER() OVER (ORDER BY "t"."a" GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM "t"',
            "GROUPS frame of a window",
        )

    def test_window_filter_clause(self):
        self.assertUnsupported('SELECT COUNT(*) FILTER (WHERE "t"."a" > 1) FROM "t"', "FILTER clause of COUNT()")


class FakeCollection:
    """Just enough of a pymongo Collection for find(): returns the stored documents."""

    def __init__(self, documents):
        self.documents = documents

    def find(self, filter_, projection=None, sort=None, skip=0, limit=0, session=None, batch_size=0):
        return iter([dict(document) for document in self.documents])


class FakeConnection:
    enforce_schema = False

    def __init__(self, collections):
        self.database = {name: FakeCollection(documents) for name, documents in collections.items()}
        # The catalog's one fact a read asks: which collections exist.
        self.catalog = types.SimpleNamespace(exists=self.database.__contains__)

    def collection(self, name):
        return self.database[name]

    def session(self):
        return None  # autocommit
