"""The check of every JOIN's UNIQUE hint (join_hints.py) fails where it should, and runs on the ORM's joins."""
from django.test import SimpleTestCase, TestCase

from tests.integration.app.models import Author, Book
from tests.integration.join_hints import JoinHintCheck, check

FK_JOIN = 'SELECT "app_book"."id" FROM "app_book" INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id")'


class CheckTests(SimpleTestCase):

    def test_a_join_into_a_primary_key_must_say_so(self):
        JoinHintCheck().check(FK_JOIN + " /*+ UNIQUE(2) */")
        with self.assertRaisesMessage(AssertionError, "should carry UNIQUE(2,), not UNIQUE()"):
            JoinHintCheck().check(FK_JOIN)

    def test_a_hint_on_a_join_into_a_column_that_is_not_unique_fails(self):
        # The reverse join, from authors to their books: many books per author.
        reverse = ('SELECT "app_author"."id" FROM "app_author" LEFT OUTER JOIN "app_book" '
                   'ON ("app_author"."id" = "app_book"."author_id")')
        JoinHintCheck().check(reverse + " /*+ UNIQUE(1) */")
        with self.assertRaisesMessage(AssertionError, "should carry UNIQUE(1,), not UNIQUE(1, 2)"):
            JoinHintCheck().check(reverse + " /*+ UNIQUE(1, 2) */")

    def test_aliases_are_followed_to_their_tables(self):
        aliased = ('SELECT U0."id" FROM "app_book" U0 INNER JOIN "app_author" U1 '
                   'ON (U0."editor_id" = U1."id") /*+ UNIQUE(2) */')
        hint_check = JoinHintCheck()
        hint_check.check(aliased)
        self.assertEqual(hint_check.checked, 1)


class OrmJoinsTests(TestCase):

    def test_the_orm_joins_of_each_test_are_checked(self):
        Book.objects.create(title="T", author=Author.objects.create(name="Ann"))
        before = check.checked
        self.assertEqual([book.author.name for book in Book.objects.select_related("author")], ["Ann"])
        self.assertEqual(list(Author.objects.filter(books__title="T").values_list("name", flat=True)), ["Ann"])
        self.assertEqual(check.checked, before + 2)
