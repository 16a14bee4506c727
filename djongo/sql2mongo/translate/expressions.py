"""
Translate SQL value expressions and conditions into MongoDB aggregation
expressions.

Parameters and literals are wrapped in ``$literal`` so that a string such as
``"$password"`` stays a string instead of becoming a field path
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/literal/).

A condition used as a value (in CASE WHEN, in SELECT, or in a WHERE that
needs computing) yields SQL's three truth values as true, false and null.
"""
from bson.decimal128 import Decimal128

from djongo.exceptions import SQLDecodeError

from .. import tree
from . import arrays, dates, functions, jsonfield, shared
from ..binding import Build
from .values import (
    case_insensitive_regex, is_null, is_value, like_expression, list_param, not_null, plain_regex, value,
    without_nulls,
)

# MongoDB's arithmetic operators return null when an operand is null or
# missing, which is SQL's NULL propagation.
ARITHMETIC = {"+": "$add", "-": "$subtract", "*": "$multiply", "%": "$mod"}  # and / below
COMPARISONS = {"=": "$eq", "<>": "$ne", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}

FUNCTIONS = {**functions.FUNCTIONS, **dates.FUNCTIONS, **jsonfield.FUNCTIONS, **arrays.FUNCTIONS}
DECODERS = jsonfield.DECODERS


def translate(node, scope):
    """Return the aggregation expression computing ``node``."""
    replaced = scope.replacement(node)
    if replaced is not None:
        return replaced
    kind = type(node)
    if kind is tree.Column:
        return scope.expression(node)
    if kind is tree.Param or kind is tree.Literal:
        return {"$literal": value(node)}
    compile_ = lambda arg: translate(arg, scope)  # noqa: E731
    if kind is tree.BinaryOp:
        if node.op in ARITHMETIC:
            return {ARITHMETIC[node.op]: [compile_(node.left), compile_(node.right)]}
        if node.op == "/":
            # Exact division, as MySQL does: SQL leaves integer division to
            # the database, and Django's tests accept either.
            return {"$divide": [compile_(node.left), compile_(node.right)]}
        if node.op in functions.OPERATORS:
            return shared.call(functions.OPERATORS[node.op], node, compile_)
    elif kind is tree.Negative:
        return {"$multiply": [-1, compile_(node.operand)]}
    elif kind is tree.Func and node.name in FUNCTIONS:
        return shared.call(FUNCTIONS[node.name], node, compile_)
    elif kind is tree.Cast and functions.cast is not None:
        return shared.call(functions.cast, node, compile_)
    elif kind is tree.Case:
        return _case(node, scope)
    elif kind is tree.Subquery:
        return scope.subqueries.scalar(node.select)
    elif kind in CONDITIONS:
        return condition(node, scope)
    raise SQLDecodeError(describe(node))


def output(node, scope):
    """Return the expression computing ``node`` as a selected column (which a decoder may finish)."""
    if isinstance(node, tree.Func) and node.name in jsonfield.OUTPUTS and scope.replacement(node) is None:
        return jsonfield.OUTPUTS[node.name](node, lambda arg: translate(arg, scope))
    if isinstance(node, tree.Cast) and node.type in functions.DECODED_CASTS and scope.replacement(node) is None:
        # MongoDB 4.4 cannot convert text to these types: the value is
        # selected as it is and converted as the row is read (decoder()).
        return translate(node.expr, scope)
    return translate(node, scope)


def _case(node, scope):
    """CASE as nested $cond: a WHEN that is FALSE or UNKNOWN falls through to the next."""
    result = translate(node.default, scope) if node.default is not None else None
    for when, then in reversed(node.whens):
        if node.operand is not None:
            when = tree.Comparison("=", node.operand, when)
        test = {"$eq": [condition(when, scope), True]}
        result = {"$cond": [test, translate(then, scope), result]}
    return result


# Conditions as expressions -------------------------------------------------

def condition(node, scope):
    """Return an expression yielding true, false or null (UNKNOWN) for condition ``node``."""
    try:
        translator = CONDITIONS[type(node)]
    except KeyError:
        raise SQLDecodeError(f"{type(node).__name__} used as a condition") from None
    return translator(node, scope)


def _unknown_if_null(operands, known):
    """Return ``known``, or null when any operand that may be NULL is."""
    nullable = [operand for operand in operands if _may_be_null(operand)]
    if not nullable:
        return known
    test = is_null(nullable[0]) if len(nullable) == 1 else {"$or": [is_null(o) for o in nullable]}
    return {"$cond": [test, None, known]}


def _may_be_null(expression):
    # A parameter is never NULL here: Django writes IS NULL for None.
    if isinstance(expression, dict) and list(expression) == ["$literal"]:
        return expression["$literal"] is None
    return True


def _comparison(node, scope):
    left, right = translate(node.left, scope), translate(node.right, scope)
    return _unknown_if_null([left, right], {COMPARISONS[node.op]: [left, right]})


def _and(node, scope):
    return _logical([condition(item, scope) for item in node.items], decisive=False)


def _or(node, scope):
    return _logical([condition(item, scope) for item in node.items], decisive=True)


def _logical(values, decisive):
    """
    Combine truth values with AND (``decisive`` False) or OR (True): one
    decisive value decides, else any UNKNOWN makes the result UNKNOWN.
    """
    # $or of $eq rather than $in over an array of expressions: the array
    # form is not evaluated by every server that speaks the protocol.
    return {"$cond": [
        _any_equal(values, decisive), decisive,
        {"$cond": [_any_equal(values, None), None, not decisive]},
    ]}


def _any_equal(values, constant):
    return {"$or": [{"$eq": [item, constant]} for item in values]}


def _not(node, scope):
    return _negate(condition(node.item, scope))


def _is_null(node, scope):
    expression = translate(node.expr, scope)
    return not_null(expression) if node.negated else is_null(expression)


def _is_boolean(node, scope):
    test = {"$eq": [translate(node.expr, scope), node.value]}
    return {"$not": [test]} if node.negated else test


def _is_true(node, scope):
    expression = translate(node.expr, scope)
    if isinstance(node.expr, tree.Func) and node.expr.name in jsonfield.PREDICATES:
        return expression
    # $and of one value is MongoDB's truthiness: false, 0 and null are false.
    return _unknown_if_null([expression], {"$and": [expression]})


def _between(node, scope):
    low = tree.Comparison(">=", node.expr, node.low)
    high = tree.Comparison("<=", node.expr, node.high)
    both = tree.And((low, high))
    return condition(tree.Not(both) if node.negated else both, scope)


def _in_list(node, scope):
    expression = translate(node.expr, scope)
    has_null = any(isinstance(item, tree.Literal) and item.value is None for item in node.items)
    items = [item for item in node.items if not (isinstance(item, tree.Literal) and item.value is None)]
    listed = list_param(node)
    if listed is not None:
        found = {"$in": [expression, {"$literal": value(listed, without_nulls)}]}
        # x IN (.., NULL) is UNKNOWN, not FALSE, when x is not in the rest.
        miss = value(listed, _miss_of_list)
    elif any(isinstance(item, tree.Param) for item in items) and all(is_value(item) for item in items):
        # A parameter may be NULL: the list is complete only when bound.
        parts = tuple(value(item) for item in node.items)
        found = {"$in": [expression, {"$literal": Build(_values_without_nulls, parts)}]}
        miss = Build(_miss_of_values, parts)
    elif all(isinstance(item, tree.Literal) for item in items):
        found = {"$in": [expression, {"$literal": [value(item) for item in items]}]}
        miss = None if has_null else False
    else:
        computed = [translate(item, scope) for item in items]
        found = {"$or": [{"$eq": [expression, item]} for item in computed]}
        # x IN (.., NULL) is TRUE when x is in the rest and UNKNOWN otherwise.
        nullable = [item for item in computed if _may_be_null(item)]
        if has_null:
            miss = None
        elif nullable:
            miss = {"$cond": [{"$or": [is_null(item) for item in nullable]}, None, False]}
        else:
            miss = False
    result = {"$cond": [found, True, miss]}
    result = _unknown_if_null([expression], result)
    return _negate(result) if node.negated else result


def _miss_of_list(values):
    return None if any(item is None for item in values) else False


def _values_without_nulls(*values):
    return without_nulls(values)


def _miss_of_values(*values):
    return _miss_of_list(values)


def _in_subquery(node, scope):
    if isinstance(node.expr, tree.Row):
        return _row_in_subquery(node, scope)
    expression = translate(node.expr, scope)
    values = scope.subqueries.values(node.select)
    # An empty subquery makes IN FALSE even for NULL; otherwise a NULL on
    # either side makes a miss UNKNOWN.
    result = {"$cond": [
        {"$eq": [{"$size": values}, 0]}, False,
        {"$cond": [is_null(expression), None,
                   {"$cond": [{"$in": [expression, values]}, True,
                              {"$cond": [{"$in": [None, values]}, None, False]}]}]},
    ]}
    return _negate(result) if node.negated else result


def _row_in_subquery(node, scope):
    """
    ``(a, b) [NOT] IN (SELECT x, y ...)`` with SQL's NULL rules: TRUE when
    a row equals the left one with no NULL on either side, FALSE when every
    row differs from it in a column where neither side is NULL (so always
    over no rows), else UNKNOWN. ``(a, b) = (SELECT ... LIMIT 1)`` reads a
    missing row as a row of NULLs.
    """
    items = [translate(item, scope) for item in node.expr.items]
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
    return _negate(result) if node.negated else result


def _exists(node, scope):
    return scope.subqueries.exists(node.select)


def _negate(value_):
    return {"$cond": [{"$eq": [value_, None]}, None, {"$not": [value_]}]}


def _like(node, scope):
    expression = translate(node.expr, scope)
    pattern = node.pattern
    if isinstance(pattern, tree.Literal):
        matched = like_expression(expression, pattern.value, node.insensitive)
    elif isinstance(pattern, tree.Param):
        # The expression's shape depends on the pattern: built when it is bound.
        matched = Build(like_expression, (expression, value(pattern), node.insensitive))
    else:
        matched = _computed_like(expression, pattern, node.insensitive, scope)
    result = _unknown_if_null([expression], matched)
    return _negate(result) if node.negated else result


def _regex(node, scope):
    """
    ``x [NOT] REGEXP|IREGEXP pattern`` on a computed ``x``: $regexMatch on
    x's text, as PostgreSQL matches ``x::text``. The pattern is bound as a
    BSON regular expression, never read as a field path or operator. A
    computed pattern (``name__regex=F("other")``, a subquery) is the text
    of an expression, which $regexMatch takes as its ``regex``; NULL there
    is UNKNOWN, as in SQL.
    https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/regexMatch/
    """
    expression = translate(node.expr, scope)
    if is_value(node.pattern):
        regex = value(node.pattern, case_insensitive_regex if node.insensitive else plain_regex)
        matched = {"$regexMatch": {"input": {"$toString": expression}, "regex": regex}}
        result = _unknown_if_null([expression], matched)
    else:
        pattern = translate(node.pattern, scope)
        matched = {"$regexMatch": {"input": {"$toString": expression}, "regex": {"$toString": pattern}}}
        if node.insensitive:
            matched["$regexMatch"]["options"] = "i"
        result = _unknown_if_null([expression, pattern], matched)
    return _negate(result) if node.negated else result


def _computed_like(expression, pattern, insensitive, scope):
    """
    LIKE against a column, as Django writes it for ``name__contains=F(...)``:
    ``'%' || LIKE_ESCAPE(x) || '%'`` and its prefix and suffix forms. The
    escaped value is matched literally, as a substring.
    """
    parts = _concatenated(pattern)
    leading = _is_percent(parts[0])
    trailing = len(parts) > 1 and _is_percent(parts[-1])
    core = parts[leading:len(parts) - trailing]
    if len(core) != 1 or not (isinstance(core[0], tree.Func) and core[0].name == "LIKE_ESCAPE"):
        raise SQLDecodeError("LIKE with a computed pattern")
    needle = raw_needle = translate(core[0].args[0], scope)
    haystack = expression
    if insensitive:
        # $toLower of null is "": test the raw value for NULL below.
        haystack, needle = {"$toLower": haystack}, {"$toLower": needle}
    position = {"$indexOfCP": [haystack, needle]}
    length = {"$strLenCP": haystack}
    needle_length = {"$strLenCP": needle}
    if leading and trailing:
        found = {"$gte": [position, 0]}
    elif trailing:
        found = {"$eq": [position, 0]}
    elif leading:
        tail = {"$substrCP": [haystack, {"$max": [0, {"$subtract": [length, needle_length]}]}, needle_length]}
        found = {"$and": [{"$gte": [length, needle_length]}, {"$eq": [tail, needle]}]}
    else:
        found = {"$eq": [haystack, needle]}
    return _unknown_if_null([raw_needle], found)


def _concatenated(node):
    if isinstance(node, tree.BinaryOp) and node.op == "||":
        return _concatenated(node.left) + _concatenated(node.right)
    return [node]


def _is_percent(node):
    return isinstance(node, tree.Literal) and node.value == "%"


CONDITIONS = {
    tree.Comparison: _comparison,
    tree.And: _and,
    tree.Or: _or,
    tree.Not: _not,
    tree.IsNull: _is_null,
    tree.IsBoolean: _is_boolean,
    tree.IsTrue: _is_true,
    tree.Between: _between,
    tree.InList: _in_list,
    tree.InSubquery: _in_subquery,
    tree.Exists: _exists,
    tree.Like: _like,
    tree.Regex: _regex,
}


def decoder(node):
    """Return the function that turns the value of ``node`` into its SQL result, or None."""
    if isinstance(node, (tree.BinaryOp, tree.Negative)):
        return _python_decimal
    if isinstance(node, tree.Func):
        return DECODERS.get(node.name)
    if isinstance(node, tree.Cast):
        return functions.DECODED_CASTS.get(node.type)
    return None


def _python_decimal(value):
    """
    Return a Decimal128 as Python's Decimal, as a DB-API driver returns a
    NUMERIC: arithmetic on a DecimalField yields a Decimal128, which a
    column without an output field (``extra(select={"half": "price * .5"})``)
    would otherwise hand to the user as it is.
    """
    return value.to_decimal() if type(value) is Decimal128 else value


def describe(node):
    """Name a construct for an error message."""
    if isinstance(node, tree.Func):
        return f"function {node.name}()"
    if isinstance(node, tree.BinaryOp):
        return f"operator {node.op}"
    if isinstance(node, tree.Row):
        return "row value (a, b) outside IN (SELECT ...) and = (SELECT ...)"
    return f"{type(node).__name__} expression"
