"""
The planning stage (sql2mongo/optimize/): each rule as tree in, tree out.

Trees are written as SQL and parsed, the input as Django compiles it (with
djongo's /*+ UNIQUE(...) */ join hints), the output as the SQL the rule's
tree would print. Literals stand in for parameters so that a condition a
rule copies reads the same on both sides. Every rule also has the cases
where it must leave the tree alone.
"""
import dataclasses
import unittest

from djongo.sql2mongo import tree as t
from djongo.sql2mongo.binding import PreRun
from djongo.sql2mongo.commands import Aggregate, Find, KeyedJoin
from djongo.sql2mongo.optimize import optimize
from djongo.sql2mongo.optimize.attach_subqueries import attach_subqueries
from djongo.sql2mongo.optimize.cross_joins import cross_joins
from djongo.sql2mongo.optimize.decorrelate import decorrelate
from djongo.sql2mongo.optimize.eager_aggregation import eager_aggregation
from djongo.sql2mongo.optimize.eliminate_joins import eliminate_joins
from djongo.sql2mongo.optimize.group_children_first import group_children_first
from djongo.sql2mongo.optimize.in_lists import in_lists
from djongo.sql2mongo.optimize.joins import rejects_nulls
from djongo.sql2mongo.optimize.reduce_joins import KEYS_LIMIT, reduce_joins
from djongo.sql2mongo.optimize.reorder_joins import reorder_joins
from djongo.sql2mongo.parser import parse
from djongo.sql2mongo.plans import get_plan

from .base import TranslationTestCase

BOOK = 'SELECT "book"."id", "book"."title" FROM "book" '
TO_AUTHOR = 'INNER JOIN "author" ON ("book"."author_id" = "author"."id") /*+ UNIQUE(2) */ '
TO_EDITOR = 'LEFT OUTER JOIN "author" T3 ON ("book"."editor_id" = T3."id") /*+ UNIQUE(2) */ '
AUTHOR = 'SELECT "author"."id", "author"."name" FROM "author" '
TO_BOOKS = 'INNER JOIN "book" ON ("author"."id" = "book"."author_id") /*+ UNIQUE(1) */ '
TO_BOOKS_LEFT = 'LEFT OUTER JOIN "book" ON ("author"."id" = "book"."author_id") /*+ UNIQUE(1) */ '


def implied(node):
    """Return ``node`` with each IN subquery that reads at most KEYS_LIMIT rows marked implied."""
    if isinstance(node, t.InSubquery) and node.select.limit == t.Literal(KEYS_LIMIT):
        return dataclasses.replace(node, select=implied(node.select), implied=True)
    if isinstance(node, tuple):
        return tuple(implied(item) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return dataclasses.replace(node, **{
            field.name: implied(getattr(node, field.name)) for field in dataclasses.fields(node)
            if isinstance(getattr(node, field.name), tuple) or dataclasses.is_dataclass(getattr(node, field.name))
        })
    return node


def with_keys(select, column):
    """Return ``select`` reading only the keys a KeyedJoin binds to list parameter -1."""
    return dataclasses.replace(select, where=t.InList(column, (t.ListParam(-1),)))


class RuleTestCase(unittest.TestCase):
    maxDiff = None

    def assertRewrites(self, rule, sql, expected_sql):
        self.assertEqual(rule(parse(sql)), parse(expected_sql))

    def assertKept(self, rule, sql):
        statement = parse(sql)
        self.assertEqual(rule(statement), statement)


class DecorrelateTests(RuleTestCase):

    EXISTS = ('EXISTS(SELECT 1 AS "a" FROM "book" U0 '
              'WHERE (U0."author_id" = ("author"."id") AND U0."pages" = 999) LIMIT 1)')
    VALUES = ('(SELECT U0."author_id" FROM "book" U0 '
              'WHERE (U0."pages" = 999 AND U0."author_id" IS NOT NULL))')

    def test_exists_becomes_in(self):
        self.assertRewrites(
            decorrelate, AUTHOR + 'WHERE ' + self.EXISTS,
            AUTHOR + f'WHERE ("author"."id" IS NOT NULL AND "author"."id" IN {self.VALUES})',
        )

    def test_not_exists_stays_true_for_a_null_key(self):
        # NOT (k IS NOT NULL AND k IN (...)): a NULL k makes it TRUE, as NOT EXISTS is.
        self.assertRewrites(
            decorrelate, AUTHOR + 'WHERE NOT ' + self.EXISTS,
            AUTHOR + f'WHERE NOT ("author"."id" IS NOT NULL AND "author"."id" IN {self.VALUES})',
        )

    def test_inside_or_and_not(self):
        rewritten = decorrelate(parse(AUTHOR + f'WHERE ("author"."name" = \'x\' OR NOT ({self.EXISTS}))'))
        self.assertIsInstance(rewritten.where.items[1].item.items[1], t.InSubquery)

    def test_equality_written_the_other_way_and_joins_inside(self):
        self.assertRewrites(
            decorrelate,
            AUTHOR + 'WHERE EXISTS(SELECT 1 FROM "book_tags" U1 INNER JOIN "tag" U2 ON (U1."tag_id" = U2."id") '
                     'WHERE (U2."name" = \'t\' AND ("author"."id") = U1."author_id"))',
            AUTHOR + 'WHERE ("author"."id" IS NOT NULL AND "author"."id" IN (SELECT U1."author_id" FROM "book_tags" U1 '
                     'INNER JOIN "tag" U2 ON (U1."tag_id" = U2."id") '
                     'WHERE (U2."name" = \'t\' AND U1."author_id" IS NOT NULL)))',
        )

    def test_what_must_stay_correlated(self):
        for subquery in [
            # Two correlated conditions.
            'SELECT 1 FROM "book" U0 WHERE (U0."author_id" = ("author"."id") AND U0."title" = ("author"."name"))',
            # A correlated condition that is not an equality of columns.
            'SELECT 1 FROM "book" U0 WHERE U0."pages" > ("author"."id")',
            'SELECT 1 FROM "book" U0 WHERE (U0."author_id" = ("author"."id") OR U0."pages" = 1)',
            'SELECT 1 FROM "book" U0 WHERE U0."author_id" = ("author"."id" + 1)',
            # What decides whether there are rows besides WHERE.
            'SELECT COUNT(*) FROM "book" U0 WHERE U0."author_id" = ("author"."id")',
            'SELECT 1 FROM "book" U0 WHERE U0."author_id" = ("author"."id") GROUP BY U0."pages"',
            'SELECT 1 FROM "book" U0 WHERE U0."author_id" = ("author"."id") LIMIT 1 OFFSET 1',
            'SELECT 1 FROM "book" U0 WHERE U0."author_id" = ("author"."id") LIMIT 0',
            # A correlated JOIN condition inside.
            'SELECT 1 FROM "book" U0 INNER JOIN "tag" U1 ON (U1."id" = "author"."id") WHERE U0."author_id" = ("author"."id")',
            # Uncorrelated: nothing to do (it already runs once).
            'SELECT 1 FROM "book" U0 WHERE U0."pages" = 1',
        ]:
            with self.subTest(subquery=subquery):
                self.assertKept(decorrelate, AUTHOR + f'WHERE EXISTS({subquery})')


class CrossJoinsTests(RuleTestCase):
    """FROM a, b (QuerySet.extra(tables=...)): the parser's INNER JOIN ON TRUE gets WHERE's conditions on b."""

    def test_comma_join_is_an_inner_join_on_true(self):
        self.assertEqual(parse(BOOK + ', "author"').joins,
                         (t.Join("INNER", t.Table("author"), t.IsTrue(t.Literal(True))),))

    def test_where_conditions_on_the_joined_table_move_into_on(self):
        self.assertRewrites(
            cross_joins,
            BOOK + ', "author" WHERE ("book"."author_id" = "author"."id" AND "author"."name" = %s AND "book"."pages" > 1)',
            BOOK + 'INNER JOIN "author" ON ("book"."author_id" = "author"."id" AND "author"."name" = %s) '
                   'WHERE "book"."pages" > 1',
        )

    def test_a_condition_on_a_later_table_stays(self):
        # "tag" comes after "author": the condition cannot filter author's join.
        self.assertRewrites(
            cross_joins,
            BOOK + ', "author" , "tag" WHERE ("author"."id" = "tag"."id" AND "book"."pages" = 1)',
            BOOK + 'INNER JOIN "author" ON TRUE INNER JOIN "tag" ON ("author"."id" = "tag"."id") '
                   'WHERE "book"."pages" = 1',
        )

    def test_what_stays(self):
        for sql in [
            BOOK + ', "author"',  # no condition: every pair
            BOOK + ', "author" WHERE "author"."id" IN (SELECT U0."id" FROM "x" U0)',  # a subquery
            BOOK + TO_EDITOR + 'WHERE T3."name" = %s',  # no comma join
        ]:
            with self.subTest(sql=sql):
                self.assertKept(cross_joins, sql)


class InListsTests(RuleTestCase):

    def test_fetch_peers_batch_becomes_in(self):
        # Django 6.1's FETCH_PEERS, where tuple lookups are off.
        self.assertRewrites(
            in_lists, AUTHOR + 'WHERE ("author"."id" = %s OR "author"."id" = %s OR "author"."id" = %s)',
            AUTHOR + 'WHERE "author"."id" IN (%s, %s, %s)',
        )

    def test_other_conditions_keep_their_place(self):
        self.assertRewrites(
            in_lists,
            AUTHOR + 'WHERE ("author"."name" = %s OR %s = "author"."id" OR "author"."id" > 3 OR "author"."id" = 7)',
            AUTHOR + 'WHERE ("author"."name" = %s OR "author"."id" IN (%s, 7) OR "author"."id" > 3)',
        )

    def test_nested_and_in_having(self):
        self.assertRewrites(
            in_lists,
            AUTHOR + 'WHERE NOT ("author"."id" = 1 OR "author"."id" = 2) GROUP BY "author"."id", "author"."name" '
                     'HAVING ("author"."name" = \'a\' OR "author"."name" = \'b\')',
            AUTHOR + 'WHERE NOT ("author"."id" IN (1, 2)) GROUP BY "author"."id", "author"."name" '
                     'HAVING "author"."name" IN (\'a\', \'b\')',
        )

    def test_what_stays(self):
        for where in [
            '("author"."id" = %s OR "author"."name" = %s)',  # two columns
            '("author"."id" = %s AND "author"."id" = %s)',  # AND
            '("author"."id" = "book"."id" OR "author"."id" = "book"."author_id")',  # columns, not values
            '"author"."id" = %s',
        ]:
            with self.subTest(where=where):
                self.assertKept(in_lists, AUTHOR + 'WHERE ' + where)

    def test_a_null_parameter_still_matches_nothing(self):
        # id = NULL OR id = 2 is UNKNOWN unless id is 2, as id IN (NULL, 2) is.
        command = get_plan(AUTHOR + 'WHERE ("author"."id" = %s OR "author"."id" = %s)').commands[0]
        from djongo.sql2mongo.binding import bind
        self.assertEqual(bind(command.filter, (None, 2)), {"id": {"$in": [2]}})
        negated = get_plan(AUTHOR + 'WHERE NOT ("author"."id" = %s OR "author"."id" = %s)').commands[0]
        self.assertEqual(bind(negated.filter, (None, 2)), {"id": {"$in": []}})
        self.assertEqual(bind(negated.filter, (1, 2)), {"id": {"$nin": [1, 2, None]}})


class EliminateJoinsTests(RuleTestCase):

    def test_filter_only_join_to_a_unique_column(self):
        # Book.objects.filter(author__name="Ann")
        self.assertRewrites(
            eliminate_joins, BOOK + TO_AUTHOR + 'WHERE ("author"."name" = \'Ann\' AND "book"."pages" > 1)',
            BOOK + 'WHERE ("book"."pages" > 1 AND "book"."author_id" IN '
                   '(SELECT "author"."id" FROM "author" WHERE "author"."name" = \'Ann\'))',
        )

    def test_a_chain_shortens_from_its_far_end(self):
        # Book.objects.filter(author__publisher__name="P")
        self.assertRewrites(
            eliminate_joins,
            BOOK + TO_AUTHOR + 'INNER JOIN "publisher" ON ("author"."publisher_id" = "publisher"."id") '
                   '/*+ UNIQUE(2) */ WHERE "publisher"."name" = \'P\'',
            BOOK + 'WHERE "book"."author_id" IN (SELECT "author"."id" FROM "author" WHERE "author"."publisher_id" IN '
                   '(SELECT "publisher"."id" FROM "publisher" WHERE "publisher"."name" = \'P\'))',
        )

    def test_left_join_with_a_condition_that_rejects_its_null_row(self):
        self.assertRewrites(
            eliminate_joins, BOOK + TO_EDITOR + 'WHERE T3."name" = \'Bob\'',
            BOOK + 'WHERE "book"."editor_id" IN (SELECT T3."id" FROM "author" T3 WHERE T3."name" = \'Bob\')',
        )

    def test_unread_left_join_to_a_unique_column_is_dropped(self):
        self.assertRewrites(eliminate_joins, BOOK + TO_EDITOR, BOOK)

    def test_distinct_makes_repeats_harmless(self):
        # Author.objects.filter(book__pages__gt=990).distinct(): book.author_id is not unique.
        distinct = 'SELECT DISTINCT "author"."id", "author"."name" FROM "author" '
        self.assertRewrites(
            eliminate_joins, distinct + TO_BOOKS + 'WHERE "book"."pages" > 990',
            distinct + 'WHERE "author"."id" IN (SELECT "book"."author_id" FROM "book" WHERE "book"."pages" > 990)',
        )

    def test_joins_that_stay(self):
        for sql in [
            # The joined rows are selected, sorted or grouped on.
            'SELECT "book"."id", "author"."name" FROM "book" ' + TO_AUTHOR + 'WHERE "author"."name" = \'A\'',
            BOOK + TO_AUTHOR + 'WHERE "author"."name" = \'A\' ORDER BY "author"."name"',
            'SELECT COUNT(*) FROM "book" ' + TO_AUTHOR + 'WHERE "author"."name" = \'A\' GROUP BY "author"."name"',
            # A condition reads both tables.
            BOOK + TO_AUTHOR + 'WHERE ("author"."name" = \'A\' OR "book"."pages" = 1)',
            # No condition: the INNER join still drops books without an author.
            BOOK + TO_AUTHOR,
            # Not unique: the join repeats books, once per matching row.
            AUTHOR + TO_BOOKS + 'WHERE "book"."pages" > 990',
            'SELECT "book"."id" FROM "book" INNER JOIN "author" ON ("book"."author_id" = "author"."id") '
            'WHERE "author"."name" = \'A\'',
            # LEFT join whose condition holds on its NULL row.
            BOOK + TO_EDITOR + 'WHERE T3."name" IS NULL',
            # Another join starts from it.
            BOOK + TO_AUTHOR + 'INNER JOIN "publisher" ON ("author"."publisher_id" = "publisher"."id") '
                   '/*+ UNIQUE(2) */ WHERE ("author"."name" = \'A\' AND "publisher"."x" = "author"."x")',
            # DISTINCT with aggregates: repeats change them.
            'SELECT DISTINCT COUNT(*) FROM "author" ' + TO_BOOKS + 'WHERE "book"."pages" > 990',
        ]:
            with self.subTest(sql=sql):
                self.assertKept(eliminate_joins, sql)


class ReorderJoinsTests(RuleTestCase):

    M2M = ('SELECT "book"."id" FROM "book" '
           'INNER JOIN "book_tags" ON ("book"."id" = "book_tags"."book_id") /*+ UNIQUE(1) */ '
           'INNER JOIN "tag" ON ("book_tags"."tag_id" = "tag"."id") /*+ UNIQUE(2) */ ')

    def test_start_where_every_join_finds_one_row(self):
        # Book.objects.filter(tags__name="t7"): from the link table both joins are lookups into primary keys.
        self.assertRewrites(
            reorder_joins, self.M2M + 'WHERE "tag"."name" = \'t7\'',
            'SELECT "book"."id" FROM "book_tags" '
            'INNER JOIN "book" ON ("book"."id" = "book_tags"."book_id") /*+ UNIQUE(1) */ '
            'INNER JOIN "tag" ON ("book_tags"."tag_id" = "tag"."id") /*+ UNIQUE(2) */ '
            'WHERE "tag"."name" = \'t7\'',
        )

    def test_reverse_foreign_key(self):
        # Author.objects.filter(book__title="x"): start from the book.
        self.assertRewrites(
            reorder_joins, AUTHOR + TO_BOOKS + 'WHERE "book"."title" = \'x\'',
            AUTHOR.replace('FROM "author"', 'FROM "book"')
            + 'INNER JOIN "author" ON ("author"."id" = "book"."author_id") /*+ UNIQUE(1) */ '
              'WHERE "book"."title" = \'x\'',
        )

    def test_orders_that_stay(self):
        for sql in [
            # FROM is already such a table.
            BOOK + TO_AUTHOR + 'WHERE "author"."name" = \'A\'',
            # No condition on another table: the joins do not filter.
            self.M2M + 'WHERE "book"."id" > 1',
            self.M2M,
            # A LEFT join.
            AUTHOR + TO_BOOKS_LEFT + 'WHERE "book"."title" = \'x\'',
            # No hints: nothing is known to be unique.
            'SELECT "author"."id" FROM "author" INNER JOIN "book" ON ("author"."id" = "book"."author_id") '
            'WHERE "book"."title" = \'x\'',
        ]:
            with self.subTest(sql=sql):
                self.assertKept(reorder_joins, sql)


class ReduceJoinsTests(RuleTestCase):
    """The added conditions are marked implied, and their subqueries read at most KEYS_LIMIT rows."""

    def assertReduces(self, sql, expected_sql):
        """``sql`` gains the conditions of ``expected_sql`` whose subqueries say LIMIT 10000."""
        self.assertEqual(KEYS_LIMIT, 10_000)
        self.assertEqual(reduce_joins(parse(sql)), implied(parse(expected_sql)))

    def test_condition_on_a_joined_table(self):
        self.assertReduces(
            'SELECT "book"."id", "author"."name" FROM "book" ' + TO_AUTHOR + 'WHERE "author"."country" = \'NO\'',
            'SELECT "book"."id", "author"."name" FROM "book" ' + TO_AUTHOR + 'WHERE ("author"."country" = \'NO\' '
            'AND "book"."author_id" IN (SELECT "author"."id" FROM "author" WHERE "author"."country" = \'NO\' '
            'LIMIT 10000))',
        )

    def test_or_across_tables(self):
        # The admin's search over title and author__name.
        where = 'WHERE ("book"."title" ILIKE \'%z%\' OR "author"."name" ILIKE \'%z%\')'
        self.assertReduces(
            BOOK + TO_AUTHOR + where,
            BOOK + TO_AUTHOR + 'WHERE (("book"."title" ILIKE \'%z%\' OR "author"."name" ILIKE \'%z%\') AND '
            '("book"."title" ILIKE \'%z%\' OR "book"."author_id" IN '
            '(SELECT "author"."id" FROM "author" WHERE "author"."name" ILIKE \'%z%\' LIMIT 10000)))',
        )

    def test_through_a_chain(self):
        chain = (BOOK + TO_AUTHOR + 'INNER JOIN "publisher" ON ("author"."publisher_id" = "publisher"."id") ')
        self.assertReduces(
            chain + 'WHERE "publisher"."name" = \'P\'',
            chain + 'WHERE ("publisher"."name" = \'P\' AND "book"."author_id" IN (SELECT "author"."id" FROM "author" '
                    'WHERE "author"."publisher_id" IN (SELECT "publisher"."id" FROM "publisher" '
                    'WHERE "publisher"."name" = \'P\' LIMIT 10000) LIMIT 10000))',
        )

    def test_a_reduction_that_finds_too_many_keys_matches_every_row(self):
        sql = 'SELECT "book"."id", "author"."name" FROM "book" ' + TO_AUTHOR + 'WHERE "author"."country" = %s'
        command = get_plan(sql).commands[0]
        prerun = command.pipeline[0]["$match"]["author_id"]
        self.assertEqual(prerun.resolve([(1,), (2,), (2,), (None,)]), {"$in": [1, 2]})
        self.assertEqual(prerun.resolve([(n,) for n in range(KEYS_LIMIT)]), {"$nin": []})

    def test_left_join_only_when_its_null_row_fails(self):
        sql = 'SELECT "book"."id", T3."name" FROM "book" ' + TO_EDITOR
        rewritten = reduce_joins(parse(sql + 'WHERE T3."name" = \'Bob\''))
        self.assertIsInstance(rewritten.where.items[1], t.InSubquery)
        for where in ['T3."name" IS NULL', '(T3."name" = \'Bob\' OR T3."name" IS NULL)', 'NOT (T3."name" IN (SELECT "x"."n" FROM "x"))']:
            with self.subTest(where=where):
                self.assertKept(reduce_joins, sql + 'WHERE ' + where)

    def test_conditions_that_stay(self):
        for where in [
            # Already on the FROM table.
            '"book"."pages" > 1',
            # Reads two joined... or the FROM table and another table in one comparison.
            '"book"."pages" = "author"."age"',
            # Reads a statement around this one.
            '"author"."name" = "outer"."name"',
        ]:
            with self.subTest(where=where):
                self.assertKept(reduce_joins, BOOK + TO_AUTHOR + 'WHERE ' + where)


class RejectsNullsTests(unittest.TestCase):

    def test_forms(self):
        for condition, expected in [
            ('T3."a" = 1', True), ('NOT (T3."a" = 1)', True), ('T3."a" IS NOT NULL', True),
            ('T3."a" IS NULL', False), ('NOT (T3."a" IS NULL)', True), ('T3."a" LIKE \'x%\'', True),
            ('T3."a" IN (1, 2)', True), ('T3."a" NOT IN (1, 2)', True), ('T3."a" IN %s', True),
            ('T3."a" NOT IN %s', False), ('T3."a" IS TRUE', True), ('T3."a" IS NOT TRUE', False),
            ('T3."a"', True), ('(T3."a" = 1 OR T3."b" = 2)', True), ('(T3."a" = 1 OR "x"."b" = 2)', False),
            ('(T3."a" = 1 AND "x"."b" = 2)', True), ('COALESCE(T3."a", 0) = 0', False),
            ('T3."a" IN (SELECT "u"."a" FROM "u")', True), ('T3."a" NOT IN (SELECT "u"."a" FROM "u")', False),
            ('"x"."a" = 1', False),
        ]:
            with self.subTest(condition=condition):
                where = parse(f'SELECT "x"."id" FROM "x" WHERE {condition}').where
                self.assertIs(rejects_nulls(where, "T3"), expected)


class EagerAggregationTests(RuleTestCase):

    def test_group_by_a_joined_column(self):
        # Book.objects.values("author__country").annotate(n=Count("id"), p=Sum("pages"))
        self.assertRewrites(
            eager_aggregation,
            'SELECT "author"."country", COUNT("book"."id") AS "n", SUM("book"."pages") AS "p" FROM "book" '
            + TO_AUTHOR + 'WHERE ("book"."pages" > 1 AND "author"."name" <> \'x\') GROUP BY "author"."country" '
            'ORDER BY 2 DESC',
            'SELECT "author"."country", SUM(__partial."p0") AS "n", SUM(__partial."p1") AS "p" FROM '
            '(SELECT "book"."author_id" AS "k", COUNT("book"."id") AS "p0", SUM("book"."pages") AS "p1" FROM "book" '
            'WHERE "book"."pages" > 1 GROUP BY "book"."author_id") __partial '
            'INNER JOIN "author" ON (__partial."k" = "author"."id") /*+ UNIQUE(2) */ '
            'WHERE "author"."name" <> \'x\' GROUP BY "author"."country" ORDER BY 2 DESC',
        )

    def test_aggregates_in_having_and_order_by_are_finished_too(self):
        rewritten = eager_aggregation(parse(
            'SELECT "author"."country", MAX("book"."pages") FROM "book" ' + TO_AUTHOR
            + 'GROUP BY "author"."country" HAVING MIN("book"."pages") > 3 ORDER BY MAX("book"."pages")'
        ))
        self.assertEqual(rewritten.having, t.Comparison(">", t.Func("MIN", (t.Column("p1", "__partial"),)), t.Literal(3)))
        self.assertEqual(rewritten.order_by[0].expr, t.Func("MAX", (t.Column("p0", "__partial"),)))

    def test_what_stays(self):
        for sql in [
            # Grouped on the FROM table only: the join does not group, nothing to gain.
            'SELECT "book"."pages", COUNT(*) FROM "book" ' + TO_AUTHOR + 'GROUP BY "book"."pages"',
            # An aggregate that cannot be finished from partial ones.
            'SELECT "author"."country", AVG("book"."pages") FROM "book" ' + TO_AUTHOR + 'GROUP BY "author"."country"',
            'SELECT "author"."country", COUNT(DISTINCT "book"."pages") FROM "book" ' + TO_AUTHOR
            + 'GROUP BY "author"."country"',
            # An aggregate of the joined table.
            'SELECT "author"."country", COUNT("author"."id") FROM "book" ' + TO_AUTHOR + 'GROUP BY "author"."country"',
            # A FROM column outside the aggregates.
            'SELECT "author"."country", "book"."title", COUNT(*) FROM "book" ' + TO_AUTHOR
            + 'GROUP BY "author"."country", "book"."title"',
            # A condition reading both tables.
            'SELECT "author"."country", COUNT(*) FROM "book" ' + TO_AUTHOR
            + 'WHERE "book"."x" = "author"."x" GROUP BY "author"."country"',
            # A LEFT join.
            'SELECT T3."country", COUNT(*) FROM "book" ' + TO_EDITOR + 'GROUP BY T3."country"',
            # A correlated subquery: its outer condition would move inside.
            'SELECT "author"."country", COUNT(*) FROM "book" ' + TO_AUTHOR
            + 'WHERE "book"."x" = "outer"."x" GROUP BY "author"."country"',
        ]:
            with self.subTest(sql=sql):
                self.assertKept(eager_aggregation, sql)


class GroupChildrenFirstTests(RuleTestCase):

    COUNTED = ('SELECT "author"."id", "author"."name", COUNT("book"."id") AS "n" FROM "author" ' + TO_BOOKS_LEFT)

    def test_annotate_count_ordered_by_it(self):
        # Author.objects.annotate(n=Count("book")).order_by("-n")[:5]
        keyed = group_children_first(parse(
            self.COUNTED + 'GROUP BY "author"."id", "author"."name" ORDER BY 3 DESC LIMIT 5'))
        self.assertEqual(keyed, t.KeyedJoin(
            outer=parse('SELECT "author"."id", "author"."name", NULL AS "n" FROM "author"'),
            inner=parse('SELECT "book"."author_id" AS "__key", COUNT("book"."id") AS "a0" FROM "book" '
                        'GROUP BY "book"."author_id"'),
            key=0, fills=((2, 1, t.Literal(0)),), width=3, by_keys=False,
            order=((2, True, None),), limit=t.Literal(5),
        ))

    def test_parents_filtered_and_ordered_on_their_own_columns(self):
        keyed = group_children_first(parse(
            'SELECT "author"."name", COUNT(*) AS "n", SUM("book"."pages") AS "p" FROM "author" ' + TO_BOOKS_LEFT
            + 'WHERE "author"."name" LIKE \'A%\' GROUP BY "author"."id", "author"."name" ORDER BY "author"."id" LIMIT 10'
        ))
        # The parents sort and slice on the server; the children are read for their keys only.
        self.assertEqual(keyed.outer, parse(
            'SELECT "author"."name", NULL AS "n", NULL AS "p", "author"."id" AS "__o0" '
            'FROM "author" WHERE "author"."name" LIKE \'A%\' ORDER BY "author"."id" LIMIT 10'))
        self.assertEqual(keyed.inner, with_keys(parse(
            'SELECT "book"."author_id" AS "__key", COUNT(*) AS "a0", SUM("book"."pages") AS "a1" FROM "book" '
            'GROUP BY "book"."author_id"'), t.Column("author_id", "book")))
        # COUNT(*) counts the NULL row LEFT JOIN adds for an author without books.
        self.assertEqual(keyed.fills, ((1, 1, t.Literal(1)), (2, 2, t.Literal(None))))
        # The hidden ORDER BY column is the key, too.
        self.assertEqual((keyed.key, keyed.width, keyed.by_keys, keyed.order, keyed.limit), (3, 3, True, (), None))

    def test_what_stays(self):
        for sql in [
            # Not a LEFT join, or the parent key not known to be unique.
            'SELECT "author"."id", COUNT("book"."id") FROM "author" ' + TO_BOOKS + 'GROUP BY "author"."id"',
            'SELECT "author"."id", COUNT("book"."id") FROM "author" LEFT OUTER JOIN "book" '
            'ON ("author"."id" = "book"."author_id") GROUP BY "author"."id"',
            # The parent key is not grouped on.
            self.COUNTED + 'GROUP BY "author"."name"',
            # HAVING, or an expression over an aggregate.
            self.COUNTED + 'GROUP BY "author"."id", "author"."name" HAVING COUNT("book"."id") > 1',
            'SELECT "author"."id", (COUNT("book"."id") + 1) AS "n" FROM "author" ' + TO_BOOKS_LEFT
            + 'GROUP BY "author"."id"',
            'SELECT "author"."id", COALESCE(SUM("book"."pages"), 0) AS "n" FROM "author" ' + TO_BOOKS_LEFT
            + 'GROUP BY "author"."id"',
            # A WHERE on the children.
            self.COUNTED + 'WHERE "book"."pages" > 1 GROUP BY "author"."id", "author"."name"',
            # An ORDER BY on something else.
            self.COUNTED + 'GROUP BY "author"."id", "author"."name" ORDER BY UPPER("author"."name")',
        ]:
            with self.subTest(sql=sql):
                self.assertKept(group_children_first, sql)


class AttachSubqueriesTests(RuleTestCase):

    LATEST = ('(SELECT U0."title" AS "title" FROM "book" U0 WHERE U0."author_id" = ("author"."id") '
              'ORDER BY U0."id" DESC LIMIT 1)')

    def test_first_row_per_key(self):
        keyed = attach_subqueries(parse(
            f'SELECT "author"."id", {self.LATEST} AS "latest" FROM "author" ORDER BY "author"."id" ASC LIMIT 50'))
        self.assertEqual(keyed.outer, parse(
            'SELECT "author"."id", NULL AS "latest", "author"."id" AS "__key" FROM "author" '
            'ORDER BY "author"."id" ASC LIMIT 50'))
        self.assertEqual(keyed.inner, with_keys(parse(
            'SELECT U0."author_id" AS "__key", U0."title" AS "title" FROM "book" U0 ORDER BY U0."id" DESC'),
            t.Column("author_id", "U0")))
        self.assertEqual((keyed.key, keyed.fills, keyed.width, keyed.by_keys, keyed.first_per_key),
                         (2, ((1, 1, t.Literal(None)),), 2, True, True))

    def test_ordered_by_position_in_the_subquery(self):
        # ORDER BY 1 names the subquery's own column, not the key put before it.
        keyed = attach_subqueries(parse(
            'SELECT "author"."id", (SELECT U0."title" AS "title" FROM "book" U0 WHERE U0."author_id" = ("author"."id") '
            'ORDER BY 1 DESC, "title" LIMIT 1) AS "latest" FROM "author"'))
        title = t.Column("title", "U0")
        self.assertEqual(keyed.inner.order_by, (t.OrderItem(title, descending=True), t.OrderItem(title)))

    def test_aggregate_of_no_rows(self):
        keyed = attach_subqueries(parse(
            'SELECT "author"."id", (SELECT COUNT(*) AS "c" FROM "book" U0 WHERE U0."author_id" = ("author"."id")) AS "n" '
            'FROM "author"'))
        self.assertEqual(keyed.inner, parse(
            'SELECT U0."author_id" AS "__key", COUNT(*) AS "c" FROM "book" U0 GROUP BY U0."author_id"'))
        # Unfiltered and unlimited: the subquery reads all its rows once; no books count 0.
        self.assertEqual((keyed.by_keys, keyed.fills, keyed.first_per_key), (False, ((1, 1, t.Literal(0)),), False))

    def test_already_grouped_by_the_key(self):
        keyed = attach_subqueries(parse(
            'SELECT "author"."id", (SELECT COUNT(*) AS "c" FROM "book" U0 WHERE U0."author_id" = ("author"."id") '
            'GROUP BY U0."author_id") AS "n" FROM "author" WHERE "author"."id" > 3'))
        self.assertEqual(keyed.fills, ((1, 1, t.Literal(None)),))
        self.assertTrue(keyed.by_keys)

    def test_ordered_by_the_subquery(self):
        keyed = attach_subqueries(parse(
            f'SELECT "author"."id", {self.LATEST} AS "latest" FROM "author" ORDER BY "latest" DESC LIMIT 3'))
        # All rows are joined, then sorted and sliced.
        self.assertEqual((keyed.outer.order_by, keyed.outer.limit), ((), None))
        self.assertEqual((keyed.order, keyed.limit), (((1, True, None),), t.Literal(3)))

    def test_what_stays(self):
        for sql in [
            # The value is filtered on, or the statement groups.
            f'SELECT "author"."id" FROM "author" WHERE {self.LATEST} = \'x\'',
            f'SELECT "author"."id", {self.LATEST} AS "l" FROM "author" WHERE {self.LATEST} = \'x\'',
            f'SELECT COUNT(*), {self.LATEST} FROM "author" GROUP BY 2',
            # Not the whole item.
            f'SELECT "author"."id", COALESCE({self.LATEST}, \'\') AS "l" FROM "author"',
            # Correlated otherwise, or more than one row per key.
            'SELECT "author"."id", (SELECT U0."title" FROM "book" U0 WHERE U0."pages" > ("author"."id") LIMIT 1) FROM "author"',
            'SELECT "author"."id", (SELECT U0."title" FROM "book" U0 WHERE U0."author_id" = ("author"."id")) FROM "author"',
            'SELECT "author"."id", (SELECT U0."title" FROM "book" U0 WHERE U0."author_id" = ("author"."id") '
            'ORDER BY U0."id" LIMIT 1 OFFSET 1) FROM "author"',
            'SELECT "author"."id", (SELECT SUM(U0."pages") + 1 FROM "book" U0 WHERE U0."author_id" = ("author"."id")) '
            'FROM "author"',
            # Uncorrelated.
            'SELECT "author"."id", (SELECT U0."title" FROM "book" U0 LIMIT 1) FROM "author"',
        ]:
            with self.subTest(sql=sql):
                self.assertKept(attach_subqueries, sql)


class OptimizeTests(RuleTestCase):

    def test_rules_reach_subqueries_and_writes(self):
        # A filter-only join inside an IN subquery of a DELETE.
        statement = optimize(parse(
            'DELETE FROM "book" WHERE "book"."id" IN (SELECT U0."id" FROM "book" U0 INNER JOIN "author" U1 '
            'ON (U0."author_id" = U1."id") /*+ UNIQUE(2) */ WHERE U1."name" = \'A\')'))
        inner = statement.where.select
        self.assertEqual(inner.joins, ())
        self.assertIsInstance(inner.where, t.InSubquery)

    def test_a_keyed_join_only_for_the_statement(self):
        subquery = parse('SELECT "t"."id" FROM "t" WHERE "t"."x" IN (SELECT "author"."id" FROM "author" '
                         + TO_BOOKS_LEFT + 'GROUP BY "author"."id")')
        self.assertIsInstance(optimize(subquery).where.select, t.Select)


class PlanTests(TranslationTestCase):
    """The optimizer and the translator together: SQL in, commands out."""

    def test_filter_only_join_is_a_find_with_the_keys_found_first(self):
        command = self.command(BOOK + TO_AUTHOR + 'WHERE "author"."name" = %s')
        self.assertEqual(command, Find(
            "book", filter={"author_id": PreRun(Find(
                "author", filter={"name": command.filter["author_id"].command.filter["name"]},
                projection={"_id": 0, "id": 1}, columns=("id",), names=("id",),
            ), "in")},
            projection={"_id": 0, "id": 1, "title": 1}, columns=("id", "title"), names=("id", "title"),
        ))

    def test_sort_and_limit_before_the_lookup(self):
        command = self.command(
            'SELECT "book"."id", T3."name" FROM "book" ' + TO_EDITOR + 'ORDER BY "book"."id" DESC LIMIT 50')
        stages = [next(iter(stage)) for stage in command.pipeline]
        # A LEFT join into a unique column keeps every row: slicing first is exact.
        self.assertEqual(stages, ["$sort", "$limit", "$lookup", "$addFields", "$unwind", "$project"])
        command = self.command(
            'SELECT "book"."id", "author"."name" FROM "book" ' + TO_AUTHOR + 'ORDER BY "book"."id" DESC LIMIT 50')
        stages = [next(iter(stage)) for stage in command.pipeline]
        # An INNER join may drop rows whose author is missing: the limit waits, and the pipeline streams.
        self.assertEqual(stages, ["$sort", "$match", "$lookup", "$unwind", "$limit", "$project"])

    def test_keyed_join_command(self):
        command = self.command(
            'SELECT "author"."id", COUNT("book"."id") AS "n" FROM "author" ' + TO_BOOKS_LEFT
            + 'GROUP BY "author"."id" ORDER BY 2 DESC LIMIT 5')
        self.assertIsInstance(command, KeyedJoin)
        self.assertIsInstance(command.outer, Find)
        self.assertEqual(command.inner.pipeline[0]["$group"]["_id"], {"$ifNull": ["$author_id", None]})
        self.assertEqual((command.fills, command.order, command.limit, command.names),
                         (((1, 1, 0),), ((1, True, None),), 5, ("id", "n")))

    def test_first_per_key_keeps_the_first_in_the_subquerys_order(self):
        command = self.command(
            f'SELECT "author"."id", {AttachSubqueriesTests.LATEST} AS "l" FROM "author" ORDER BY "author"."id" LIMIT 5')
        self.assertIsInstance(command.inner, Aggregate)
        self.assertEqual(command.inner.pipeline[-3:], [
            {"$project": {"_id": 0, "c0": "$author_id", "c1": "$title"}},
            {"$group": {"_id": "$c0", "c1": {"$first": "$c1"}}},
            {"$project": {"_id": 0, "c0": "$_id", "c1": 1}},
        ])
        self.assertEqual(command.inner.pipeline[1], {"$sort": {"id": -1}})
