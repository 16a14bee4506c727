"""Facts of a tree that the optimizer and the translators share (sql2mongo/analysis.py)."""
import unittest

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo import analysis, tree
from djongo.sql2mongo.parser import Parser


def select(sql):
    return Parser(sql).parse()


class JoinEqualityTests(unittest.TestCase):

    def test_either_order_gives_the_other_tables_column_first(self):
        for on in ('"a"."id" = "b"."a_id"', '"b"."a_id" = "a"."id"'):
            with self.subTest(on=on):
                [join] = select(f'SELECT "a"."id" FROM "a" INNER JOIN "b" ON ({on})').joins
                self.assertEqual(analysis.join_equality(join), (tree.Column("id", "a"), tree.Column("a_id", "b")))

    def test_anything_else_is_none(self):
        for on in ('"a"."id" < "b"."a_id"', '"b"."x" = "b"."y"', '"a"."id" = %s',
                   '"a"."id" = "b"."a_id" AND "b"."x" = %s'):
            with self.subTest(on=on):
                [join] = select(f'SELECT "a"."id" FROM "a" INNER JOIN "b" ON ({on})').joins
                self.assertIsNone(analysis.join_equality(join))


class OrderPositionTests(unittest.TestCase):

    def setUp(self):
        self.query = select('SELECT "t"."a", "t"."b" AS "n" FROM "t" ORDER BY 2, "n", "t"."a"')

    def test_a_number_names_its_item(self):
        by_number, by_alias, by_column = (order.expr for order in self.query.order_by)
        self.assertEqual(analysis.order_position(by_number, 2), 1)
        self.assertIsNone(analysis.order_position(by_alias, 2))
        self.assertEqual(analysis.aliased_position(by_alias, self.query.items), 1)
        self.assertIsNone(analysis.aliased_position(by_column, self.query.items))

    def test_a_number_outside_the_list_is_refused(self):
        with self.assertRaisesRegex(SQLDecodeError, "ORDER BY position 3"):
            analysis.order_position(tree.Literal(3), 2)
        self.assertIsNone(analysis.order_position(tree.Literal(True), 2))
