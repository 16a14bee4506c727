"""``x [NOT] IN (list)``, ``x [NOT] IN (SELECT ...)`` and ``EXISTS (SELECT ...)``."""
from ... import tree
from ...binding import Build, member, members
from ..values import is_null, is_value, list_param, not_null, value, without_nulls
from .common import MATCH_NONE, expr_filter, may_be_null, negated_if, path_form, unknown_if_null


def in_list_filter(node, scope, negated, parts):
    """Return the filter for ``x [NOT] IN (a, b, ...)`` or ``x [NOT] IN %s``."""
    listed = list_param(node)
    if listed is not None and path_form(scope, node.expr):
        # The list is known when the parameter is bound: NULL among its
        # values decides whether NOT IN can be TRUE at all.
        convert = _not_in_condition if node.negated != negated else _in_condition
        return {scope.path(node.expr): value(listed, convert)}
    if not path_form(scope, node.expr, *node.items):
        return expr_filter(node, scope, negated, parts)
    if any(isinstance(item, tree.Param) for item in node.items):
        # A parameter may be NULL: the list is complete only when bound,
        # and is then read as a list parameter's is.
        listed = Build(_not_in_values if node.negated != negated else _in_values,
                       tuple(value(item) for item in node.items))
        return {scope.path(node.expr): listed}
    # x IN (.., NULL) is TRUE when x is in the rest and UNKNOWN otherwise, so
    # it is never FALSE, and x NOT IN (.., NULL) is never TRUE.
    has_null = any(_is_null_literal(item) for item in node.items)
    values = [value(item, member) for item in node.items if not _is_null_literal(item)]
    path = scope.path(node.expr)
    if node.negated != negated:
        if has_null:
            return MATCH_NONE
        return {path: {"$nin": values + [None]}}
    if not values:
        return MATCH_NONE
    return {path: {"$in": values}}


def in_list_expression(node, scope, parts):
    """Return the expression for ``x [NOT] IN (a, b, ...)`` or ``x [NOT] IN %s``."""
    expression = parts.value(node.expr, scope)
    has_null = any(_is_null_literal(item) for item in node.items)
    items = [item for item in node.items if not _is_null_literal(item)]
    listed = list_param(node)
    if listed is not None:
        found = {"$in": [expression, {"$literal": value(listed, without_nulls)}]}
        # x IN (.., NULL) is UNKNOWN, not FALSE, when x is not in the rest.
        miss = value(listed, _miss_of_list)
    elif any(isinstance(item, tree.Param) for item in items) and all(is_value(item) for item in items):
        # A parameter may be NULL: the list is complete only when bound.
        bound = tuple(value(item) for item in node.items)
        found = {"$in": [expression, {"$literal": Build(_values_without_nulls, bound)}]}
        miss = Build(_miss_of_values, bound)
    elif all(isinstance(item, tree.Literal) for item in items):
        found = {"$in": [expression, {"$literal": [value(item) for item in items]}]}
        miss = None if has_null else False
    else:
        computed = [parts.value(item, scope) for item in items]
        found = {"$or": [{"$eq": [expression, item]} for item in computed]}
        # x IN (.., NULL) is TRUE when x is in the rest and UNKNOWN otherwise.
        nullable = [item for item in computed if may_be_null(item)]
        if has_null:
            miss = None
        elif nullable:
            miss = {"$cond": [{"$or": [is_null(item) for item in nullable]}, None, False]}
        else:
            miss = False
    result = {"$cond": [found, True, miss]}
    return negated_if(node, unknown_if_null([expression], result))


def _is_null_literal(node):
    return isinstance(node, tree.Literal) and node.value is None


# The IN lists bound when their parameters are: the filter's field condition
# and the expression's values and miss.

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


def _values_without_nulls(*values):
    return without_nulls(values)


def _miss_of_values(*values):
    return _miss_of_list(values)


def _miss_of_list(values):
    """The truth value of "x IN values" when x is not among them: UNKNOWN when NULL is."""
    return None if any(item is None for item in values) else False


def in_subquery_filter(node, scope, negated, parts):
    """Return the filter for ``x [NOT] IN (SELECT ...)`` and ``(a, b) [NOT] IN (SELECT ...)``."""
    if isinstance(node.expr, tree.Row):
        if node.negated == negated and all(path_form(scope, item) for item in node.expr.items):
            paths = [scope.path(item) for item in node.expr.items]
            filter_ = scope.subqueries.row_in_filter(node.select, paths)
            if filter_ is not None:
                return filter_
        return expr_filter(node, scope, negated, parts)
    if path_form(scope, node.expr):
        operator = scope.subqueries.in_operator(node.select, node.negated != negated, node.implied)
        if operator is not None:
            return {scope.path(node.expr): operator}
    return expr_filter(node, scope, negated, parts)


def in_subquery_expression(node, scope, parts):
    """Return the expression for ``x [NOT] IN (SELECT ...)`` and ``(a, b) [NOT] IN (SELECT ...)``."""
    if isinstance(node.expr, tree.Row):
        return _row_in_subquery(node, scope, parts)
    expression = parts.value(node.expr, scope)
    values = scope.subqueries.values(node.select)
    # An empty subquery makes IN FALSE even for NULL; otherwise a NULL on
    # either side makes a miss UNKNOWN.
    result = {"$cond": [
        {"$eq": [{"$size": values}, 0]}, False,
        {"$cond": [is_null(expression), None,
                   {"$cond": [{"$in": [expression, values]}, True,
                              {"$cond": [{"$in": [None, values]}, None, False]}]}]},
    ]}
    return negated_if(node, result)


def _row_in_subquery(node, scope, parts):
    """
    ``(a, b) [NOT] IN (SELECT x, y ...)`` with SQL's NULL rules: TRUE when
    a row equals the left one with no NULL on either side, FALSE when every
    row differs from it in a column where neither side is NULL (so always
    over no rows), else UNKNOWN. ``(a, b) = (SELECT ... LIMIT 1)`` reads a
    missing row as a row of NULLs.
    """
    items = [parts.value(item, scope) for item in node.expr.items]
    rows = scope.subqueries.rows(node.select)
    if node.scalar:
        # A row with no fields: each column reads as NULL.
        rows = {"$cond": [{"$eq": [{"$size": rows}, 0]}, {"$literal": [{}]}, rows]}
    # Each row scores 1 (equal), -1 (differs) or 0 (UNKNOWN); the best score decides.
    column = [f"$$row.c{i}" for i in range(len(items))]
    equal = {"$and": [{"$and": [not_null(item), {"$eq": [item, other]}]} for item, other in zip(items, column)]}
    differs = {"$or": [{"$and": [not_null(item), not_null(other), {"$ne": [item, other]}]}
                       for item, other in zip(items, column)]}
    scores = {"$map": {"input": rows, "as": "row", "in": {"$cond": [equal, 1, {"$cond": [differs, -1, 0]}]}}}
    best = {"$max": [{"$max": scores}, -1]}
    result = {"$arrayElemAt": [[False, None, True], {"$add": [best, 1]}]}
    return negated_if(node, result)


def exists_filter(node, scope, negated, parts):
    """Return the filter for ``EXISTS (SELECT ...)``, which is never UNKNOWN."""
    return scope.subqueries.exists_filter(node.select, negated)


def exists_expression(node, scope, parts):
    """Return the expression for ``EXISTS (SELECT ...)``."""
    return scope.subqueries.exists(node.select)
