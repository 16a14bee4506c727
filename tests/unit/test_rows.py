"""Reading result rows out of documents (executor/reads.py, document_rows): field names and dotted paths."""
import unittest

from djongo.exceptions import MigrationError
from djongo.executor.reads import document_rows
from djongo.sql2mongo.binding import Const


class RowsTests(unittest.TestCase):

    def test_fields_paths_and_constants(self):
        doc = {"_id": 1, "id": 7, "blog": {"name": "Beatles", "owner": {"age": 40}}}
        rows = list(document_rows([doc], ("id", "blog.name", "blog.owner.age", Const(1))))
        self.assertEqual(rows, [(7, "Beatles", 40, 1)])

    def test_a_path_through_an_array_reads_each_element(self):
        doc = {"entries": [{"name": "a"}, {"title": "x"}, {"name": "b"}]}
        self.assertEqual(list(document_rows([doc], ("entries.name",))), [(["a", "b"],)])

    def test_missing_and_null(self):
        docs = [{"id": 1}, {"id": 2, "blog": None}]
        self.assertEqual(list(document_rows(docs, ("id", "blog.name", "tagline"))), [(1, None, None), (2, None, None)])

    def test_enforce_schema_names_the_missing_field(self):
        with self.assertRaises(MigrationError) as context:
            list(document_rows([{"_id": "x1", "id": 1, "blog": {}}], ("id", "blog.name"), enforce=True, collection="entry"))
        self.assertIn("blog.name", str(context.exception))
        # A NULL subdocument is not a missing field.
        self.assertEqual(list(document_rows([{"id": 1, "blog": None}], ("id", "blog.name"), enforce=True)), [(1, None)])
