"""INSERT, UPDATE and DELETE (translate/dml.py)."""
from djongo.sql2mongo.commands import DEFAULT, DeleteMany, InsertMany, Slot, UpdateMany

from .base import MATCH_NONE, TranslationTestCase

AUTHOR_INSERT = 'INSERT INTO "app_author" ("name", "email", "is_active", "age", "code") VALUES '
AUTHOR_FIELDS = ("name", "email", "is_active", "age", "code")


class InsertTests(TranslationTestCase):

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

    def test_on_conflict(self):
        self.assertUnsupported('INSERT INTO "t" ("a") VALUES (%s) ON CONFLICT DO NOTHING', "INSERT ... ON CONFLICT")

    def test_computed_value(self):
        self.assertUnsupported('INSERT INTO "t" ("a") VALUES (UPPER(%s))', "INSERT of a computed value")
        self.assertUnsupported('INSERT INTO "t" ("a") VALUES ((%s + 1))', "INSERT of a computed value")

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
            [UpdateMany("app_author", filter={"id": {"$eq": Slot(3)}}, update={"$set": {
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
            [UpdateMany("__schema__", filter={"name": {"$eq": "app_author"}}, update={"$set": {"auto.seq": 0}})],
        )

    def test_negated_where(self):
        self.assertEqual(
            self.command('UPDATE "t" SET "a" = %s WHERE NOT ("t"."b" = %s)').filter,
            {"b": {"$nin": [Slot(1), None]}},
        )

    def test_set_to_an_expression(self):
        # Author.objects.update(age=F("age") + 1)
        self.assertUnsupported(
            'UPDATE "app_author" SET "age" = ("app_author"."age" + %s) WHERE "app_author"."age" < %s',
            "UPDATE ... SET to a computed value",
        )
        self.assertUnsupported('UPDATE "t" SET "a" = "t"."b"', "UPDATE ... SET to a computed value")

    def test_update_from(self):
        self.assertUnsupported('UPDATE "t" SET "a" = %s FROM "u"', "UPDATE ... FROM")

    def test_where_on_another_table(self):
        self.assertUnsupported('UPDATE "t" SET "a" = %s WHERE "u"."id" = %s', "reference to table 'u'")


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
            [DeleteMany("app_book", filter={"author_id": {"$in": [Slot(0), Slot(1), Slot(2)]}})],
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
