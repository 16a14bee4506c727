"""SELECT: find, count_documents or an aggregate pipeline (translate/select.py)."""
from djongo import executor
from djongo.sql2mongo.commands import Aggregate, Const, CountDocuments, Find, Slot
from djongo.sql2mongo.translate.values import ilike_regex

from .base import TranslationTestCase

AUTHOR_COLUMNS = (
    '"app_author"."id", "app_author"."name", "app_author"."email", '
    '"app_author"."is_active", "app_author"."age", "app_author"."code"'
)
AUTHOR_FIELDS = ("id", "name", "email", "is_active", "age", "code")
AUTHOR_PROJECTION = {"_id": 0, **{field: 1 for field in AUTHOR_FIELDS}}

# The guard $lookup needs: NULL = NULL is not a join match.
def not_null(path):
    return {"$ne": [{"$ifNull": [path, None]}, None]}


def only_if_not_null(field, *locals_):
    return {"$addFields": {field: {"$cond": [{"$and": [not_null(local) for local in locals_]}, "$" + field, []]}}}


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
            [Find("app_author", filter={"id": {"$eq": Slot(0)}}, projection=AUTHOR_PROJECTION,
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
            [Find("app_author", filter={"name": {"$eq": Slot(0)}}, projection={"_id": 0},
                  limit=1, columns=(Const(1),), names=("a",))],
        )

    def test_exists_as_django_compiles_it(self):
        # Author.objects.filter(name="x").exists(): the 1 is a parameter.
        self.assertTranslates(
            'SELECT %s AS "a" FROM "app_author" WHERE "app_author"."name" = %s LIMIT 1',
            [Find("app_author", filter={"name": {"$eq": Slot(1)}}, projection={"_id": 0},
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
            [CountDocuments("app_author", filter={"age": {"$eq": Slot(0)}}, names=("__count",))],
        )
        self.assertTranslates('SELECT COUNT(*) FROM "app_author"', [CountDocuments("app_author", names=("COUNT(...)",))])

    def test_count_of_a_sliced_subquery(self):
        # Author.objects.filter(age=3)[:10].count()
        self.assertTranslates(
            'SELECT COUNT(*) FROM (SELECT "app_author"."id" AS "col1" FROM "app_author" '
            'WHERE "app_author"."age" = %s LIMIT 10) subquery',
            [CountDocuments("app_author", filter={"age": {"$eq": Slot(0)}}, limit=10, names=("COUNT(...)",))],
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
                {"$group": {"_id": {"k0": {"$ifNull": ["$name", None]}}}},
                {"$project": {"_id": 0, "c0": "$_id.k0"}},
                {"$group": {"_id": None, "c0": {"$sum": 1}}},
                {"$project": {"_id": 0, "c0": "$c0"}},
            ], columns=("c0",), names=("COUNT(...)",), empty_row=(0,))],
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
                {"$match": {"b": {"$eq": Slot(0)}}},
                {"$group": {"_id": {"k0": {"$ifNull": ["$a", None]}}}},
                {"$project": {"_id": 0, "c0": "$_id.k0"}},
                {"$group": {"_id": None, "c0": {"$max": "$c0"}}},
                {"$project": {"_id": 0, "c0": "$c0"}},
            ], columns=("c0",), names=("m",), empty_row=(None,))],
        )

    def test_where_on_subquery_columns(self):
        command = self.command('SELECT COUNT(*) FROM (SELECT "t"."a" AS "c" FROM "t" LIMIT 5) s WHERE "s"."c" > %s')
        self.assertEqual(command.pipeline[:3], [
            {"$limit": 5},
            {"$project": {"_id": 0, "c0": "$a"}},
            {"$match": {"c0": {"$gt": Slot(0)}}},
        ])
        self.assertEqual(command.empty_row, (0,))

    def test_column_the_subquery_does_not_select(self):
        self.assertUnsupported(
            'SELECT "s"."zz" FROM (SELECT "t"."id" AS "col1" FROM "t") s',
            "column 'zz', which the subquery in FROM does not select",
        )

    def test_union_in_a_subquery(self):
        self.assertUnsupported(
            'SELECT COUNT(*) FROM (SELECT "t"."id" FROM "t" UNION SELECT "u"."id" FROM "u") s', "UNION",
        )


class JoinTests(TranslationTestCase):

    def test_inner_join_with_conditions_on_both_tables(self):
        # Book.objects.filter(author__name__icontains="x", pages__gt=3).only("title")
        self.assertTranslates(
            'SELECT "app_book"."id", "app_book"."title" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'WHERE ("app_author"."name" ILIKE %s AND "app_book"."pages" > %s)',
            [Aggregate("app_book", pipeline=[
                # The FROM table's own condition is matched before the join.
                {"$match": {"pages": {"$gt": Slot(1)}}},
                {"$lookup": {"from": "app_author", "localField": "author_id",
                             "foreignField": "id", "as": "__app_author"}},
                only_if_not_null("__app_author", "$author_id"),
                {"$unwind": "$__app_author"},
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
                {"$lookup": {"from": "app_author", "localField": "author_id",
                             "foreignField": "id", "as": "__app_author"}},
                only_if_not_null("__app_author", "$author_id"),
                {"$unwind": "$__app_author"},
                {"$lookup": {"from": "app_author", "localField": "editor_id",
                             "foreignField": "id", "as": "__T3"}},
                only_if_not_null("__T3", "$editor_id"),
                {"$unwind": {"path": "$__T3", "preserveNullAndEmptyArrays": True}},
                {"$sort": {"__T3.name": -1}},
                {"$limit": 5},
                {"$project": {"_id": 0, "c0": "$id", "c1": "$title",
                              "c2": "$__app_author.name", "c3": "$__T3.name"}},
            ], columns=("c0", "c1", "c2", "c3"), names=("id", "title", "name", "name"))],
        )

    def test_or_across_tables_is_matched_after_the_join(self):
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'WHERE ("app_author"."name" = %s OR "app_book"."pages" = %s)'
        )
        self.assertEqual(command.pipeline[0]["$lookup"]["from"], "app_author")
        self.assertEqual(command.pipeline[3], {"$match": {"$or": [
            {"__app_author.name": {"$eq": Slot(0)}}, {"pages": {"$eq": Slot(1)}},
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
        self.assertEqual(command.pipeline[0], {"$lookup": {
            "from": "app_author", "localField": "author_id", "foreignField": "id", "as": "__app_author",
        }})

    def test_join_on_two_columns(self):
        self.assertTranslates(
            'SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."a" = "u"."a" AND "t"."b" = "u"."b")',
            [Aggregate("t", pipeline=[
                {"$lookup": {
                    "from": "u", "let": {"v0": "$a", "v1": "$b"},
                    "pipeline": [{"$match": {"$expr": {"$and": [
                        {"$eq": ["$a", "$$v0"]}, {"$eq": ["$b", "$$v1"]},
                    ]}}}],
                    "as": "__u",
                }},
                only_if_not_null("__u", "$a", "$b"),
                {"$unwind": "$__u"},
                {"$project": {"_id": 0, "c0": "$id"}},
            ], columns=("c0",), names=("id",))],
        )

    def test_chained_joins_use_the_nested_field(self):
        command = self.command(
            'SELECT "a"."id" FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id") '
            'INNER JOIN "c" ON ("b"."c_id" = "c"."id")'
        )
        self.assertEqual(command.pipeline[3]["$lookup"]["localField"], "__b.c_id")
        self.assertEqual(command.pipeline[4], only_if_not_null("__c", "$__b.c_id"))

    def test_count_with_a_join(self):
        command = self.command(
            'SELECT COUNT(*) AS "__count" FROM "app_book" '
            'INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") WHERE "app_author"."name" = %s'
        )
        self.assertEqual(command.pipeline[-2:], [
            {"$group": {"_id": None, "c0": {"$sum": 1}}},
            {"$project": {"_id": 0, "c0": "$c0"}},
        ])
        self.assertEqual(command.empty_row, (0,))


class AggregateTests(TranslationTestCase):

    def test_min_max_sum_avg_count(self):
        # Author.objects.aggregate(Min("age"), Max("age"), Sum("age"), Avg("age"), Count("age"))
        counted = {"$sum": {"$cond": [not_null("$age"), 1, 0]}}
        self.assertTranslates(
            'SELECT MIN("app_author"."age") AS "age__min", MAX("app_author"."age") AS "age__max", '
            'SUM("app_author"."age") AS "age__sum", AVG("app_author"."age") AS "age__avg", '
            'COUNT("app_author"."age") AS "age__count" FROM "app_author"',
            [Aggregate("app_author", pipeline=[
                {"$group": {
                    "_id": None,
                    "c0": {"$min": "$age"},
                    "c1": {"$max": "$age"},
                    "c2": {"$sum": "$age"},
                    "c2_n": counted,
                    "c3": {"$avg": "$age"},
                    "c4": counted,
                }},
                {"$project": {
                    "_id": 0, "c0": "$c0", "c1": "$c1",
                    # SUM of no non-NULL values is NULL, not 0.
                    "c2": {"$cond": [{"$eq": ["$c2_n", 0]}, None, "$c2"]},
                    "c3": "$c3", "c4": "$c4",
                }},
            ], columns=("c0", "c1", "c2", "c3", "c4"),
                names=("age__min", "age__max", "age__sum", "age__avg", "age__count"),
                # The row SQL returns when there are no rows at all.
                empty_row=(None, None, None, None, 0))],
        )

    def test_aggregate_with_where(self):
        command = self.command('SELECT MAX("app_author"."age") AS "m" FROM "app_author" WHERE "app_author"."is_active"')
        self.assertEqual(command.pipeline[0], {"$match": {"is_active": {"$eq": True}}})
        self.assertEqual(command.empty_row, (None,))

    def test_count_distinct(self):
        self.assertTranslates('SELECT COUNT(DISTINCT "t"."a") AS "n" FROM "t"', [Aggregate("t", pipeline=[
            {"$group": {"_id": None, "c0": {"$addToSet": "$a"}}},
            {"$project": {"_id": 0, "c0": {"$size": {"$setDifference": ["$c0", [None]]}}}},
        ], columns=("c0",), names=("n",), empty_row=(0,))])

    def test_group_by_ordered_by_position(self):
        # Author.objects.values("name").annotate(m=Max("age")).order_by("name")
        self.assertTranslates(
            'SELECT "app_author"."name" AS "name", MAX("app_author"."age") AS "m" FROM "app_author" '
            'GROUP BY "app_author"."name" ORDER BY 1 ASC',
            [Aggregate("app_author", pipeline=[
                {"$group": {"_id": {"k0": {"$ifNull": ["$name", None]}}, "c1": {"$max": "$age"}}},
                {"$project": {"_id": 0, "c0": "$_id.k0", "c1": "$c1"}},
                {"$sort": {"c0": 1}},
            ], columns=("c0", "c1"), names=("name", "m"))],
        )

    def test_group_by_ordered_by_aggregate_alias_with_limit(self):
        command = self.command(
            'SELECT "t"."a", COUNT(*) AS "n" FROM "t" WHERE "t"."b" = %s GROUP BY "t"."a" ORDER BY "n" DESC LIMIT 5'
        )
        self.assertEqual(command.pipeline[0], {"$match": {"b": {"$eq": Slot(0)}}})
        self.assertEqual(command.pipeline[-2:], [{"$sort": {"c1": -1}}, {"$limit": 5}])
        self.assertIsNone(command.empty_row)


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
        # NULL in SQL, so DISTINCT and GROUP BY must give one NULL row; a bare
        # "$name" key groups them apart ({} and {"k0": null}).
        for sql in [
            'SELECT DISTINCT "app_author"."name" AS "name" FROM "app_author"',
            'SELECT "app_author"."name" AS "name", COUNT(*) AS "n" FROM "app_author" GROUP BY "app_author"."name"',
        ]:
            with self.subTest(sql=sql):
                group = self.command(sql).pipeline[0]["$group"]
                self.assertEqual(group["_id"], {"k0": {"$ifNull": ["$name", None]}})


class UnsupportedSelectTests(TranslationTestCase):

    def test_right_full_and_cross_joins(self):
        for kind, fragment in [("RIGHT OUTER", "RIGHT JOIN"), ("RIGHT", "RIGHT JOIN"), ("FULL OUTER", "FULL JOIN")]:
            with self.subTest(kind=kind):
                self.assertUnsupported(f'SELECT "t"."id" FROM "t" {kind} JOIN "u" ON ("t"."x" = "u"."id")', fragment)
        self.assertUnsupported('SELECT "t"."id" FROM "t" CROSS JOIN "u"', "CROSS JOIN")
        self.assertUnsupported('SELECT "t"."id" FROM "t", "u"', "comma join")

    def test_union_intersect_except(self):
        for op in ("UNION", "UNION ALL", "INTERSECT", "EXCEPT"):
            with self.subTest(op=op):
                self.assertUnsupported(
                    f'SELECT "t"."id" FROM "t" WHERE "t"."a" = %s {op} SELECT "t"."id" FROM "t" WHERE "t"."a" = %s',
                    f"{op.split()[0]} of SELECTs",
                )

    def test_having(self):
        # Author.objects.values("name").annotate(n=Count("id")).filter(n__gt=1)
        self.assertUnsupported(
            'SELECT "app_author"."name" AS "name", COUNT("app_author"."id") AS "n" FROM "app_author" '
            'GROUP BY "app_author"."name" HAVING COUNT("app_author"."id") > %s',
            "HAVING",
        )

    def test_select_without_from(self):
        self.assertUnsupported("SELECT 1", "SELECT without FROM")

    def test_join_to_a_subquery(self):
        self.assertUnsupported(
            'SELECT "t"."id" FROM "t" INNER JOIN (SELECT "u"."id" FROM "u") s ON ("t"."x" = s."id")',
            "JOIN to a subquery",
        )

    def test_join_on_something_else_than_equalities(self):
        self.assertUnsupported(
            'SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."x" > "u"."id")',
            "JOIN condition other than column equalities",
        )

    def test_unqualified_column_with_joins(self):
        self.assertUnsupported(
            'SELECT "id" FROM "t" INNER JOIN "u" ON ("t"."x" = "u"."id")',
            "unqualified column in a statement with joins",
        )

    def test_unknown_table(self):
        self.assertUnsupported('SELECT "v"."id" FROM "t"', "reference to table 'v'")

    def test_order_by_random_and_nulls_last_ascending(self):
        # Author.objects.order_by("?")
        self.assertUnsupported('SELECT "t"."id" FROM "t" ORDER BY RANDOM() ASC', "ORDER BY an expression")
        self.assertUnsupported('SELECT "t"."id" FROM "t" ORDER BY "t"."a" ASC NULLS LAST', "NULLS FIRST/LAST")

    def test_ungrouped_column(self):
        self.assertUnsupported(
            'SELECT "t"."a", "t"."b" FROM "t" GROUP BY "t"."a"',
            "selected column that is neither grouped nor aggregated",
        )

    def test_unknown_function_in_select(self):
        self.assertUnsupported('SELECT UPPER("t"."a") FROM "t"', "function UPPER()")

    def test_window_function(self):
        self.assertUnsupported('SELECT ROW_NUMBER() OVER (ORDER BY "t"."a") FROM "t"', "OVER clause of ROW_NUMBER()")


class FakeCollection:
    """Just enough of a pymongo Collection for find(): returns the stored documents."""

    def __init__(self, documents):
        self.documents = documents

    def find(self, filter_, projection=None, sort=None, skip=0, limit=0, session=None):
        return iter([dict(document) for document in self.documents])


class FakeConnection:
    enforce_schema = False

    def __init__(self, collections):
        self.database = {name: FakeCollection(documents) for name, documents in collections.items()}

    def session(self):
        return None  # autocommit
