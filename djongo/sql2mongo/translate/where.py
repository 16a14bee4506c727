"""
Translate SQL conditions into MongoDB query filters.

SQL has three truth values: a comparison with NULL is UNKNOWN, and WHERE
keeps only rows where the condition is TRUE. ``NOT`` of UNKNOWN is still
UNKNOWN, so ``NOT (x = 5)`` must not match rows where x is NULL, which a
plain ``$ne`` would. Every condition is therefore translated in two ways:
the filter for "is TRUE" and the filter for "is FALSE", and NOT swaps them.

Filters first, ``$expr`` second: a condition whose left side is a column
and right side a constant or parameter becomes a query-language filter
(which can use indexes); only conditions that need computation fall back
to an aggregation expression inside ``$expr``.
"""
from djongo.exceptions import SQLDecodeError

from .. import dialect, tree
from ..binding import Build, member, members
from . import arrays, expressions, jsonfield, uuid_text
from .values import (
    case_insensitive_regex, equal_to, ilike_regex, is_value, like_regex, list_param, plain_regex, value, without_nulls,
)

# Filters that match no document and every document.
MATCH_NONE = {"$expr": False}
MATCH_ALL = {}

FLIP = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
NEGATE = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
QUERY_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
EXPR_OPS = {"=": "$eq", "<>": "$ne", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


def condition_filter(condition, scope):
    """Return the filter matching the rows where ``condition`` is TRUE."""
    return _filter(condition, scope, False)


def _filter(node, scope, negated):
    """Return the filter for "node is TRUE" (or "is FALSE" when ``negated``)."""
    try:
        translator = TRANSLATORS[type(node)]
    except KeyError:
        raise SQLDecodeError(f"{type(node).__name__} in a condition") from None
    return translator(node, scope, negated)


def _and(filters):
    """Combine filters with AND, merging disjoint field conditions into one document."""
    items = []
    for item in filters:
        if item == MATCH_NONE:
            return MATCH_NONE
        if item == MATCH_ALL:
            continue
        # A list built at bind time (a Build) stays one item.
        items.extend(item["$and"] if list(item) == ["$and"] and isinstance(item["$and"], list) else [item])
    if not items:
        return MATCH_ALL
    if len(items) == 1:
        return items[0]
    merged = {}
    for item in items:
        for key, condition in item.items():
            if key.startswith("$"):
                return {"$and": items}
            if key not in merged:
                merged[key] = condition
            elif _operators(merged[key]) and _operators(condition) and not set(merged[key]) & set(condition):
                # {f: {$ne: null}} and {f: {$in: [...]}} are {f: {$ne: null, $in: [...]}}:
                # each operator of a field condition must hold, as in $and.
                merged[key] = {**merged[key], **condition}
            else:
                return {"$and": items}
    return merged


def _operators(condition):
    """Is ``condition`` a document of query operators (not a value or a regular expression)?"""
    return isinstance(condition, dict) and bool(condition) and all(key.startswith("$") for key in condition)


def _or(filters):
    items = []
    for item in filters:
        if item == MATCH_ALL:
            return MATCH_ALL
        if item == MATCH_NONE:
            continue
        items.extend(item["$or"] if list(item) == ["$or"] and isinstance(item["$or"], list) else [item])
    if not items:
        return MATCH_NONE
    if len(items) == 1:
        return items[0]
    return {"$or": items}


def _and_node(node, scope, negated):
    parts = [_filter(item, scope, negated) for item in node.items]
    # NOT (a AND b) is TRUE when a or b is FALSE.
    return _or(parts) if negated else _and(parts)


def _or_node(node, scope, negated):
    parts = [_filter(item, scope, negated) for item in node.items]
    return _and(parts) if negated else _or(parts)


def _not_node(node, scope, negated):
    return _filter(node.item, scope, not negated)


def _expr_filter(node, scope, negated):
    """
    Match the rows where ``node`` is TRUE (FALSE when ``negated``) by
    computing its truth value with ``$expr``: the fallback for conditions on
    computed values, outer columns and correlated subqueries.
    """
    return {"$expr": {"$eq": [expressions.condition(node, scope), not negated]}}


def _local_column(node, scope):
    """Return whether ``node`` is a column a query filter can name (a field of this scope)."""
    return isinstance(node, tree.Column) and scope.is_local(node) and scope.replacement(node) is None


def _column_and_value(left, right, scope):
    """Return (column, value node, flipped) when one side is a column and the other a value."""
    if _local_column(left, scope) and is_value(right):
        return left, right, False
    if _local_column(right, scope) and is_value(left):
        return right, left, True
    return None, None, False


def _comparison(node, scope, negated):
    op = node.op
    column, operand, flipped = _column_and_value(node.left, node.right, scope)
    if column is None:
        if is_value(node.left) and is_value(node.right) and not _has_param(node):
            return _constant(_compare_literals(op, node.left.value, node.right.value), negated)
        return _expr_comparison(node, scope, negated)
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


def _has_param(node):
    return isinstance(node.left, tree.Param) or isinstance(node.right, tree.Param)


def _compare_literals(op, left, right):
    if left is None or right is None:
        return None
    return {
        "=": left == right, "<>": left != right, "<": left < right,
        "<=": left <= right, ">": left > right, ">=": left >= right,
    }[op]


def _constant(truth, negated):
    if truth is None:
        return MATCH_NONE
    return MATCH_ALL if truth != negated else MATCH_NONE


def _expr_comparison(node, scope, negated):
    """Compare two computed values with ``$expr``, keeping NULL comparisons UNKNOWN."""
    op = NEGATE[node.op] if negated else node.op
    left = expressions.translate(node.left, scope)
    right = expressions.translate(node.right, scope)
    return {"$expr": {"$and": [
        {EXPR_OPS[op]: [left, right]},
        expressions.not_null(left),
        expressions.not_null(right),
    ]}}


def _in_list(node, scope, negated):
    listed = list_param(node)
    if listed is not None and _local_column(node.expr, scope):
        # The list is known when the parameter is bound: NULL among its
        # values decides whether NOT IN can be TRUE at all.
        convert = _not_in_condition if node.negated != negated else _in_condition
        return {scope.path(node.expr): value(listed, convert)}
    if not _local_column(node.expr, scope) or not all(is_value(item) for item in node.items):
        return _expr_filter(node, scope, negated)
    if any(isinstance(item, tree.Param) for item in node.items):
        # A parameter may be NULL: the list is complete only when bound,
        # and is then read as a list parameter's is.
        listed = Build(_not_in_values if node.negated != negated else _in_values,
                       tuple(value(item) for item in node.items))
        return {scope.path(node.expr): listed}
    # x IN (.., NULL) is TRUE when x is in the rest and UNKNOWN otherwise, so
    # it is never FALSE, and x NOT IN (.., NULL) is never TRUE.
    has_null = any(isinstance(item, tree.Literal) and item.value is None for item in node.items)
    values = [value(item, member) for item in node.items if not (isinstance(item, tree.Literal) and item.value is None)]
    path = scope.path(node.expr)
    if node.negated != negated:
        if has_null:
            return MATCH_NONE
        return {path: {"$nin": values + [None]}}
    if not values:
        return MATCH_NONE
    return {path: {"$in": values}}


def _in_values(*values):
    return _in_condition(values)


def _not_in_values(*values):
    return _not_in_condition(values)


def _in_condition(values):
    """The field condition for "x IN values is TRUE": a NULL among the values never matches."""
    return {"$in": members(without_nulls(values))}


def _not_in_condition(values):
    """The field condition for "x NOT IN values is TRUE": never, when NULL is among the values."""
    if any(item is None for item in values):
        return {"$in": []}
    return {"$nin": [*members(values), None]}


def _in_subquery(node, scope, negated):
    if isinstance(node.expr, tree.Row):
        if node.negated == negated and all(_local_column(item, scope) for item in node.expr.items):
            paths = [scope.path(item) for item in node.expr.items]
            filter_ = scope.subqueries.row_in_filter(node.select, paths)
            if filter_ is not None:
                return filter_
        return _expr_filter(node, scope, negated)
    if _local_column(node.expr, scope):
        operator = scope.subqueries.in_operator(node.select, node.negated != negated, node.implied)
        if operator is not None:
            return {scope.path(node.expr): operator}
    return _expr_filter(node, scope, negated)


def _exists(node, scope, negated):
    return scope.subqueries.exists_filter(node.select, negated)


def _between(node, scope, negated):
    if not (_local_column(node.expr, scope) and is_value(node.low) and is_value(node.high)):
        return _expr_filter(node, scope, negated)
    path = scope.path(node.expr)
    low, high = value(node.low), value(node.high)
    if node.negated != negated:
        return _or([{path: {"$lt": low}}, {path: {"$gt": high}}])
    return {path: {"$gte": low, "$lte": high}}


def _like(node, scope, negated):
    if _is_uuid_text(node.expr, scope) and is_value(node.pattern):
        return _uuid_like(node, scope, negated)
    if not (_local_column(node.expr, scope) and is_value(node.pattern)):
        return _expr_filter(node, scope, negated)
    regex = value(node.pattern, ilike_regex if node.insensitive else like_regex)
    return _regex_filter(scope.path(node.expr), regex, node.negated != negated)


def _is_uuid_text(node, scope):
    """Is ``node`` ``UUID_TEXT(column)``, the text of a UUID column of this scope?"""
    return (isinstance(node, tree.Func) and node.name == dialect.UUID_TEXT and len(node.args) == 1
            and _local_column(node.args[0], scope))


def _uuid_like(node, scope, negated):
    """
    ``UUID_TEXT(col) [NOT] LIKE pattern``: bit tests on the stored binary
    (uuid_text.py), built when the pattern is bound. Negated, a NULL
    matches neither way.
    """
    path = scope.path(node.expr.args[0])
    clauses = Build(uuid_text.like_clauses, (path, value(node.pattern), node.insensitive))
    if node.negated != negated:
        return {"$and": [{path: {"$ne": None}}, {"$nor": clauses}]}
    return {"$or": clauses}


def _regex_filter(path, regex, negated):
    """Match ``path`` against ``regex``; negated, a NULL never matches either way."""
    if negated:
        return {path: {"$not": regex, "$ne": None}}
    # A regex as the value is MongoDB's { <field>: /pattern/<options> } form
    # (https://www.mongodb.com/docs/manual/reference/operator/query/regex/#syntax).
    return {path: regex}


def _regex(node, scope, negated):
    if not (_local_column(node.expr, scope) and is_value(node.pattern)):
        return _expr_filter(node, scope, negated)
    # The lookup's own value is the regular expression: Django's regex and
    # iregex lookups hand the user's pattern to the database.
    regex = value(node.pattern, case_insensitive_regex if node.insensitive else plain_regex)
    return _regex_filter(scope.path(node.expr), regex, node.negated != negated)


def _is_null(node, scope, negated):
    if not _local_column(node.expr, scope):
        return _expr_filter(node, scope, negated)
    path = scope.path(node.expr)
    # {field: null} matches both null and missing fields
    # (https://www.mongodb.com/docs/manual/tutorial/query-for-null-fields/).
    if node.negated != negated:
        return {path: {"$ne": None}}
    return {path: None}


def _is_boolean(node, scope, negated):
    """``x IS [NOT] TRUE|FALSE`` is never UNKNOWN: a NULL x is simply not TRUE."""
    if not _local_column(node.expr, scope):
        return _expr_filter(node, scope, negated)
    operator = "$ne" if node.negated != negated else "$eq"
    return {scope.path(node.expr): {operator: node.value}}


def _array_holds(node, scope, negated):
    """
    The filter for ``ARRAY_HOLDS(array, key)`` (see translate/arrays.py):
    TRUE or FALSE only when both are not NULL.
    """
    array, key = arrays.holds_args(node, lambda arg: expressions.translate(arg, scope))
    compared = arrays.holds(array, key)
    return {"$expr": {"$and": [
        {"$not": [compared]} if negated else compared,
        expressions.not_null(array),
        expressions.not_null(key),
    ]}}


# Functions with a filter of their own when they are the whole condition:
# node, scope, negated -> filter, or None to translate the function as a value.
FUNCTION_FILTERS = {**jsonfield.FILTERS, dialect.ARRAY_HOLDS: _array_holds}


def _is_true(node, scope, negated):
    expr = node.expr
    if isinstance(expr, tree.Func) and expr.name in FUNCTION_FILTERS:
        found = FUNCTION_FILTERS[expr.name](expr, scope, negated)
        if found is not None:
            return found
    if _local_column(expr, scope):
        return {scope.path(expr): {"$eq": not negated}}
    if isinstance(expr, tree.Literal):
        if expr.value is None:
            return MATCH_NONE
        return _constant(bool(expr.value), negated)
    return _expr_filter(node, scope, negated)


TRANSLATORS = {
    tree.And: _and_node,
    tree.Or: _or_node,
    tree.Not: _not_node,
    tree.Comparison: _comparison,
    tree.InList: _in_list,
    tree.Between: _between,
    tree.Like: _like,
    tree.IsNull: _is_null,
    tree.IsTrue: _is_true,
    tree.IsBoolean: _is_boolean,
    tree.InSubquery: _in_subquery,
    tree.Exists: _exists,
    tree.Regex: _regex,
}
