"""Introspection of collections: tables, sampled fields, constraints, sequences, relations."""
import django
from django.db import connection, models, transaction
from django.test import TestCase

from tests.integration.app.models import Author, Badge


class IntrospectionTests(TestCase):

    def test_table_names_are_the_model_collections(self):
        # select_for_update() makes __locks__; djongo's own collections are no tables.
        Author.objects.create(name="Ann")
        with transaction.atomic():
            list(Author.objects.select_for_update().filter(name="Ann"))
        existing = connection.mongo_database.list_collection_names()
        self.assertTrue({"__schema__", "__columns__", "__locks__"} <= set(existing))
        # A validator probe's scratch collection that a crash left behind.
        connection.mongo_database.create_collection("__djongo_probe_6b16034fe2637c65bd3c22fb")
        self.addCleanup(connection.mongo_database.drop_collection, "__djongo_probe_6b16034fe2637c65bd3c22fb")
        names = connection.introspection.table_names()
        self.assertIn("app_author", names)
        self.assertFalse({"__schema__", "__columns__", "__locks__"} & set(names))
        self.assertFalse([name for name in names if name.startswith("__djongo")])

    def test_description_samples_stored_documents(self):
        Badge.objects.create(serial=None)
        Badge.objects.create(serial="A1")
        with connection.cursor() as cursor:
            description = {field.name: field for field in connection.introspection.get_table_description(
                cursor, "app_badge",
            )}
        self.assertEqual(set(description), {"id", "serial"})
        self.assertTrue(description["serial"].null_ok)
        self.assertFalse(description["id"].null_ok)

    def test_constraints_and_sequences(self):
        Author.objects.create(name="Ann")
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "app_author")
            sequences = connection.introspection.get_sequences(cursor, "app_author")
        primary = [c for c in constraints.values() if c["primary_key"]]
        self.assertEqual([c["columns"] for c in primary], [["id"]])
        self.assertEqual(sequences, [{"table": "app_author", "column": "id"}])

    def test_relations_are_the_recorded_foreign_keys(self):
        with connection.cursor() as cursor:
            relations = connection.introspection.get_relations(cursor, "app_book")
            self.assertEqual(connection.introspection.get_relations(cursor, "app_author"), {})
        # Django 6.1 added the database's on_delete; CASCADE and SET_NULL
        # are Django's own, so the database does nothing.
        extra = (models.DO_NOTHING,) if django.VERSION >= (6, 1) else ()
        self.assertEqual(relations, {
            "author_id": ("id", "app_author", *extra),
            "editor_id": ("id", "app_author", *extra),
        })
