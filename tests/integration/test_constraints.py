"""Unique constraints become unique indexes; violations raise IntegrityError."""
import json
import tempfile
import unittest

from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.models import UniqueConstraint
from django.test import TestCase

from djongo.sql2mongo.translate.ddl import NON_NULL_TYPES
from tests.integration.app.models import Author, Badge, Book, Kitchen


def server_enforces_partial_indexes():
    """Probe whether the server applies partialFilterExpression (MongoDB does; mongo-java-server does not)."""
    database = connection.mongo_database
    probe = database["djongo_probe_partial"]
    probe.drop()
    probe.create_index("v", unique=True, partialFilterExpression={"v": {"$type": "string"}})
    try:
        probe.insert_many([{"v": None}, {"v": None}])
        return True
    except Exception:
        return False
    finally:
        probe.drop()


class UniqueTests(TestCase):

    def test_duplicate_in_unique_together_raises_integrity_error_naming_index(self):
        author = Author.objects.create(name="Ann")
        Book.objects.create(title="Same", author=author)
        with self.assertRaises(IntegrityError) as raised:
            Book.objects.create(title="Same", author=author)
        self.assertIn("app_book_title_author_id", str(raised.exception))
        self.assertEqual(connection.mongo_database["app_book"].count_documents({"title": "Same"}), 1)

    def test_failed_bulk_insert_leaves_no_rows(self):
        author = Author.objects.create(name="Ann")
        Book.objects.create(title="Taken", author=author)
        with self.assertRaises(IntegrityError):
            Book.objects.bulk_create([Book(title="Fresh", author=author), Book(title="Taken", author=author)])
        self.assertEqual(connection.mongo_database["app_book"].count_documents({"title": "Fresh"}), 0)

    def test_unique_index_exists_for_unique_column(self):
        indexes = {index["name"]: index for index in connection.mongo_database["app_badge"].list_indexes()}
        index = indexes["app_badge_serial_uniq"]
        self.assertTrue(index["unique"])
        self.assertEqual(index["partialFilterExpression"], {"serial": {"$type": "string"}})
        Badge.objects.create(serial="A1")
        with self.assertRaises(IntegrityError):
            Badge.objects.create(serial="A1")

    def test_nullable_unique_column_allows_many_nulls(self):
        if not server_enforces_partial_indexes():
            raise unittest.SkipTest("the server ignores partialFilterExpression (mongo-java-server; see docs/test-server.md)")
        Badge.objects.create(serial=None)
        Badge.objects.create(serial=None)
        self.assertEqual(Badge.objects.filter(serial__isnull=True).count(), 2)


class ForeignKeyCheckTests(TestCase):
    """loaddata checks the foreign keys of what it loaded, as SQLite's foreign_key_check does (base.check_constraints)."""

    def load(self, rows):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as fixture:
            json.dump(rows, fixture)
            fixture.flush()
            call_command("loaddata", fixture.name, verbosity=0)

    def test_a_row_whose_key_finds_no_row_is_refused(self):
        author = {"model": "app.author", "pk": 1, "fields": {"name": "Ann", "email": ""}}
        book = {"model": "app.book", "pk": 5, "fields": {"title": "T", "author": 99, "pages": 1}}
        with self.assertRaisesMessage(
            IntegrityError,
            "The row in table 'app_book' with primary key 5 has an invalid foreign key: app_book.author_id "
            "contains a value 99 that does not have a corresponding value in app_author.id.",
        ):
            self.load([author, book])

    def test_rows_whose_keys_find_their_rows_load(self):
        self.load([
            {"model": "app.author", "pk": 1, "fields": {"name": "Ann", "email": ""}},
            {"model": "app.book", "pk": 5, "fields": {"title": "T", "author": 1, "editor": None, "pages": 1}},
        ])
        self.assertEqual(Book.objects.get(pk=5).author.name, "Ann")
        connection.check_constraints()


class AddedUniqueConstraintTests(TestCase):
    """
    A unique constraint a later migration adds over nullable columns (a
    UniqueConstraint, unique_together) lets rows with a NULL in them repeat,
    as in SQL: a unique index on the rows where they are all NOT NULL.
    """
    constraint = UniqueConstraint(fields=["code", "name"], name="kitchen_code_name_uniq")

    def tearDown(self):
        with connection.schema_editor() as editor:
            editor.remove_constraint(Kitchen, self.constraint)
        self.assertNotIn(self.constraint.name, indexes("app_kitchen"))

    def test_index_on_the_rows_without_null(self):
        Kitchen.objects.create(name="pan", code="p1")
        Kitchen.objects.create(name="pan", code=None)
        with connection.schema_editor() as editor:
            editor.add_constraint(Kitchen, self.constraint)
        index = indexes("app_kitchen")[self.constraint.name]
        self.assertTrue(index["unique"])
        # name is NOT NULL: only code is tested.
        self.assertEqual(index["partialFilterExpression"], {"code": {"$type": NON_NULL_TYPES}})
        with self.assertRaises(IntegrityError):
            Kitchen.objects.create(name="pan", code="p1")
        self.assertEqual(Kitchen.objects.count(), 2)
        if server_enforces_partial_indexes():
            Kitchen.objects.create(name="pan", code=None)
            self.assertEqual(Kitchen.objects.filter(code=None).count(), 2)

    def test_over_not_null_columns_a_whole_index(self):
        constraint = self.constraint = UniqueConstraint(fields=["name", "count"], name="kitchen_name_count_uniq")
        with connection.schema_editor() as editor:
            editor.add_constraint(Kitchen, constraint)
        index = indexes("app_kitchen")[constraint.name]
        self.assertTrue(index["unique"])
        self.assertNotIn("partialFilterExpression", index)


def indexes(table):
    """Return {name: index} of the indexes of ``table`` as the server lists them."""
    return {index["name"]: index for index in connection.mongo_database[table].list_indexes()}
