"""
The optimizer's rewrites through the ORM (djongo/sql2mongo/optimize/).

MongoDB enforces no foreign keys, so the data holds what a SQL database
never would: a book whose author is gone, a link row to a missing book.
An INNER JOIN drops such rows and a LEFT JOIN keeps them with NULLs; each
test checks that a rewritten query still does, on documents written behind
Django's back, and reads MongoDB to show the orphans are really there.
"""
import json

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.test import TestCase

from djongo.exceptions import SQLDecodeError
from tests.integration.app.models import Author, Book

MISSING = 999_999  # no author and no book has this id


class Orphans(TestCase):
    """Ann and Bob with books, Cid with none, and books whose author or editor is missing."""

    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="Ann")
        cls.bob = Author.objects.create(name="Bob")
        cls.cid = Author.objects.create(name="Cid")
        cls.long = Book.objects.create(title="Long", author=cls.ann, editor=cls.bob, pages=300)
        cls.short = Book.objects.create(title="Short", author=cls.ann, pages=50)
        cls.bobs = Book.objects.create(title="Bob's", author=cls.bob, editor=cls.bob, pages=120)
        cls.lost = Book.objects.create(title="Lost", author=cls.bob, editor=cls.ann, pages=999)
        cls.long.co_authors.add(cls.cid)
        cls.lost.co_authors.add(cls.cid)
        database = connection.mongo_database
        # Behind Django's back: the lost book's author and editor point nowhere,
        # and a link row points at a book that does not exist.
        database["app_book"].update_one({"id": cls.lost.pk}, {"$set": {"author_id": MISSING, "editor_id": MISSING}})
        database["app_book_co_authors"].insert_one({"id": MISSING, "book_id": MISSING, "author_id": cls.cid.pk})

    def stored_book(self, book):
        return connection.mongo_database["app_book"].find_one({"id": book.pk}, {"_id": 0, "author_id": 1})

    def titles(self, queryset):
        return sorted(book.title for book in queryset)

    def test_the_orphans_are_stored(self):
        self.assertEqual(self.stored_book(self.lost), {"author_id": MISSING})
        self.assertEqual(connection.mongo_database["app_book_co_authors"].count_documents({"book_id": MISSING}), 1)


class JoinRewriteTests(Orphans):

    def test_filter_only_join_drops_a_book_without_author(self):
        # eliminate_joins: author_id IN (ids of authors named ...).
        self.assertEqual(self.titles(Book.objects.filter(author__name__in=["Ann", "Bob"])), ["Bob's", "Long", "Short"])
        self.assertEqual(self.titles(Book.objects.filter(author__name__gte="")), ["Bob's", "Long", "Short"])
        # The LEFT join of a nullable key: a missing editor is not one named Ann.
        self.assertEqual(self.titles(Book.objects.filter(editor__name="Ann")), [])
        self.assertEqual(self.titles(Book.objects.filter(editor__name="Bob")), ["Bob's", "Long"])

    def test_search_across_a_relation_keeps_inner_join_meaning(self):
        # reduce_joins: the lost book's title matches, but its INNER join finds no author.
        found = Book.objects.filter(Q(title__icontains="o") | Q(author__name__icontains="ann")).select_related("author")
        self.assertEqual(sorted((b.title, b.author.name) for b in found), [
            ("Bob's", "Bob"), ("Long", "Ann"), ("Short", "Ann"),
        ])

    def test_changelist_filter_count_and_page(self):
        queryset = Book.objects.filter(author__name="Ann").select_related("author").order_by("-id")
        self.assertEqual(queryset.count(), 2)
        self.assertEqual([(b.title, b.author.name) for b in queryset[:1]], [("Short", "Ann")])

    def test_reverse_join_started_from_the_books(self):
        # reorder_joins: Author.objects.filter(books__...) runs from the books; a lost book finds no author.
        self.assertEqual(sorted(a.name for a in Author.objects.filter(books__pages__gt=100)), ["Ann", "Bob"])
        self.assertEqual(list(Author.objects.filter(books__title="Lost")), [])

    def test_many_to_many_through_a_link_to_nothing(self):
        self.assertEqual(self.titles(Book.objects.filter(co_authors__name="Cid")), ["Long", "Lost"])
        self.assertEqual(sorted(a.name for a in Author.objects.filter(co_written__title="Long")), ["Cid"])

    def test_distinct_over_a_join(self):
        self.assertEqual(sorted(a.name for a in Author.objects.filter(books__pages__gt=100).distinct()), ["Ann", "Bob"])
        self.assertEqual(sorted(a.name for a in Author.objects.filter(co_written__pages__gt=0).distinct()), ["Cid"])

    def test_select_related_slice_keeps_only_joined_rows(self):
        books = Book.objects.select_related("author").order_by("-id")[:2]
        # The newest book, Lost, has no author: an INNER join drops it before the slice.
        self.assertEqual([(b.title, b.author.name) for b in books], [("Bob's", "Bob"), ("Short", "Ann")])
        editors = Book.objects.select_related("editor").order_by("-id")[:2]
        # The editor is a LEFT join: Lost stays, with no editor.
        self.assertEqual([(b.title, b.editor) for b in editors], [("Lost", None), ("Bob's", self.bob)])


class SubqueryRewriteTests(Orphans):

    def test_exists_and_not_exists(self):
        # decorrelate: EXISTS becomes IN over the keys found once.
        has_books = Exists(Book.objects.filter(author=OuterRef("pk")))
        self.assertEqual(sorted(a.name for a in Author.objects.filter(has_books)), ["Ann", "Bob"])
        self.assertEqual(sorted(a.name for a in Author.objects.filter(~has_books)), ["Cid"])
        # NOT EXISTS is TRUE for a NULL key, and for a key pointing nowhere.
        edited = Exists(Author.objects.filter(pk=OuterRef("editor_id")))
        self.assertEqual(self.titles(Book.objects.filter(~edited)), ["Lost", "Short"])
        self.assertEqual(self.titles(Book.objects.filter(edited)), ["Bob's", "Long"])

    def test_subquery_annotation(self):
        # attach_subqueries: one query for the authors' latest books, NULL for none.
        latest = Subquery(Book.objects.filter(author=OuterRef("pk")).order_by("-id").values("title")[:1])
        self.assertEqual(
            [(a.name, a.latest) for a in Author.objects.annotate(latest=latest).order_by("id")],
            [("Ann", "Short"), ("Bob", "Bob's"), ("Cid", None)],
        )
        counted = Subquery(Book.objects.filter(author=OuterRef("pk")).values("author").annotate(n=Count("*")).values("n"))
        self.assertEqual(
            [(a.name, a.n) for a in Author.objects.annotate(n=counted).filter(name__lt="C").order_by("-name")],
            [("Bob", 1), ("Ann", 2)],
        )
        self.assertEqual(
            [(a.name, a.latest) for a in Author.objects.annotate(latest=latest).order_by("-latest", "name")[:2]],
            [("Ann", "Short"), ("Bob", "Bob's")],
        )


class GroupRewriteTests(Orphans):

    def test_annotate_count_of_children(self):
        # group_children_first: the books are grouped once; Cid has none, the lost book has no author.
        counted = Author.objects.annotate(n=Count("books"), pages=Sum("books__pages")).order_by("-n", "name")
        self.assertEqual([(a.name, a.n, a.pages) for a in counted], [("Ann", 2, 350), ("Bob", 1, 120), ("Cid", 0, None)])
        self.assertEqual([(a.name, a.n) for a in counted[1:3]], [("Bob", 1), ("Cid", 0)])
        self.assertEqual(
            [(a.name, a.n) for a in Author.objects.annotate(n=Count("co_written")).order_by("name")],
            # The link to a missing book still counts in SQL: the LEFT join reaches the link row.
            [("Ann", 0), ("Bob", 0), ("Cid", 3)],
        )

    def test_values_annotate_over_a_join(self):
        # eager_aggregation: books are summed per author first; the lost book joins no author.
        rows = Book.objects.values("author__name").annotate(n=Count("id"), p=Sum("pages")).order_by("author__name")
        self.assertEqual(list(rows), [
            {"author__name": "Ann", "n": 2, "p": 350}, {"author__name": "Bob", "n": 1, "p": 120},
        ])
        self.assertEqual(Book.objects.filter(author__name__gt="").aggregate(n=Count("id"), p=Sum("pages")),
                         {"n": 3, "p": 470})


class InListTests(TestCase):

    def test_one_plan_for_lists_of_any_length(self):
        from djongo.sql2mongo.plans import cache_info
        authors = Author.objects.bulk_create([Author(name=f"a{i}") for i in range(300)])
        before = cache_info().currsize
        for length in (1, 7, 300):
            ids = [author.pk for author in authors[:length]]
            self.assertEqual(sorted(Author.objects.filter(pk__in=ids).values_list("pk", flat=True)), sorted(ids))
            self.assertEqual(Author.objects.exclude(pk__in=ids).count(), 300 - length)
        self.assertLessEqual(cache_info().currsize - before, 2)


class ExplainTests(Orphans):
    """QuerySet.explain() and EXPLAIN through a cursor (what django-debug-toolbar's Explain button sends)."""

    def commands(self, queryset, **options):
        explained = json.loads(queryset.explain(format="json", **options))
        for step in explained:
            plan = step["explain"]
            # The local test server has no explain command; MongoDB answers with its plan.
            self.assertTrue("queryPlanner" in plan or "no such command" in plan.get("error", ""), plan)
        return [step["command"] for step in explained]

    def test_the_commands_a_query_runs(self):
        # The filter-only join became a semi-join: the authors' keys, then one find of the books.
        commands = self.commands(Book.objects.filter(author__name="Ann"))
        self.assertEqual([next(iter(command)) for command in commands], ["find", "find"])
        self.assertEqual(commands[0]["find"], "app_author")
        self.assertEqual(commands[1]["filter"], {"author_id": {"$in": [self.ann.pk]}})
        # EXISTS runs its subquery once.
        commands = self.commands(Author.objects.filter(Exists(Book.objects.filter(author=OuterRef("pk")))))
        self.assertEqual([(next(iter(c)), c[next(iter(c))]) for c in commands], [("find", "app_book"), ("find", "app_author")])

    def test_text_format_and_verbosity(self):
        text = Book.objects.filter(pages__gt=100).order_by("-id")[:2].explain(verbosity="executionStats")
        first = text.splitlines()[0]
        self.assertTrue(first.startswith('1. db.app_book.find({"filter": {"pages": {"$gt": 100}}'), first)
        self.assertIn('"sort": {"id": -1}', first)
        self.assertIn('"limit": 2', first)
        with self.assertRaisesMessage(ValueError, "Unknown verbosity"):
            Book.objects.all().explain(verbosity="everything")
        with self.assertRaisesMessage(ValueError, "XML is not a recognized format"):
            Book.objects.all().explain(format="xml")

    def test_explain_through_a_cursor(self):
        with connection.cursor() as cursor:
            cursor.execute('EXPLAIN SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."pages" > %s', [100])
            self.assertEqual([column[0] for column in cursor.description], ["QUERY PLAN"])
            self.assertTrue(cursor.fetchone()[0].startswith("1. db.app_book.find("))
        with self.assertRaisesMessage(SQLDecodeError, "EXPLAIN of DELETE (only SELECT is explained)"):
            with connection.cursor() as cursor:
                cursor.execute('EXPLAIN DELETE FROM "app_book"')
        # Nothing was deleted.
        self.assertEqual(Book.objects.count(), 4)


class IndexUseTests(Orphans):
    """The keys the rewritten queries look up are fields Django's migrations indexed."""

    def looked_up(self, queryset):
        """Return the (collection, field) pairs a query finds by key: $in filters and $lookup targets."""
        pairs = set()
        for step in json.loads(queryset.explain(format="json")):
            command = step["command"]
            collection = command.get("find") or command.get("aggregate")
            stages = command.get("pipeline", [{"$match": command.get("filter", {})}])
            for stage in stages:
                filters = [stage.get("$match", {})]
                while filters:
                    for field, condition in filters.pop().items():
                        if field in ("$and", "$or"):
                            filters.extend(condition)
                        elif isinstance(condition, dict) and "$in" in condition:
                            pairs.add((collection, field))
                lookup = stage.get("$lookup")
                if lookup and "foreignField" in lookup:
                    pairs.add((lookup["from"], lookup["foreignField"]))
        return pairs

    def test_rewritten_lookups_use_indexed_fields(self):
        database = connection.mongo_database
        querysets = [
            Book.objects.filter(author__name="Ann"),
            Book.objects.filter(Q(title="x") | Q(author__name="Ann")).select_related("author"),
            Book.objects.filter(co_authors__name="Cid"),
            Author.objects.filter(books__title="Long"),
            Author.objects.filter(Exists(Book.objects.filter(author=OuterRef("pk"), pages__gt=100))),
            Author.objects.filter(name__lt="C").annotate(n=Count("books")),
            Book.objects.values("author__name").annotate(n=Count("id")),
        ]
        seen = set()
        for queryset in querysets:
            pairs = self.looked_up(queryset)
            self.assertTrue(pairs, queryset.query)
            seen |= pairs
        for collection, field in seen:
            leading = [next(iter(index["key"])) for index in database[collection].list_indexes()]
            self.assertIn(field, leading, f"{collection}.{field} has no index")
        # The rewrites reach the foreign keys and primary keys of every table involved.
        self.assertLessEqual({("app_book", "author_id"), ("app_author", "id")}, seen)
