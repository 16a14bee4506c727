"""Bad input gets a clear error and nothing is written: untranslatable SQL, NULL in a NOT NULL column."""
from decimal import Decimal

import pytest
from django.db import DatabaseError, DataError, Error as DjangoError, IntegrityError, ProgrammingError, connection, models
from django.db.models.functions import MD5
from django.test import SimpleTestCase, TestCase
from django.test.utils import isolate_apps

from djongo.base import DatabaseWrapper
from djongo.exceptions import SQLDecodeError
from tests.integration.app.models import Author, Book, Kitchen


class DecodeErrorTests(TestCase):

    def test_orm_query_outside_the_supported_set_raises_sql_decode_error(self):
        Author.objects.create(name="Ann")
        with self.assertRaises(SQLDecodeError) as raised:
            Author.objects.update(name=MD5("email"))
        self.assertIn("function MD5()", str(raised.exception))
        self.assertIn('UPDATE "app_author" SET "name" = MD5("app_author"."email")', raised.exception.sql)
        self.assertEqual(connection.mongo_database["app_author"].find_one({})["name"], "Ann")

    def test_sql_decode_error_is_a_django_database_error(self):
        with self.assertRaises(DatabaseError):
            with connection.cursor() as cursor:
                cursor.execute('SELECT "a"."x" FROM "a" RIGHT JOIN "b" ON ("a"."id" = "b"."id")')

    def test_wrong_parameter_count_is_a_programming_error(self):
        from django.db import ProgrammingError
        with self.assertRaises(ProgrammingError):
            with connection.cursor() as cursor:
                cursor.execute('SELECT "app_author"."id" FROM "app_author" WHERE "app_author"."id" = %s', [])

    def test_parameters_are_values_not_operators(self):
        Author.objects.create(name="Ann")
        self.assertEqual(Author.objects.filter(name={"$ne": "x"}.__str__()).count(), 0)
        with connection.cursor() as cursor:
            cursor.execute('SELECT "app_author"."name" FROM "app_author" WHERE "app_author"."name" = %s', [{"$ne": "x"}])
            self.assertEqual(cursor.fetchall(), [])
            cursor.execute('SELECT "app_author"."name" FROM "app_author" WHERE "app_author"."name" LIKE %s', [".*"])
            self.assertEqual(cursor.fetchall(), [])


AUTHOR_IDS = 'SELECT "app_author"."id" FROM "app_author" WHERE '
KITCHEN_INSERT = 'INSERT INTO "app_kitchen" ("name", "count", "is_active", "price") VALUES (%s, %s, %s, %s)'


class ErrorClassTests(TestCase):
    """Every error that leaves the cursor is one of django.db's, whatever the input."""

    def assertRaisesFromCursor(self, error_class, sql, params=(), fragment=""):
        with self.assertRaises(error_class) as raised:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        self.assertIsInstance(raised.exception, DjangoError)
        self.assertIn(fragment, str(raised.exception))

    def test_nesting_beyond_the_limit_is_a_decode_error(self):
        for sql in [
            "SELECT " + "(" * 150 + "1" + ")" * 150 + ' AS "a" FROM "app_author"',
            "SELECT " + " + ".join(["%s"] * 300) + ' AS "a" FROM "app_author"',
            "SELECT " + "CASE WHEN 1 = 1 THEN " * 100 + "1" + " END" * 100 + ' AS "a" FROM "app_author"',
            AUTHOR_IDS + "NOT " * 1000 + '"app_author"."id" = 1',
        ]:
            with self.subTest(sql=sql[:40]):
                self.assertRaisesFromCursor(SQLDecodeError, sql, [1] * sql.count("%s"), "levels deep")

    def test_a_number_sql_does_not_have_is_a_decode_error(self):
        self.assertRaisesFromCursor(SQLDecodeError, 'SELECT 0x1F AS "a" FROM "app_author"', (), "numeric literal '0x1F'")

    def test_values_bson_cannot_hold_are_data_errors(self):
        Author.objects.create(name="Ann")
        for params in [(object(),), ({1, 2},), (1j,)]:
            with self.subTest(params=params):
                self.assertRaisesFromCursor(DataError, AUTHOR_IDS + '"app_author"."name" = %s', params, "BSON")
        # A LIKE pattern's NUL is written as an escape (test_regressions.py); a
        # regular expression the user wrote is sent as it is, and BSON cannot hold it.
        self.assertRaisesFromCursor(DataError, AUTHOR_IDS + '"app_author"."name" REGEXP %s', ("a\x00b",), "NUL")
        self.assertRaisesFromCursor(DataError, 'SELECT "app_author"."a\x00b" FROM "app_author"', (), "NUL")

    def test_a_parameter_nested_beyond_the_stack_is_a_data_error(self):
        value = []
        for _ in range(5000):
            value = [value]
        self.assertRaisesFromCursor(DataError, AUTHOR_IDS + '"app_author"."name" = %s', (value,), "nested too deeply")

    def test_numbers_bson_cannot_hold_are_data_errors_and_nothing_is_stored(self):
        self.assertRaisesFromCursor(DataError, KITCHEN_INSERT, ("k", 2**64, True, None), "out of range")
        self.assertRaisesFromCursor(
            DataError, KITCHEN_INSERT, ("k", 1, True, Decimal("1" * 40)), "does not fit BSON's Decimal128",
        )
        self.assertEqual(connection.mongo_database["app_kitchen"].count_documents({}), 0)

    def test_a_document_over_16_mib_is_a_data_error(self):
        self.assertRaisesFromCursor(DataError, KITCHEN_INSERT, ("x" * (17 << 20), 1, True, None), "too large")
        self.assertEqual(connection.mongo_database["app_kitchen"].count_documents({}), 0)


class NeverMigratedTests(TestCase):

    @isolate_apps("tests.integration.app")
    def test_insert_into_a_table_without_a_counter_is_no_such_table(self):
        # A model whose table was never migrated: no __schema__ entry.
        class Stray(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "app"
                db_table = "app_never_migrated"

        with self.assertRaisesMessage(ProgrammingError, "no such table: app_never_migrated"):
            Stray.objects.create(name="x")
        self.assertEqual(connection.mongo_database["app_never_migrated"].count_documents({}), 0)


class RawSelectAllTests(TestCase):

    def test_raw_select_all_on_an_empty_table(self):
        self.assertEqual(list(Author.objects.raw('SELECT * FROM "app_author"')), [])
        with connection.cursor() as cursor:
            cursor.execute('SELECT * FROM "app_author"')
            self.assertEqual([column[0] for column in cursor.description], ["id", "name", "email"])

    def test_select_all_reads_fields_by_name_whatever_their_order_in_the_document(self):
        authors = connection.mongo_database["app_author"]
        authors.insert_one({"id": 1, "name": "Ann", "email": "a@example.com"})
        authors.insert_one({"email": "b@example.com", "id": 2, "name": "Bob"})
        with connection.cursor() as cursor:
            cursor.execute('SELECT * FROM "app_author" ORDER BY "id"')
            self.assertEqual(cursor.fetchall(), [(1, "Ann", "a@example.com"), (2, "Bob", "b@example.com")])
        self.assertEqual([a.name for a in Author.objects.raw('SELECT * FROM "app_author" ORDER BY "id"')],
                         ["Ann", "Bob"])


class RawJoinNamingTests(TestCase):
    """Hand-written joins with SELECT * or unqualified columns, named from the recorded columns."""

    def setUp(self):
        connection.mongo_database["app_author"].insert_many([
            {"id": 1, "name": "Ann", "email": "a@example.com"},
            {"email": "b@example.com", "name": "Bob", "id": 2},  # its fields in another order
        ])
        connection.mongo_database["app_book"].insert_many([
            {"pages": 10, "id": 7, "title": "First", "author_id": 1, "editor_id": None},
            {"id": 8, "title": "Second", "author_id": 2, "editor_id": 1, "pages": 20},
        ])

    @pytest.mark.raw_sql
    def test_select_all_with_a_join(self):
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT * FROM "app_book" INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
                'ORDER BY "app_book"."id"'
            )
            # The table's column order: its migration adds the foreign keys
            # after the other columns.
            self.assertEqual([column[0] for column in cursor.description], [
                "id", "title", "pages", "author_id", "editor_id", "id", "name", "email",
            ])
            self.assertEqual(cursor.fetchall(), [
                (7, "First", 10, 1, None, 1, "Ann", "a@example.com"),
                (8, "Second", 20, 2, 1, 2, "Bob", "b@example.com"),
            ])

    def test_raw_with_unqualified_columns_and_a_join(self):
        books = Book.objects.raw(
            'SELECT "app_book".*, "name" FROM "app_book" INNER JOIN "app_author" ON ("author_id" = "app_author"."id") '
            'WHERE "pages" > %s ORDER BY "title"', [5],
        )
        self.assertEqual([(book.title, book.pages, book.name) for book in books], [
            ("First", 10, "Ann"), ("Second", 20, "Bob"),
        ])

    def test_an_ambiguous_column_is_refused(self):
        with self.assertRaisesMessage(SQLDecodeError, "ambiguous column name 'id'"):
            with connection.cursor() as cursor:
                cursor.execute('SELECT "id" FROM "app_book" INNER JOIN "app_author" ON ("author_id" = "app_author"."id")')


class NotNullTests(TestCase):
    """MongoDB stores a null anywhere; djongo refuses it in a NOT NULL column, as SQL databases do."""

    def test_save_without_a_required_value(self):
        with self.assertRaisesMessage(IntegrityError, "NOT NULL constraint failed: app_kitchen.name"):
            Kitchen.objects.create(name=None)
        with self.assertRaisesMessage(IntegrityError, "NOT NULL constraint failed: app_book.author_id"):
            Book.objects.create(title="Orphan")
        self.assertEqual(connection.mongo_database["app_kitchen"].count_documents({}), 0)
        self.assertEqual(connection.mongo_database["app_book"].count_documents({}), 0)

    def test_bulk_create_writes_no_row_when_one_lacks_a_value(self):
        with self.assertRaises(IntegrityError):
            Kitchen.objects.bulk_create([Kitchen(name="Ann"), Kitchen(name=None)])
        self.assertEqual(connection.mongo_database["app_kitchen"].count_documents({}), 0)

    @isolate_apps("tests.integration.app")
    def test_the_stored_value_is_checked_not_the_python_one(self):
        # A field that stores None as '' (django-model-utils has such fields)
        # writes a value to its NOT NULL column on UPDATE as on INSERT.
        class NoneAsEmptyField(models.CharField):
            def get_db_prep_value(self, value, connection, prepared=False):
                return "" if value is None else super().get_db_prep_value(value, connection, prepared)

        class Note(models.Model):
            text = NoneAsEmptyField(max_length=10)

            class Meta:
                app_label = "app"
                db_table = "app_note_none_as_empty"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        try:
            note = Note.objects.create(text=None)
            note.text = None
            note.save()
            Note.objects.update(text=None)
            self.assertEqual(connection.mongo_database["app_note_none_as_empty"].find_one({})["text"], "")
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Note)

    def test_update_to_null(self):
        kitchen = Kitchen.objects.create(name="Ann", code="x")
        with self.assertRaisesMessage(IntegrityError, "NOT NULL constraint failed: app_kitchen.count"):
            Kitchen.objects.update(count=None)
        kitchen.name = None
        with self.assertRaises(IntegrityError):
            kitchen.save()
        self.assertEqual(connection.mongo_database["app_kitchen"].find_one({}, {"_id": 0, "name": 1, "count": 1}),
                         {"name": "Ann", "count": 0})
        # Nullable columns take NULL.
        Kitchen.objects.update(code=None)
        self.assertIsNone(Kitchen.objects.get().code)


class UnmigratedDatabaseTests(SimpleTestCase):
    """
    Reading a table whose collection does not exist raises "no such table",
    as SQL databases do, rather than answer with no rows: a database nobody
    migrated would otherwise fail an admin login without a word (issue 25).
    """
    databases = {"default"}

    def test_reads_of_a_missing_table_say_run_migrate(self):
        table = Author._meta.db_table
        other = DatabaseWrapper({**connection.settings_dict, "NAME": "djongo_unmigrated"}, "unmigrated")
        try:
            for sql in [
                f'SELECT "{table}"."id" FROM "{table}"',
                f'SELECT COUNT(*) FROM "{table}"',
                f'SELECT "{table}"."name", COUNT(*) AS "n" FROM "{table}" GROUP BY "{table}"."name"',
            ]:
                with self.subTest(sql=sql), self.assertRaises(ProgrammingError) as raised:
                    with other.cursor() as cursor:
                        cursor.execute(sql)
                self.assertIn(f"no such table: {table}", str(raised.exception))
                self.assertIn("run migrate", str(raised.exception))
            # djongo's own collections need no migration: a SELECT without
            # FROM reads __schema__, and is no error. (Its row depends on
            # $facet over no documents, which the test server gets wrong.)
            with other.cursor() as cursor:
                cursor.execute('SELECT 1 AS "a"')
        finally:
            other.close()
            connection.mongo_database.client.drop_database("djongo_unmigrated")
