"""Regressions found by Django's own test suite, each checked through the ORM."""
from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.integration.app.models import Author, Book, Ticket


def describe(table):
    with connection.cursor() as cursor:
        return {column.name: column for column in connection.introspection.get_table_description(cursor, table)}


class ColumnRecordTests(TestCase):
    """Introspection describes the columns the schema editor created, not only stored fields."""

    def test_empty_table_is_described_from_its_columns(self):
        self.assertFalse(Book.objects.exists())
        description = describe("app_book")
        self.assertEqual(set(description), {"id", "title", "author_id", "editor_id", "pages"})
        self.assertEqual(description["id"].type_code, "AutoField")
        self.assertEqual(description["title"].type_code, "CharField")
        self.assertEqual(description["title"].display_size, 100)
        # A foreign key column holds the target's integers, not a counter.
        self.assertEqual(description["author_id"].type_code, "IntegerField")
        self.assertFalse(description["author_id"].null_ok)
        self.assertTrue(description["editor_id"].null_ok)

    def test_db_default_is_described(self):
        self.assertEqual(describe("app_ticket")["priority"].default, "3")
        self.assertIsNone(describe("app_ticket")["title"].default)
        self.assertFalse(Ticket.objects.exists())

    def test_added_renamed_and_dropped_columns_are_described(self):
        Author.objects.create(name="Ann")  # its document never gets the new field
        field = models.IntegerField(null=True)
        field.set_attributes_from_name("age")
        field.model = Author
        renamed = models.IntegerField(null=True)
        renamed.set_attributes_from_name("years")
        renamed.model = Author
        try:
            with connection.schema_editor() as editor:
                editor.add_field(Author, field)
            self.assertTrue(describe("app_author")["age"].null_ok)
            with connection.schema_editor() as editor:
                editor.alter_field(Author, field, renamed)
            self.assertEqual(list(describe("app_author")), ["id", "name", "email", "years"])
        finally:
            with connection.schema_editor() as editor:
                editor.remove_field(Author, renamed)
        self.assertEqual(list(describe("app_author")), ["id", "name", "email"])

    def test_lazy_collation_setting_is_recorded_as_text(self):
        from django.utils.functional import SimpleLazyObject

        for collation, recorded in ((SimpleLazyObject(lambda: None), None), (SimpleLazyObject(lambda: "nocase"), "nocase")):
            field = models.CharField(max_length=5, null=True, db_collation=collation)
            field.set_attributes_from_name("code")
            with connection.schema_editor() as editor:
                record = editor._column_record(field)
            self.assertEqual(record["collation"], recorded)
            self.assertIs(type(record["collation"]), type(recorded))


class QueryLogTests(TestCase):
    """BEGIN and COMMIT are logged as queries only when they reach the server."""

    def test_atomic_write_is_one_query(self):
        # bulk_create() runs in atomic(); without server transactions its
        # BEGIN and COMMIT send nothing, so they are not counted.
        with self.assertNumQueries(1):
            Author.objects.bulk_create([Author(name="Ann"), Author(name="Bob")])
        self.assertEqual(Author.objects.count(), 2)


    def test_the_log_shows_what_an_execute_wrapper_ran(self):
        def with_comment(execute, sql, params, many, context):
            return execute(f"/* from a wrapper */ {sql}", params, many, context)

        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(with_comment):
            list(Author.objects.filter(name="Ann"))
        self.assertTrue(queries[-1]["sql"].startswith("/* from a wrapper */ SELECT"), queries[-1]["sql"])
        self.assertIn("'Ann'", queries[-1]["sql"])

    def test_a_closed_cursor_refuses_statements(self):
        with connection.cursor() as cursor:
            pass
        with self.assertRaises(connection.features.closed_cursor_error_class):
            cursor.execute('SELECT "app_author"."id" FROM "app_author"')


class NulInTextLookupTests(TestCase):
    """A NUL in contains, startswith, icontains... matches as exact finds it (issue 22)."""

    def test_text_lookups_find_a_nul(self):
        with_nul = Author.objects.create(name="a\x00b")
        Author.objects.create(name="ab")
        self.assertEqual(list(Author.objects.filter(name="a\x00b")), [with_nul])
        for lookup, value in [("contains", "\x00"), ("icontains", "A\x00"), ("startswith", "a\x00"),
                              ("endswith", "\x00b"), ("iexact", "A\x00B")]:
            with self.subTest(lookup=lookup):
                self.assertEqual(list(Author.objects.filter(**{f"name__{lookup}": value})), [with_nul])
