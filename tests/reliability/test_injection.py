"""
Values are values: strings and parameters that look like operators, regular
expressions or field paths match, store and log as the values they are,
through the ORM, the cursor, raw() and the admin login.
"""
import re

from django.contrib.auth.models import User
from django.db import DataError, connection
from django.test import TestCase

from tests.integration.app.models import Author, Kitchen

LOOKALIKES = [
    {"$ne": None}, {"$gt": ""}, {"$where": "1 == 1"}, {"$regex": ".*"}, re.compile(".*"), "$where", "$$ROOT",
    "$name", ".*", "^A", "%", "_", "{'$ne': None}", "this.name == this.name",
]
AUTHOR_NAMES = 'SELECT "app_author"."name" FROM "app_author" WHERE '


class InjectionTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        Author.objects.create(name="Ann", email="ann@example.com")
        Author.objects.create(name="Bob", email="")

    def test_lookalikes_in_filters_match_nothing(self):
        for value in LOOKALIKES:
            with self.subTest(value=value):
                self.assertEqual(Author.objects.filter(name=str(value)).count(), 0)
                self.assertEqual(Author.objects.filter(name__contains=str(value)).count(), 0)
                self.assertEqual(Author.objects.filter(name__startswith=str(value)).count(), 0)
                self.assertEqual(Author.objects.exclude(name=str(value)).count(), 2)
                with connection.cursor() as cursor:
                    cursor.execute(AUTHOR_NAMES + '"app_author"."name" = %s', [value])
                    self.assertEqual(cursor.fetchall(), [])
                    for condition in ['"app_author"."name" IN %s', '"app_author"."name" NOT IN %s']:
                        if isinstance(value, re.Pattern):
                            # $in and $nin would match it as a pattern: refused.
                            with self.assertRaisesMessage(DataError, "in an IN list"):
                                cursor.execute(AUTHOR_NAMES + condition, [(value, "nobody")])
                            continue
                        cursor.execute(AUTHOR_NAMES + condition, [(value, "nobody")])
                        self.assertEqual(len(cursor.fetchall()), 0 if " IN " in condition and "NOT" not in condition else 2)
                    not_equal = AUTHOR_NAMES + '"app_author"."name" <> %s ORDER BY "app_author"."name"'
                    if isinstance(value, re.Pattern):
                        with self.assertRaisesMessage(DataError, "would match it as a pattern"):
                            cursor.execute(not_equal, [value])
                        continue
                    cursor.execute(not_equal, [value])
                    self.assertEqual(cursor.fetchall(), [("Ann",), ("Bob",)])

    def test_lookalikes_are_stored_as_they_are(self):
        for value in LOOKALIKES:
            if not isinstance(value, str):
                continue
            with self.subTest(value=value):
                author = Author.objects.create(name=value)
                self.assertEqual(connection.mongo_database["app_author"].find_one({"id": author.pk})["name"], value)
                Author.objects.filter(pk=author.pk).update(email=value)
                self.assertEqual(Author.objects.get(pk=author.pk).email, value)
                self.assertEqual(Author.objects.filter(name=value).count(), 1)
        # Every other author is untouched.
        self.assertEqual(sorted(Author.objects.filter(name__in=["Ann", "Bob"]).values_list("email", flat=True)),
                         ["", "ann@example.com"])

    def test_an_operator_document_as_a_written_value_is_a_value(self):
        kitchen = Kitchen.objects.create(name="k")
        with connection.cursor() as cursor:
            cursor.execute('UPDATE "app_kitchen" SET "code" = %s WHERE "app_kitchen"."id" = %s',
                           ["{'$set': 1}", kitchen.pk])
        self.assertEqual(Kitchen.objects.get(pk=kitchen.pk).code, "{'$set': 1}")
        self.assertEqual(Kitchen.objects.get(pk=kitchen.pk).name, "k")

    def test_raw_parameters_are_values(self):
        for value in LOOKALIKES:
            with self.subTest(value=value):
                rows = Author.objects.raw('SELECT * FROM "app_author" WHERE "app_author"."name" = %s', [value])
                self.assertEqual(list(rows), [])

    def test_admin_login_with_lookalike_credentials_fails(self):
        User.objects.create_superuser("admin", "admin@example.com", "secret")
        for username, password in [
            ("{'$ne': None}", "x"), ('{"$gt": ""}', "x"), ("admin", "{'$ne': ''}"), (".*", ".*"), ("$where", "x"),
        ]:
            with self.subTest(username=username, password=password):
                response = self.client.post("/admin/login/", {"username": username, "password": password})
                self.assertEqual(response.status_code, 200)  # the form again, with its error
                self.assertNotIn("_auth_user_id", self.client.session)
        response = self.client.post("/admin/login/", {"username": "admin", "password": "secret"})
        self.assertEqual(response.status_code, 302)
