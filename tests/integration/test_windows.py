"""
Window functions through the ORM.

A server that runs $setWindowFields gets the stages djongo writes; one that
does not (the local test server) gets the stages around them, and djongo
evaluates the windows (djongo/window_fallback.py). Either way the rows are
SQL's. tests/differential/test_windows.py compares many more with SQLite.
"""
from unittest import mock

from django.db import NotSupportedError, connection
from django.db.models import F, Q, Sum, Value, Window
from django.db.models.functions import DenseRank, Lag, Rank, RowNumber
from django.test import TestCase

from djongo import window_fallback
from tests.integration.app.models import Author, Book


class WindowTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob")
        for title, author, pages in [("a", ann, 10), ("b", ann, 30), ("c", ann, 30), ("d", bob, 5), ("e", bob, 50)]:
            Book.objects.create(title=title, author=author, pages=pages)

    def test_ranks_with_ties_per_partition(self):
        books = Book.objects.annotate(
            rank=Window(Rank(), partition_by="author", order_by=F("pages").desc()),
            dense=Window(DenseRank(), order_by="pages"),
        ).order_by("title")
        self.assertEqual(
            [(b.title, b.rank, b.dense) for b in books],
            [("a", 3, 2), ("b", 1, 3), ("c", 1, 3), ("d", 2, 1), ("e", 1, 4)],
        )

    def test_running_sum_includes_peers_and_lag_default(self):
        books = Book.objects.annotate(
            running=Window(Sum("pages"), order_by="pages"),
            previous=Window(Lag("title", 1, default=Value("-")), order_by=["pages", "title"]),
        ).order_by("pages", "title")
        self.assertEqual(
            [(b.title, b.running, b.previous) for b in books],
            [("d", 5, "-"), ("a", 15, "d"), ("b", 75, "a"), ("c", 75, "b"), ("e", 125, "c")],
        )

    def test_filter_on_a_window_then_slice(self):
        titles = Book.objects.annotate(
            n=Window(RowNumber(), partition_by="author", order_by=["-pages", "title"]),
        ).filter(Q(n=1) | Q(title="a")).order_by("-pages").values_list("title", flat=True)[:2]
        self.assertEqual(list(titles), ["e", "b"])

    def test_the_server_is_asked_once(self):
        supported = connection.connection.supports_window_stage
        with mock.patch.object(window_fallback, "window_stage_supported") as probe:
            self.assertEqual(connection.connection.supports_window_stage, supported)
        probe.assert_not_called()

    def test_fallback_refuses_rows_beyond_one_command(self):
        if connection.connection.supports_window_stage:
            self.skipTest("the server runs $setWindowFields itself")
        with mock.patch.object(window_fallback, "MAX_ROWS_BYTES", 10):
            with self.assertRaisesMessage(NotSupportedError, "exceeds what one command carries"):
                list(Book.objects.annotate(n=Window(RowNumber(), order_by="pages")).order_by("n"))
