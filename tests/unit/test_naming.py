"""SELECT * and unqualified columns (naming.py): named from the recorded columns, given to the plan as Facts."""
import unittest

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo.plans import Facts, Needs, get_plan, parse

AUTHOR = ("app_author", ("id", "name", "email"))
BOOK = ("app_book", ("id", "title", "author_id", "pages"))
JOIN = ' FROM "app_book" INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id")'


class NamingTests(unittest.TestCase):

    def assertNamedAs(self, sql, qualified, catalog=(BOOK, AUTHOR)):
        """``sql`` needs the catalog's tables named, and then becomes the plan of ``qualified``."""
        self.assertEqual(parse(sql).needs, Needs(tables=tuple(table for table, _ in catalog)))
        self.assertEqual(get_plan(sql, Facts(catalog)).commands, get_plan(qualified).commands)

    def test_star_is_every_column_of_each_table_in_join_order(self):
        self.assertNamedAs(
            "SELECT *" + JOIN,
            'SELECT "app_book"."id", "app_book"."title", "app_book"."author_id", "app_book"."pages", '
            '"app_author"."id", "app_author"."name", "app_author"."email"' + JOIN,
        )

    def test_star_of_one_table(self):
        self.assertNamedAs(
            'SELECT "app_author".*, "app_book"."title"' + JOIN,
            'SELECT "app_author"."id", "app_author"."name", "app_author"."email", "app_book"."title"' + JOIN,
        )

    def test_unqualified_columns_belong_to_the_one_table_that_has_them(self):
        self.assertNamedAs(
            'SELECT "title", "name" FROM "app_book" INNER JOIN "app_author" ON ("author_id" = "app_author"."id") '
            'WHERE "pages" > %s ORDER BY "name"',
            'SELECT "app_book"."title", "app_author"."name" FROM "app_book" INNER JOIN "app_author" '
            'ON ("app_book"."author_id" = "app_author"."id") WHERE "app_book"."pages" > %s ORDER BY "app_author"."name"',
        )

    def test_star_in_a_derived_table(self):
        # Book.objects.raw("SELECT id FROM (SELECT * FROM ... WHERE ...) sq"):
        # a nested SELECT is no statement of its own, whose * the executor reads.
        self.assertNamedAs(
            'SELECT "id" FROM (SELECT * FROM "app_book" WHERE "pages" IS NOT NULL) sq',
            'SELECT "id" FROM (SELECT "app_book"."id", "app_book"."title", "app_book"."author_id", "app_book"."pages" '
            'FROM "app_book" WHERE "app_book"."pages" IS NOT NULL) sq',
            catalog=(BOOK,),
        )

    def test_aliases_of_the_select_list_stay_names(self):
        self.assertNamedAs(
            'SELECT "title" AS "t"' + JOIN + ' ORDER BY "t"',
            'SELECT "app_book"."title" AS "t"' + JOIN + ' ORDER BY "t"',
        )

    def test_a_column_of_both_tables_is_ambiguous(self):
        with self.assertRaisesRegex(SQLDecodeError, "ambiguous column name 'id': it is a column of app_book, app_author"):
            get_plan('SELECT "id"' + JOIN, Facts((BOOK, AUTHOR)))

    def test_a_column_of_neither_table_is_refused(self):
        with self.assertRaisesRegex(SQLDecodeError, "column 'isbn', which none of the joined tables"):
            get_plan('SELECT "isbn"' + JOIN, Facts((BOOK, AUTHOR)))

    def test_named_columns_need_no_names(self):
        for sql in ['SELECT "title" FROM "app_book"', 'SELECT "app_book"."id"' + JOIN]:
            with self.subTest(sql=sql):
                self.assertEqual(parse(sql).needs, Needs())
                self.assertNotEqual(get_plan(sql).commands, ())

    def test_star_of_a_statement_of_one_table(self):
        # The recorded columns, in table order; an unqualified column needs
        # no schema there, recorded or not.
        self.assertNamedAs(
            'SELECT * FROM "app_book" WHERE "isbn" = %s',
            'SELECT "app_book"."id", "app_book"."title", "app_book"."author_id", "app_book"."pages" '
            'FROM "app_book" WHERE "isbn" = %s',
            catalog=(BOOK,),
        )

    def test_star_of_an_unrecorded_table_is_left_to_its_documents(self):
        # A collection djongo has no record of: alone, its * reads each
        # document's fields (executor/reads.py); joined, it is refused.
        plan = get_plan('SELECT * FROM "other"', Facts((("other", None),)))
        self.assertIsNone(plan.commands[0].projection)
        with self.assertRaisesRegex(SQLDecodeError, "over app_author, a table with no recorded columns"):
            get_plan("SELECT *" + JOIN, Facts((BOOK, ("app_author", None))))

    def test_subqueries_with_joins_are_named_too(self):
        self.assertNamedAs(
            'SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."author_id" IN (SELECT "app_author"."id"'
            ' FROM "app_author" INNER JOIN "app_book" U1 ON (U1."author_id" = "app_author"."id") WHERE "pages" > %s)',
            'SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."author_id" IN (SELECT "app_author"."id"'
            ' FROM "app_author" INNER JOIN "app_book" U1 ON (U1."author_id" = "app_author"."id") WHERE U1."pages" > %s)',
            catalog=(AUTHOR, BOOK),
        )
