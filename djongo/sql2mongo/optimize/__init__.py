"""
The planning stage: rewrite the query tree, between parsing and translation,
into one that returns the same rows at a cost that follows the size of the
answer rather than the size of the collections.

Each rule is one module with one public function that takes a SELECT and
returns it rewritten, or unchanged when it cannot show that the rewrite
keeps the answer. ``RULES`` apply to every SELECT, innermost subqueries
first; ``STATEMENT_RULES`` only to the statement itself, because their
result (a KeyedJoin) runs as a command of its own and cannot sit inside
another statement's pipeline. docs/how-it-works.md has a section per rule.
"""
import dataclasses

from .. import tree
from .attach_subqueries import attach_subqueries
from .cross_joins import cross_joins
from .decorrelate import decorrelate
from .eager_aggregation import eager_aggregation
from .eliminate_joins import eliminate_joins
from .group_children_first import group_children_first
from .in_lists import in_lists
from .reduce_joins import reduce_joins
from .reorder_joins import reorder_joins

RULES = (in_lists, cross_joins, decorrelate, eliminate_joins, reorder_joins, reduce_joins, eager_aggregation)
STATEMENT_RULES = (group_children_first, attach_subqueries)


def optimize(statement):
    """Return ``statement`` with every rule applied, innermost SELECTs first."""
    if isinstance(statement, (tree.Select, tree.Compound)):
        return _optimize_select(statement, STATEMENT_RULES)
    if isinstance(statement, (tree.Update, tree.Delete)):
        return map_selects(statement, _optimize_nested)
    if isinstance(statement, (tree.Explain, tree.ForUpdate)):
        return dataclasses.replace(statement, statement=optimize(statement.statement))
    return statement


def _optimize_nested(select):
    return _optimize_select(select, ())


def _optimize_select(select, statement_rules):
    if isinstance(select, tree.Compound):
        return dataclasses.replace(select, selects=tuple(_optimize_nested(part) for part in select.selects))
    select = map_selects(select, _optimize_nested)
    for rule in RULES + statement_rules:
        select = rule(select)
        if not isinstance(select, tree.Select):
            break
    return select


def map_selects(node, function):
    """Return ``node`` with each SELECT nested in it (not ``node`` itself) replaced by ``function(select)``."""
    def child(item):
        if isinstance(item, (tree.Select, tree.Compound)):
            return function(item)
        return map_selects(item, function)

    return tree.map_children(node, child)
