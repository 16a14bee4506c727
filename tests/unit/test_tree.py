"""The tree API every rule and translator walks and rewrites trees with (sql2mongo/tree.py)."""
import pathlib
import re
import unittest

from djongo.sql2mongo import tree
from djongo.sql2mongo.parser import Parser

DJONGO = pathlib.Path(__file__).resolve().parents[2] / "djongo"


def where(sql):
    return Parser(sql).parse().where


class WalkTests(unittest.TestCase):

    def setUp(self):
        self.condition = where(
            'SELECT "a" FROM "t" WHERE "t"."a" = %s AND "t"."b" IN (SELECT U0."c" FROM "u" U0 WHERE U0."d" = %s)'
        )

    def test_walk_yields_parents_before_children_and_stays_out_of_subqueries(self):
        nodes = list(tree.walk(self.condition))
        self.assertIs(nodes[0], self.condition)
        self.assertEqual([item.name for item in nodes if isinstance(item, tree.Column)], ["a", "b"])
        self.assertEqual([type(item) for item in nodes if isinstance(item, tree.Select)], [tree.Select])

    def test_walk_into_subqueries(self):
        nodes = list(tree.walk(self.condition, into_selects=True))
        self.assertEqual([item.name for item in nodes if isinstance(item, tree.Column)], ["a", "b", "c", "d"])
        self.assertEqual([item.index for item in nodes if isinstance(item, tree.Param)], [0, 1])

    def test_children_are_nodes_only(self):
        comparison = self.condition.items[0]
        self.assertEqual(list(tree.children(comparison)), [comparison.left, comparison.right])
        self.assertEqual(list(tree.children(comparison.left)), [])  # a Column's table and name are text

    def test_walk_of_a_deep_tree_needs_no_recursion(self):
        deep = tree.Column("x")
        for _ in range(5000):
            deep = tree.Not(deep)
        self.assertEqual(sum(1 for _ in tree.walk(deep)), 5001)


class TransformTests(unittest.TestCase):

    def test_top_down_replacement_is_not_entered(self):
        condition = where('SELECT "a" FROM "t" WHERE NOT ("t"."a" = %s)')
        seen = []

        def replace(item):
            seen.append(type(item).__name__)
            return tree.Literal(True) if isinstance(item, tree.Comparison) else item

        self.assertEqual(tree.transform(condition, replace), tree.Not(tree.Literal(True)))
        self.assertEqual(seen, ["Not", "Comparison"])

    def test_unchanged_trees_stay_shared(self):
        condition = where('SELECT "a" FROM "t" WHERE "t"."a" = %s OR "t"."b" = %s')
        self.assertIs(tree.transform(condition, lambda item: item), condition)
        self.assertIs(tree.transform_up(condition, lambda item: item), condition)

    def test_subqueries_are_left_alone_unless_asked(self):
        condition = where('SELECT "a" FROM "t" WHERE "t"."b" IN (SELECT U0."c" FROM "u" U0)')

        def renamed(item):
            return tree.Column("z", item.table) if isinstance(item, tree.Column) else item

        outer_only = tree.transform(condition, renamed)
        self.assertEqual(outer_only.expr, tree.Column("z", "t"))
        self.assertIs(outer_only.select, condition.select)
        everywhere = tree.transform(condition, renamed, into_selects=True)
        self.assertEqual(everywhere.select.items[0].expr, tree.Column("z", "U0"))

    def test_bottom_up_sees_rewritten_children(self):
        condition = where('SELECT "a" FROM "t" WHERE NOT (NOT ("t"."a" = %s))')

        def fold(item):
            # NOT NOT x is x: the outer NOT meets its rewritten child.
            if isinstance(item, tree.Not) and isinstance(item.item, tree.Not):
                return item.item.item
            return item

        self.assertEqual(tree.transform_up(condition, fold), condition.item.item)


class OneTreeApiTests(unittest.TestCase):

    def test_no_module_walks_a_tree_by_hand(self):
        # Reading a node's fields is tree.py's job (children, walk,
        # map_children, transform); a module that does it itself is a
        # walker of its own, fixed separately when the tree changes.
        by_hand = re.compile(r"dataclasses\.fields\(|__dataclass_fields__")
        offenders = [
            str(path.relative_to(DJONGO)) for path in DJONGO.rglob("*.py")
            if path.name != "tree.py" and by_hand.search(path.read_text())
        ]
        self.assertEqual(offenders, [])
