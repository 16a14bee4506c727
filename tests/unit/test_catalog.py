"""What the catalog (djongo/catalog.py) keeps of a database between statements."""
import unittest
import unittest.mock

from djongo.catalog import COLUMNS_COLLECTION, Catalog


class FakeDatabase:
    """Just enough of a pymongo Database: its collections' names, and a collection by name."""

    def __init__(self, names):
        self.names = set(names)
        self.listed = 0

    def __getitem__(self, name):
        collection = unittest.mock.Mock()
        collection.database = self
        return collection

    def list_collection_names(self):
        self.listed += 1
        return sorted(self.names)


class ExistingTablesTests(unittest.TestCase):

    def test_the_names_listed_are_kept_until_forgotten(self):
        database = FakeDatabase(["a", COLUMNS_COLLECTION])
        catalog = Catalog(database)
        self.assertTrue(catalog.exists("a"))
        self.assertTrue(catalog.exists("a"))
        self.assertEqual(database.listed, 1)
        # The database was dropped (a test runner's teardown) and made
        # again: "a" is gone until a CREATE TABLE makes it.
        database.names = set()
        catalog.forget()
        self.assertFalse(catalog.exists("a"))
        catalog.created("a")
        self.assertTrue(catalog.exists("a"))
