"""Untranslatable SQL raises SQLDecodeError carrying the SQL, and nothing is written."""
from django.db import DatabaseError, connection
from django.db.models.functions import MD5
from django.test import TestCase

from djongo.exceptions import SQLDecodeError
from tests.integration.app.models import Author


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
