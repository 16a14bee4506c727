"""Django 6.1's fetch modes (QuerySet.fetch_mode()) on djongo: the queries they make and the rows they find."""
import re
import unittest

import django
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.integration.app.models import Author, Book

if django.VERSION >= (6, 1):
    from django.core.exceptions import FieldFetchBlocked
    from django.db.models import FETCH_ONE, FETCH_PEERS, FETCH_RAISE


@unittest.skipUnless(django.VERSION >= (6, 1), "fetch modes came with Django 6.1")
class FetchModeTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.authors = [Author.objects.create(name=name) for name in ("Ann", "Bob", "Cid")]
        for index in range(6):
            Book.objects.create(title=f"t{index}", author=cls.authors[index % 3], editor=cls.authors[0], pages=index)

    def loop(self, queryset):
        """Read every book's author, as a template would."""
        return [(book.title, book.author.name) for book in queryset.order_by("title")]

    def expected(self):
        return [(f"t{index}", ("Ann", "Bob", "Cid")[index % 3]) for index in range(6)]

    def test_fetch_peers_loads_every_author_in_one_query(self):
        with CaptureQueriesContext(connection) as queries:
            rows = self.loop(Book.objects.fetch_mode(FETCH_PEERS))
        self.assertEqual(rows, self.expected())
        self.assertEqual(len(queries), 2, [query["sql"] for query in queries])
        # The second query reads the authors of the whole batch at once:
        # Django writes the batch as ORs of one-column equalities where
        # supports_tuple_lookups is False (djongo, as SQLite), else as IN.
        sql = queries[1]["sql"]
        self.assertIn('"app_author"', sql)
        self.assertEqual(
            sorted(int(pk) for pk in re.findall(r'"app_author"\."id" = (\d+)', sql)),
            sorted(author.pk for author in self.authors),
        )

    def test_fetch_one_is_a_query_per_book(self):
        with self.assertNumQueries(7):
            self.assertEqual(self.loop(Book.objects.fetch_mode(FETCH_ONE)), self.expected())

    def test_peers_of_deferred_fields_and_of_related_objects(self):
        with self.assertNumQueries(2):
            pages = [book.pages for book in Book.objects.fetch_mode(FETCH_PEERS).only("title").order_by("title")]
        self.assertEqual(pages, list(range(6)))
        # The mode is copied to the related objects fetched: their own
        # foreign keys come in one query for the batch too.
        with self.assertNumQueries(3):
            editors = [
                book.author.name + ">" + book.editor.name
                for book in Book.objects.fetch_mode(FETCH_PEERS).order_by("title")
            ]
        self.assertEqual(editors, [f"{name}>Ann" for name in ("Ann", "Bob", "Cid") * 2])

    def test_fetch_raise(self):
        book = Book.objects.fetch_mode(FETCH_RAISE).get(title="t0")
        with self.assertRaises(FieldFetchBlocked):
            book.author
