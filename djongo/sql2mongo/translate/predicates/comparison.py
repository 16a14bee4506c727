"""Comparisons (``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``) and BETWEEN."""
from ... import tree
from ...binding import member
from ..values import equal_to, is_value, not_null, value
from .common import (
    EXPR_OPS, FLIP, MATCH_NONE, NEGATE, QUERY_OPS, constant, expr_filter, or_filters, path_form, unknown_if_null,
)


def comparison_filter(node, scope, negated, parts):
    """Return the filter for ``a op b``: a field compared with a value, else computed."""
    op = node.op
    column, operand, flipped = _column_and_value(node.left, node.right, scope)
    if column is None:
        if is_value(node.left) and is_value(node.right) and not _has_param(node):
            return constant(_compare_literals(op, node.left.value, node.right.value), negated)
        return _expr_comparison(node, scope, negated, parts)
    if isinstance(operand, tree.Literal) and operand.value is None:
        return MATCH_NONE  # x = NULL is UNKNOWN, and so is its negation
    if flipped:
        op = FLIP[op]
    if negated:
        op = NEGATE[op]
    path = scope.path(column)
    if op == "=":
        return {path: value(operand, equal_to)}
    if op == "<>":
        # Not equal and not NULL: SQL's <> is UNKNOWN for a NULL column.
        return {path: {"$nin": [value(operand, member), None]}}
    return {path: {QUERY_OPS[op]: value(operand)}}


def comparison_expression(node, scope, parts):
    """Return the expression for ``a op b``: UNKNOWN when either is NULL."""
    left, right = parts.value(node.left, scope), parts.value(node.right, scope)
    return unknown_if_null([left, right], {EXPR_OPS[node.op]: [left, right]})


def _column_and_value(left, right, scope):
    """Return (column, value node, flipped) when one side is a column and the other a value."""
    if path_form(scope, left, right):
        return left, right, False
    if path_form(scope, right, left):
        return right, left, True
    return None, None, False


def _has_param(node):
    return isinstance(node.left, tree.Param) or isinstance(node.right, tree.Param)


def _compare_literals(op, left, right):
    if left is None or right is None:
        return None
    return {
        "=": left == right, "<>": left != right, "<": left < right,
        "<=": left <= right, ">": left > right, ">=": left >= right,
    }[op]


def _expr_comparison(node, scope, negated, parts):
    """Compare two computed values with ``$expr``, keeping NULL comparisons UNKNOWN."""
    op = NEGATE[node.op] if negated else node.op
    left = parts.value(node.left, scope)
    right = parts.value(node.right, scope)
    return {"$expr": {"$and": [
        {EXPR_OPS[op]: [left, right]},
        not_null(left),
        not_null(right),
    ]}}


def between_filter(node, scope, negated, parts):
    """Return the filter for ``x [NOT] BETWEEN low AND high``."""
    if not path_form(scope, node.expr, node.low, node.high):
        return expr_filter(node, scope, negated, parts)
    path = scope.path(node.expr)
    low, high = value(node.low), value(node.high)
    if node.negated != negated:
        return or_filters([{path: {"$lt": low}}, {path: {"$gt": high}}])
    return {path: {"$gte": low, "$lte": high}}


def between_expression(node, scope, parts):
    """Return the expression for ``x [NOT] BETWEEN low AND high``: ``x >= low AND x <= high``."""
    low = tree.Comparison(">=", node.expr, node.low)
    high = tree.Comparison("<=", node.expr, node.high)
    both = tree.And((low, high))
    return parts.condition(tree.Not(both) if node.negated else both, scope)
