"""INSERT, UPDATE and DELETE (translate/dml.py)."""
import decimal

from bson.decimal128 import Decimal128

from djongo.exceptions import DataError
from djongo.sql2mongo.binding import DEFAULT, Build, PreRun, Slot, bind, member
from djongo.sql2mongo.commands import Aggregate, BulkUpdate, DeleteMany, Find, InsertMany, UpdateEach, UpdateMany
from djongo.sql2mongo.translate.values import equal_to
from djongo.sql2mongo.translate.predicates.membership import _in_values

from .base import MATCH_NONE, TranslationTestCase

AUTHOR_INSERT = 'INSERT INTO "app_author" ("name", "email", "is_active", "age", "code") VALUES '
AUTHOR_FIELDS = ("name", "email", "is_active", "age", "code")
ONE_ROW = [{"$limit": 1}, {"$facet": {"row": [{"$limit": 1}]}}, {"$project": {"row": 0}}]


def is_null(expression):
    return {"$eq": [{"$ifNull": [expression, None]}, None]}


def not_null(expression):
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


class InsertTests(TranslationTestCase):

    def test_plain_rows_are_bound_straight_from_the_parameters(self):
        # Django's INSERT: every value the next parameter, row by row.
        self.assertTrue(self.command('INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s)').plain)
        for sql in [
            'INSERT INTO "t" ("a", "b") VALUES (%s, 1)',
            'INSERT INTO "t" ("a", "b") VALUES (%s, DEFAULT)',
            'INSERT INTO "t" ("a") VALUES (LOWER(%s))',
        ]:
            with self.subTest(sql=sql):
                self.assertFalse(self.command(sql).plain)

    def test_one_row_returning_the_id(self):
        # Author.objects.create(name="a", email="e", age=None)
        self.assertTranslates(
            AUTHOR_INSERT + '(%s, %s, %s, %s, %s) RETURNING "app_author"."id"',
            [InsertMany("app_author", AUTHOR_FIELDS,
                        rows=((Slot(0), Slot(1), Slot(2), Slot(3), Slot(4)),), returning=("id",))],
        )

    def test_many_rows(self):
        # Author.objects.bulk_create([Author(name="a"), Author(name="b")])
        self.assertTranslates(
            AUTHOR_INSERT + '(%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s) RETURNING "app_author"."id"',
            [InsertMany("app_author", AUTHOR_FIELDS, rows=(
                (Slot(0), Slot(1), Slot(2), Slot(3), Slot(4)),
                (Slot(5), Slot(6), Slot(7), Slot(8), Slot(9)),
            ), returning=("id",))],
        )
        self.assertEqual(self.plan(AUTHOR_INSERT + "(%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)").param_count, 10)

    def test_binds_values_of_each_row(self):
        self.assertBinds(
            AUTHOR_INSERT + "(%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)",
            ["a", "", True, None, None, "b", "e@x", False, 7, "c"],
            [["a", "", True, None, None], ["b", "e@x", False, 7, "c"]],
        )

    def test_without_returning(self):
        self.assertTranslates(
            'INSERT INTO "app_book" ("title", "author_id") VALUES (%s, %s)',
            [InsertMany("app_book", ("title", "author_id"), rows=((Slot(0), Slot(1)),))],
        )

    def test_default_keyword(self):
        # M.objects.bulk_create([M(b="x"), M(b="y", a=3)]) with a = IntegerField(db_default=5)
        self.assertTranslates(
            'INSERT INTO "app_m" ("a", "b") VALUES (DEFAULT, %s), (%s, %s) RETURNING "app_m"."id", "app_m"."a"',
            [InsertMany("app_m", ("a", "b"), rows=((DEFAULT, Slot(0)), (Slot(1), Slot(2))), returning=("id", "a"))],
        )

    def test_default_values(self):
        self.assertTranslates('INSERT INTO "t" DEFAULT VALUES', [InsertMany("t", (), rows=((),))])

    def test_literals(self):
        self.assertTranslates(
            "INSERT INTO \"t\" (\"a\", \"b\", \"c\", \"d\") VALUES (1, 'x''y', NULL, TRUE)",
            [InsertMany("t", ("a", "b", "c", "d"), rows=((1, "x'y", None, True),))],
        )

    def test_unqualified_returning(self):
        self.assertEqual(self.command('INSERT INTO "t" ("a") VALUES (%s) RETURNING "id"').returning, ("id",))

    def test_insert_select(self):
        self.assertUnsupported('INSERT INTO "t" ("a") SELECT "u"."b" FROM "u"', "INSERT ... SELECT")

    def test_on_conflict_do_nothing(self):
        # bulk_create(ignore_conflicts=True)
        command = self.command('INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s) ON CONFLICT DO NOTHING')
        self.assertEqual(command, InsertMany(
            "t", ("a", "b"), rows=((Slot(0), Slot(1)), (Slot(2), Slot(3))), skip_conflicts=True,
        ))

    def test_on_conflict_do_update(self):
        # bulk_create(update_conflicts=True, unique_fields=["a"], update_fields=["b"])
        command = self.command(
            'INSERT INTO "t" ("a", "b", "c") VALUES (%s, %s, %s) '
            'ON CONFLICT("a") DO UPDATE SET "b" = EXCLUDED."b", "c" = EXCLUDED."b" RETURNING "t"."id"'
        )
        self.assertEqual(command, InsertMany(
            "t", ("a", "b", "c"), rows=((Slot(0), Slot(1), Slot(2)),), returning=("id",),
            upsert_keys=("a",), upsert_updates=(("b", "b"), ("c", "b")),
        ))

    def test_on_conflict_forms_django_never_writes(self):
        for sql, construct in [
            ('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT("a") DO NOTHING', "ON CONFLICT (columns) DO NOTHING"),
            ('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT DO UPDATE SET "a" = EXCLUDED."a"',
             "ON CONFLICT DO UPDATE without a conflict target"),
            ('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT("a") DO UPDATE SET "a" = %s', "EXCLUDED.column"),
            ('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT("a") DO UPDATE SET "a" = EXCLUDED."b"',
             "EXCLUDED.b, a column the INSERT does not set"),
            ('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT("a") DO UPDATE SET "a" = EXCLUDED."a" WHERE "a" > 1',
             "ON CONFLICT DO UPDATE ... WHERE"),
        ]:
            with self.subTest(sql=sql):
                self.assertUnsupported(sql, construct)

    def test_computed_value(self):
        # Author.objects.create(name=Lower(Value("ABC"))): the value is
        # computed by a SELECT without FROM run before the insert.
        self.assertTranslates(
            'INSERT INTO "app_author" ("name", "email") VALUES (LOWER(%s), %s) RETURNING "app_author"."id"',
            [InsertMany("app_author", ("name", "email"), rows=((PreRun(Aggregate("__schema__", pipeline=[
                *ONE_ROW,
                {"$project": {"_id": 0, "c0": {"$cond": [
                    is_null({"$literal": Slot(0)}), None, {"$toLower": {"$literal": Slot(0)}},
                ]}}},
            ], columns=("c0",), names=("LOWER(...)",)), "value"), Slot(1)),), returning=("id",))],
        )

    def test_arithmetic_value(self):
        (row,) = self.command('INSERT INTO "t" ("a", "b") VALUES ((%s + 1), %s)').rows
        self.assertEqual(row[0].command.pipeline[-1], {"$project": {"_id": 0, "c0": {"$add": [
            {"$literal": Slot(0)}, {"$literal": 1},
        ]}}})
        self.assertEqual(row[1], Slot(1))

    def test_computed_value_without_an_operator(self):
        self.assertUnsupported('INSERT INTO "t" ("a") VALUES (MD5(%s))', "INSERT of a computed value (function MD5()")

    def test_row_of_the_wrong_length(self):
        self.assertUnsupported('INSERT INTO "t" ("a", "b") VALUES (%s)', "VALUES row of 1 values for 2 columns")

    def test_returning_a_column_of_another_table(self):
        self.assertUnsupported(
            'INSERT INTO "t" ("a") VALUES (%s) RETURNING "u"."id"',
            "RETURNING of something other than a column of the table",
        )


class UpdateTests(TranslationTestCase):

    def test_set_parameter_and_null(self):
        # Author.objects.filter(age__lt=3).update(name="n", code=None)
        self.assertTranslates(
            'UPDATE "app_author" SET "name" = %s, "code" = NULL WHERE "app_author"."age" < %s',
            [UpdateMany("app_author", filter={"age": {"$lt": Slot(1)}},
                        update={"$set": {"name": Slot(0), "code": None}})],
        )

    def test_save_of_an_existing_object(self):
        # Author(id=5, name="a").save()
        self.assertTranslates(
            'UPDATE "app_author" SET "name" = %s, "email" = %s, "is_active" = %s, "age" = NULL, '
            '"code" = NULL WHERE "app_author"."id" = %s',
            [UpdateMany("app_author", filter={"id": Slot(3, equal_to)}, update={"$set": {
                "name": Slot(0), "email": Slot(1), "is_active": Slot(2), "age": None, "code": None,
            }})],
        )

    def test_binds_update_and_filter(self):
        sql = 'UPDATE "app_author" SET "name" = %s, "age" = %s WHERE "app_author"."id" IN (%s, %s)'
        params = ["n", 4, 1, 2]
        self.assertBinds(sql, params, {"$set": {"name": "n", "age": 4}})
        self.assertBinds(sql, params, {"id": {"$in": [1, 2]}}, part="filter")

    def test_without_where(self):
        self.assertTranslates(
            'UPDATE "t" SET "a" = 1, "b" = \'x\'',
            [UpdateMany("t", filter={}, update={"$set": {"a": 1, "b": "x"}})],
        )

    def test_qualified_assignment_target(self):
        self.assertEqual(self.command('UPDATE "t" SET "t"."a" = %s').update, {"$set": {"a": Slot(0)}})

    def test_unqualified_where_from_the_schema_editor(self):
        # alter_field to NOT NULL with a default fills the NULLs first.
        self.assertTranslates(
            'UPDATE "app_author" SET "age" = %s WHERE "age" IS NULL',
            [UpdateMany("app_author", filter={"age": None}, update={"$set": {"age": Slot(0)}})],
        )

    def test_sequence_reset_on_the_schema_collection(self):
        self.assertTranslates(
            'UPDATE "__schema__" SET "auto.seq" = 0 WHERE "name" = \'app_author\'',
            [UpdateMany("__schema__", filter={"name": "app_author"}, update={"$set": {"auto.seq": 0}})],
        )

    def test_negated_where(self):
        self.assertEqual(
            self.command('UPDATE "t" SET "a" = %s WHERE NOT ("t"."b" = %s)').filter,
            {"b": {"$nin": [Slot(1, member), None]}},
        )

    def test_set_to_an_expression(self):
        # Book.objects.filter(pages__gt=1).update(pages=F("pages") + 1): an
        # update pipeline computes each document's value from its own.
        self.assertTranslates(
            'UPDATE "app_book" SET "pages" = ("app_book"."pages" + %s) WHERE "app_book"."pages" > %s',
            [UpdateMany("app_book", filter={"pages": {"$gt": Slot(1)}}, update=[
                {"$addFields": {"pages": {"$add": ["$pages", {"$literal": Slot(0)}]}}},
            ])],
        )
        self.assertTranslates('UPDATE "t" SET "a" = "t"."b"', [UpdateMany("t", update=[{"$addFields": {"a": "$b"}}])])

    def test_step_of_a_not_null_number_is_an_update_operator(self):
        # update(pages=F("pages") + 1) on a NOT NULL numeric field: the
        # compiler marks the value, and the step is an operator.
        sql = 'UPDATE "app_book" SET "pages" = NOT_NULL_NUMBER(("app_book"."pages" {})) WHERE "app_book"."id" = %s'
        for step, params, expected in [
            ("+ %s", [2, 7], {"$inc": {"pages": 2}}),
            ("- %s", [2, 7], {"$inc": {"pages": -2}}),
            ("- %s", [decimal.Decimal("1.5"), 7], {"$inc": {"pages": Decimal128("-1.5")}}),
            ("* %s", [3, 7], {"$mul": {"pages": 3}}),
            ("+ 1", [7], {"$inc": {"pages": 1}}),
            # n + NULL is NULL, which $inc cannot write.
            ("+ %s", [None, 7], {"$set": {"pages": None}}),
        ]:
            with self.subTest(step=step, params=params):
                self.assertBinds(sql.format(step), params, expected)
                self.assertBinds(sql.format(step), params, {"id": 7}, part="filter")

    def test_value_first_steps_and_plain_values_together(self):
        self.assertBinds(
            'UPDATE "t" SET "a" = %s, "b" = NOT_NULL_NUMBER((%s + "t"."b")), "c" = NOT_NULL_NUMBER((%s * "c"))',
            ["x", 1, 2.5], {"$set": {"a": "x"}, "$inc": {"b": 1}, "$mul": {"c": 2.5}},
        )

    def test_other_expressions_keep_the_pipeline_form(self):
        marked = 'UPDATE "t" SET "n" = NOT_NULL_NUMBER({})'
        for expression in [
            '("t"."m" + %s)',  # another column
            '(%s - "t"."n")',  # v - n is no step of n
            '(("t"."n" + %s) * %s)',  # a step of a step
            '("t"."n" / %s)',  # division has no update operator
            '("t"."n" + "t"."n")',
        ]:
            with self.subTest(expression=expression):
                command = self.command(marked.format(expression))
                self.assertIsInstance(command.update, list)
                self.assertNotIn("NOT_NULL_NUMBER", str(command.update))  # the mark is taken off
        # Without the mark the column may hold NULL, where $inc would write a number.
        self.assertIsInstance(self.command('UPDATE "t" SET "n" = ("t"."n" + %s)').update, list)
        # Not every step's column is marked: one pipeline for the whole update.
        command = self.command('UPDATE "t" SET "n" = NOT_NULL_NUMBER(("t"."n" + %s)), "m" = ("t"."m" + %s)')
        self.assertIsInstance(command.update, list)

    def test_subtracting_something_else_than_a_number(self):
        with self.assertRaises(DataError):
            bind(self.command('UPDATE "t" SET "n" = NOT_NULL_NUMBER(("t"."n" - %s))').update, ("x",))

    def test_the_mark_only_around_a_new_value(self):
        self.assertUnsupported('UPDATE "t" SET "n" = NOT_NULL_NUMBER("t"."n", %s)', "NOT_NULL_NUMBER() of 2 arguments")
        self.assertUnsupported('SELECT NOT_NULL_NUMBER("t"."n") FROM "t"', "NOT_NULL_NUMBER")
        self.assertUnsupported('UPDATE "t" /*+ UNIQUE(1) */ SET "n" = ("t"."n" + %s)', "UNIQUE(1)")

    def test_quotient_cast_to_an_integer_column(self):
        # update(depth=Length("path") / 4) on an IntegerField: the compiler
        # casts the quotient to the column's type (djongo/compiler.py), and
        # $toInt truncates the double $divide returns.
        length = {"$cond": [is_null("$path"), None, {"$strLenCP": "$path"}]}
        self.assertTranslates(
            'UPDATE "t" SET "depth" = NOT_NULL_NUMBER(CAST((LENGTH("t"."path") / %s) AS int))',
            [UpdateMany("t", update=[{"$addFields": {"depth": {"$toInt": {"$divide": [
                length, {"$literal": Slot(0)}]}}}}])],
        )
        self.assertBinds('UPDATE "t" SET "big" = CAST(("t"."big" / %s) AS long)', [2],
                         [{"$addFields": {"big": {"$toLong": {"$divide": ["$big", {"$literal": 2}]}}}}])

    def test_set_to_a_case(self):
        # Book.objects.update(pages=Case(When(title="a", then=Value(1)), default=F("pages")))
        title_is = {"$cond": [is_null("$title"), None, {"$eq": ["$title", {"$literal": Slot(0)}]}]}
        self.assertTranslates(
            'UPDATE "app_book" SET "pages" = CASE WHEN ("app_book"."title" = %s) THEN %s ELSE "app_book"."pages" END',
            [UpdateMany("app_book", update=[{"$addFields": {"pages": {"$cond": [
                {"$eq": [title_is, True]}, {"$literal": Slot(1)}, "$pages",
            ]}}}])],
        )

    def test_parameters_and_expressions_together(self):
        command = self.command('UPDATE "t" SET "a" = %s, "b" = ("t"."b" * %s) WHERE "t"."id" = %s')
        self.assertEqual(command.update, [{"$addFields": {
            "a": {"$literal": Slot(0)}, "b": {"$multiply": ["$b", {"$literal": Slot(1)}]},
        }}])

    def test_set_to_an_uncorrelated_subquery(self):
        # Book.objects.update(pages=Subquery(Book.objects.order_by("-pages").values("pages")[:1]))
        self.assertTranslates(
            'UPDATE "app_book" SET "pages" = (SELECT U0."pages" AS "pages" FROM "app_book" U0 ORDER BY 1 DESC LIMIT 1)',
            [UpdateMany("app_book", update=[{"$addFields": {"pages": {"$literal": PreRun(Find(
                "app_book", projection={"_id": 0, "pages": 1}, sort=(("pages", -1),), limit=1,
                columns=("pages",), names=("pages",),
            ), "value")}}}])],
        )

    def test_set_to_a_correlated_subquery(self):
        # An update pipeline runs no $lookup: the documents are read with
        # the subquery joined and written one by one (UpdateEach).
        command = self.command('UPDATE "t" SET "a" = (SELECT MAX(U0."b") FROM "u" U0 WHERE U0."id" = ("t"."id"))')
        self.assertIsInstance(command, UpdateEach)
        [stage] = command.stages
        self.assertEqual((stage["$lookup"]["from"], stage["$lookup"]["let"]), ("u", {"o0": {"$ifNull": ["$id", None]}}))
        joined = "$" + stage["$lookup"]["as"]
        self.assertEqual(command.computed, {"a": {"$ifNull": [
            {"$arrayElemAt": [{"$map": {"input": joined, "in": {"$ifNull": ["$$this.c0", None]}}}, 0]}, None,
        ]}})
        self.assertIsNone(command.id_pipeline)

    def test_same_correlated_subquery_in_where_and_set(self):
        # django-treebeard's fix_tree(): the WHERE's subquery runs in the
        # aggregation that finds the rows' ids; SET joins it again, in the
        # aggregation that reads the rows to write.
        subquery = '(SELECT COUNT(U0."id") FROM "u" U0 WHERE U0."t_id" = ("t"."id"))'
        command = self.command(f'UPDATE "t" SET "n" = {subquery} WHERE NOT ("t"."n" = {subquery})')
        self.assertIsInstance(command, UpdateEach)
        self.assertEqual(command.filter, {})
        where_lookup = command.id_pipeline[0]["$lookup"]
        [set_lookup] = command.stages
        self.assertEqual(where_lookup["from"], set_lookup["$lookup"]["from"])
        self.assertEqual(list(where_lookup["let"].values()), list(set_lookup["$lookup"]["let"].values()))
        self.assertIn("$" + set_lookup["$lookup"]["as"], str(command.computed))

    def test_set_to_a_function_without_an_operator(self):
        self.assertUnsupported('UPDATE "t" SET "a" = MD5("t"."b")', "function MD5()")

    def test_update_from(self):
        self.assertUnsupported('UPDATE "t" SET "a" = %s FROM "u"', "UPDATE ... FROM")

    def test_where_on_another_table(self):
        self.assertUnsupported('UPDATE "t" SET "a" = %s WHERE "u"."id" = %s', "reference to table 'u'")


class BulkUpdateTests(TranslationTestCase):
    """Django's bulk_update(): CASE WHEN pk = value THEN value ... END becomes one UpdateOne per key."""

    def test_one_field(self):
        # Book.objects.bulk_update([Book(pk=1, pages=3), Book(pk=2, pages=4)], ["pages"])
        self.assertTranslates(
            'UPDATE "app_book" SET "pages" = CASE WHEN ("app_book"."id" = %s) THEN %s WHEN ("app_book"."id" = %s) '
            'THEN %s ELSE NULL END WHERE "app_book"."id" IN (%s, %s)',
            [BulkUpdate(
                "app_book", filter={"id": Build(_in_values, (Slot(4), Slot(5)))}, key="id",
                columns=(("pages", ((Slot(0), Slot(1)), (Slot(2), Slot(3))), None),),
            )],
        )

    def test_every_when_is_kept_for_the_executor(self):
        # Which WHEN decides for a key is only known once the keys are bound:
        # the executor keeps the first one per key value.
        command = self.command(
            'UPDATE "t" SET "a" = CASE WHEN ("t"."id" = 1) THEN %s WHEN ("t"."id" = 1) THEN %s ELSE %s END'
        )
        self.assertEqual(command.columns, (("a", ((1, Slot(0)), (1, Slot(1))), Slot(2)),))

    def test_other_columns_set_to_values_are_fixed(self):
        command = self.command('UPDATE "t" SET "a" = CASE WHEN ("t"."id" = 1) THEN %s END, "b" = %s')
        self.assertEqual((command.columns, command.fixed), ((("a", ((1, Slot(0)),), None),), {"b": Slot(1)}))

    def test_cases_on_different_columns_are_a_pipeline_update(self):
        command = self.command('UPDATE "t" SET "a" = CASE WHEN ("t"."id" = 1) THEN %s END, "b" = CASE WHEN ("t"."x" = 1) THEN %s END')
        self.assertIsInstance(command, UpdateMany)
        self.assertIsInstance(command.update, list)

    def test_two_fields(self):
        # Book.objects.bulk_update(books, ["title", "pages"]): Django writes
        # one CASE per field, each with its own parameters for the same keys,
        # so the keys are matched once bound.
        command = self.command(
            'UPDATE "app_book" SET "title" = CASE WHEN ("app_book"."id" = %s) THEN %s WHEN ("app_book"."id" = %s) '
            'THEN %s ELSE NULL END, "pages" = CASE WHEN ("app_book"."id" = %s) THEN %s WHEN ("app_book"."id" = %s) '
            'THEN %s ELSE NULL END WHERE "app_book"."id" IN (%s, %s)'
        )
        self.assertIsInstance(command, BulkUpdate)


class CorrelatedWhereTests(TranslationTestCase):
    """UPDATE and DELETE whose WHERE needs a $lookup: an aggregation finds the _ids first."""

    EXISTS = (
        'EXISTS(SELECT %s AS "a" FROM "app_author" U0 WHERE (U0."name" = %s AND U0."id" = ("app_book"."editor_id")) LIMIT 1)'
    )
    ID_PIPELINE = [
        {"$lookup": {
            "from": "app_author", "let": {"o0": {"$ifNull": ["$editor_id", None]}},
            "pipeline": [
                {"$match": {"$and": [
                    {"name": Slot(2, equal_to)},
                    {"$expr": {"$and": [{"$eq": ["$id", "$$o0"]}, not_null("$id"), not_null("$$o0")]}},
                ]}},
                {"$limit": 1},
                {"$project": {"_id": 0, "c0": {"$literal": Slot(1)}}},
                {"$limit": 1},
            ],
            "as": "__sq1",
        }},
        {"$match": {"__sq1.0": {"$exists": True}}},
        {"$project": {"_id": 1}},
    ]

    def test_update_where_exists(self):
        # Book.objects.filter(Exists(Author.objects.filter(pk=OuterRef("editor_id"), name="x"))).update(pages=0)
        self.assertTranslates(
            'UPDATE "app_book" SET "pages" = %s WHERE ' + self.EXISTS,
            [UpdateMany("app_book", update={"$set": {"pages": Slot(0)}}, id_pipeline=self.ID_PIPELINE)],
        )

    def test_delete_where_exists(self):
        command = self.command('DELETE FROM "app_book" WHERE ' + self.EXISTS.replace("%s", "%s", 1))
        self.assertIsInstance(command, DeleteMany)
        self.assertEqual(command.filter, {})
        self.assertEqual(command.id_pipeline[-2:], [{"$match": {"__sq1.0": {"$exists": True}}}, {"$project": {"_id": 1}}])

    def test_update_across_a_relation(self):
        # Book.objects.filter(author__name="x").update(pages=0): an uncorrelated
        # IN subquery, run first and bound as $in.
        command = self.command(
            'UPDATE "app_book" SET "pages" = %s WHERE "app_book"."id" IN (SELECT U0."id" FROM "app_book" U0 '
            'INNER JOIN "app_author" U1 ON (U0."author_id" = U1."id") WHERE U1."name" = %s)'
        )
        self.assertIsNone(command.id_pipeline)
        prerun = command.filter["id"]
        self.assertEqual(prerun.shape, "in")
        self.assertEqual(prerun.command.pipeline[-2:], [
            {"$match": {"__U1.name": Slot(1, equal_to)}}, {"$project": {"_id": 0, "c0": "$id"}},
        ])


class DeleteTests(TranslationTestCase):

    def test_delete_where(self):
        # Author.objects.filter(age__lt=3).delete()
        self.assertTranslates(
            'DELETE FROM "app_author" WHERE "app_author"."age" < %s',
            [DeleteMany("app_author", filter={"age": {"$lt": Slot(0)}})],
        )

    def test_cascade_delete_by_ids(self):
        self.assertTranslates(
            'DELETE FROM "app_book" WHERE "app_book"."author_id" IN (%s, %s, %s)',
            [DeleteMany("app_book", filter={"author_id": Build(_in_values, (Slot(0), Slot(1), Slot(2)))})],
        )
        self.assertBinds(
            'DELETE FROM "app_book" WHERE "app_book"."author_id" IN (%s, %s, %s)', [1, 2, 3],
            {"author_id": {"$in": [1, 2, 3]}},
        )

    def test_flush_deletes_everything(self):
        self.assertTranslates('DELETE FROM "app_author"', [DeleteMany("app_author", filter={})])

    def test_delete_where_never_true(self):
        self.assertTranslates('DELETE FROM "t" WHERE "t"."a" = NULL', [DeleteMany("t", filter=MATCH_NONE)])

    def test_delete_using_another_table(self):
        self.assertUnsupported('DELETE FROM "t" WHERE "u"."id" = %s', "reference to table 'u'")

    def test_delete_with_a_subquery(self):
        # Book.objects.filter(author__in=Author.objects.filter(name="x"))._raw_delete()
        command = self.command(
            'DELETE FROM "app_book" WHERE "app_book"."author_id" IN (SELECT U0."id" FROM "app_author" U0 WHERE U0."name" = %s)'
        )
        self.assertEqual(command.filter, {"author_id": PreRun(Find(
            "app_author", filter={"name": Slot(0, equal_to)}, projection={"_id": 0, "id": 1}, columns=("id",), names=("id",),
        ), "in")})
