"""
bulk_create(ignore_conflicts=True) and bulk_create(update_conflicts=True):
INSERT ... ON CONFLICT as an unordered insert that skips duplicate keys, and
as upserts keyed on the unique fields.
"""
from django.db import ProgrammingError, connection
from django.test import TestCase

from djongo.executor.conflicts import unconflicting
from tests.integration.app.models import Author, Badge, Book


def stored(collection, **filter_):
    return list(connection.mongo_database[collection].find(filter_, {"_id": 0}).sort("id", 1))


class IgnoreConflictsTests(TestCase):

    def test_rows_that_break_a_unique_index_are_skipped(self):
        ann = Author.objects.create(name="Ann")
        Book.objects.create(title="Taken", author=ann, pages=1)
        Book.objects.bulk_create([
            Book(title="Fresh", author=ann, pages=2),
            Book(title="Taken", author=ann, pages=3),  # stored already
            Book(title="Twice", author=ann, pages=4),
            Book(title="Twice", author=ann, pages=5),  # the same as the row before it
            Book(title="Last", author=ann, pages=6),
        ], ignore_conflicts=True)
        books = stored("app_book", author_id=ann.pk)
        self.assertEqual(
            [(book["title"], book["pages"]) for book in books],
            [("Taken", 1), ("Fresh", 2), ("Twice", 4), ("Last", 6)],
        )
        # Each stored row has its own id, and the ids count on after them.
        self.assertEqual(len({book["id"] for book in books}), 4)
        self.assertGreater(Book.objects.create(title="After", author=ann).pk, max(book["id"] for book in books))

    def test_many_to_many_add_of_a_related_row_again_is_a_no_op(self):
        # add() inserts with ignore_conflicts when the server supports it.
        ann, bob = Author.objects.bulk_create([Author(name="Ann"), Author(name="Bob")])
        book = Book.objects.create(title="Shared", author=ann)
        book.co_authors.add(ann)
        book.co_authors.add(ann, bob)
        links = stored(Book.co_authors.through._meta.db_table, book_id=book.pk)
        self.assertEqual(sorted(link["author_id"] for link in links), [ann.pk, bob.pk])

    def test_transaction_form_leaves_out_the_rows_an_insert_would_refuse(self):
        # What a transaction inserts (it cannot skip rows as it goes: a
        # duplicate key aborts a MongoDB transaction), found by one query.
        ann = Author.objects.create(name="Ann")
        Book.objects.create(title="Taken", author=ann)
        Badge.objects.create(serial="A1")
        books = connection.mongo_database["app_book"]
        rows = [
            {"id": 901, "title": "Taken", "author_id": ann.pk},
            {"id": 902, "title": "Fresh", "author_id": ann.pk},
            {"id": 903, "title": "Fresh", "author_id": ann.pk},
            {"id": 902, "title": "Other", "author_id": ann.pk},  # the id of a row before it
        ]
        self.assertEqual([row["id"] for row in unconflicting(books, rows)], [902])
        # A NULL in a nullable unique column never conflicts.
        badges = connection.mongo_database["app_badge"]
        rows = [{"id": 911, "serial": "A1"}, {"id": 912, "serial": None}, {"id": 913, "serial": None}]
        self.assertEqual([row["id"] for row in unconflicting(badges, rows)], [912, 913])


class UpdateConflictsTests(TestCase):

    def test_a_row_matching_the_unique_fields_updates_the_stored_one(self):
        ann, bob = Author.objects.bulk_create([Author(name="Ann"), Author(name="Bob")])
        old = Book.objects.create(title="Kept", author=ann, pages=10)
        books = Book.objects.bulk_create(
            [
                Book(title="Kept", author=ann, pages=11),  # updates the stored row
                Book(title="New", author=ann, pages=20),
                Book(title="Kept", author=bob, pages=30),  # another author: a new row
            ],
            update_conflicts=True, unique_fields=["title", "author"], update_fields=["pages"],
        )
        self.assertEqual(
            [(book["title"], book["author_id"], book["pages"]) for book in stored("app_book")],
            [("Kept", ann.pk, 11), ("New", ann.pk, 20), ("Kept", bob.pk, 30)],
        )
        # The ids come back as stored: the updated row keeps its own.
        self.assertEqual(books[0].pk, old.pk)
        self.assertEqual([book.pk for book in books], [book["id"] for book in stored("app_book")])

    def test_only_the_update_fields_change(self):
        ann = Author.objects.create(name="Ann", email="ann@example.com")
        Author.objects.bulk_create(
            [Author(id=ann.pk, name="Anne", email="other@example.com")],
            update_conflicts=True, unique_fields=["id"], update_fields=["name"],
        )
        self.assertEqual(stored("app_author", id=ann.pk), [{"id": ann.pk, "name": "Anne", "email": "ann@example.com"}])

    def test_unique_fields_that_match_no_unique_index_are_refused(self):
        ann = Author.objects.create(name="Ann")
        with self.assertRaisesMessage(ProgrammingError, "ON CONFLICT (title) matches no unique index of app_book"):
            Book.objects.bulk_create(
                [Book(title="A", author=ann)], update_conflicts=True, unique_fields=["title"], update_fields=["pages"],
            )
        self.assertEqual(stored("app_book"), [])
