"""Bad input gets a clear error and nothing is written: untranslatable SQL, NULL in a NOT NULL column."""
from django.db import DatabaseError, IntegrityError, connection
from django.db.models.functions import MD5
from django.test import TestCase

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
