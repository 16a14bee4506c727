"""``x IS [NOT] NULL``, ``x IS [NOT] TRUE|FALSE`` and a value as the whole condition (``WHERE x``)."""
from ... import tree
from .. import arrays, jsonfield
from ..values import is_null, not_null
from .common import MATCH_NONE, constant, expr_filter, path_form, unknown_if_null


def is_null_filter(node, scope, negated, parts):
    """Return the filter for ``x IS [NOT] NULL``, which is never UNKNOWN."""
    if not path_form(scope, node.expr):
        return expr_filter(node, scope, negated, parts)
    path = scope.path(node.expr)
    # {field: null} matches both null and missing fields
    # (https://www.mongodb.com/docs/manual/tutorial/query-for-null-fields/).
    if node.negated != negated:
        return {path: {"$ne": None}}
    return {path: None}


def is_null_expression(node, scope, parts):
    """Return the expression for ``x IS [NOT] NULL``: a missing field is NULL."""
    expression = parts.value(node.expr, scope)
    return not_null(expression) if node.negated else is_null(expression)


def is_boolean_filter(node, scope, negated, parts):
    """``x IS [NOT] TRUE|FALSE`` is never UNKNOWN: a NULL x is simply not TRUE."""
    if not path_form(scope, node.expr):
        return expr_filter(node, scope, negated, parts)
    operator = "$ne" if node.negated != negated else "$eq"
    return {scope.path(node.expr): {operator: node.value}}


def is_boolean_expression(node, scope, parts):
    """Return the expression for ``x IS [NOT] TRUE|FALSE``: a NULL x is simply not TRUE."""
    test = {"$eq": [parts.value(node.expr, scope), node.value]}
    return {"$not": [test]} if node.negated else test


# Functions with a filter of their own when they are the whole condition:
# node, scope, negated, compile -> filter, or None to translate the function
# as a value. Their expression forms are their FUNCTIONS, beside them.
FUNCTION_FILTERS = {**jsonfield.FILTERS, **arrays.FILTERS}


def is_true_filter(node, scope, negated, parts):
    """Return the filter for a value as the whole condition: a field, a constant, a function's own filter."""
    expr = node.expr
    if isinstance(expr, tree.Func) and expr.name in FUNCTION_FILTERS:
        found = FUNCTION_FILTERS[expr.name](expr, scope, negated, lambda arg: parts.value(arg, scope))
        if found is not None:
            return found
    if path_form(scope, expr):
        return {scope.path(expr): {"$eq": not negated}}
    if isinstance(expr, tree.Literal):
        if expr.value is None:
            return MATCH_NONE
        return constant(bool(expr.value), negated)
    return expr_filter(node, scope, negated, parts)


def is_true_expression(node, scope, parts):
    """Return the expression for a value as the whole condition: its truth value, NULL UNKNOWN."""
    expression = parts.value(node.expr, scope)
    if isinstance(node.expr, tree.Func) and node.expr.name in jsonfield.PREDICATES:
        return expression
    # $and of one value is MongoDB's truthiness: false, 0 and null are false.
    return unknown_if_null([expression], {"$and": [expression]})
