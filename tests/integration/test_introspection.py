"""Introspection of collections: tables, sampled fields, constraints, sequences."""
from django.db import connection
from django.test import TestCase

from tests.integration.app.models import Author, Badge


class IntrospectionTests(TestCase):

    def test_table_names_are_the_model_collections(self):
        names = connection.introspection.table_names()
        self.assertIn("app_author", names)
        self.assertNotIn("__schema__", names)

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
