"""
Translate SQL value expressions into MongoDB aggregation expressions.

Parameters and literals are wrapped in ``$literal`` so that a string such as
``"$password"`` stays a string instead of becoming a field path
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/literal/).
"""
import datetime

from djongo.exceptions import SQLDecodeError

from .. import tree
from .values import value

# MongoDB's arithmetic operators return null when an operand is null or
# missing, which is SQL's NULL propagation.
ARITHMETIC = {"+": "$add", "-": "$subtract", "*": "$multiply", "/": "$divide", "%": "$mod"}


def translate(node, scope):
    """Return the aggregation expression computing ``node``."""
    if isinstance(node, tree.Column):
        return "$" + scope.path(node)
    if isinstance(node, (tree.Param, tree.Literal)):
        return {"$literal": value(node)}
    if isinstance(node, tree.BinaryOp) and node.op in ARITHMETIC:
        return {ARITHMETIC[node.op]: [translate(node.left, scope), translate(node.right, scope)]}
    if isinstance(node, tree.Negative):
        return {"$multiply": [-1, translate(node.operand, scope)]}
    if isinstance(node, tree.Func) and node.name in FUNCTIONS:
        return FUNCTIONS[node.name](node, scope)
    raise SQLDecodeError(describe(node))


# $dateToString formats that keep a date's leading parts and zero the rest.
# The string sorts and groups like the truncated date; the executor parses
# it back (decoders below), as $dateFromParts is not needed for that.
TRUNC_FORMATS = {
    "year": "%Y-01-01T00:00:00",
    "month": "%Y-%m-01T00:00:00",
    "day": "%Y-%m-%dT00:00:00",
    "hour": "%Y-%m-%dT%H:00:00",
    "minute": "%Y-%m-%dT%H:%M:00",
    "second": "%Y-%m-%dT%H:%M:%S",
}


def _date_trunc(node, scope):
    """DATE_TRUNC('kind', date, 'zone' | NULL): the date's wall time in zone, truncated to kind."""
    if len(node.args) != 3 or not all(isinstance(arg, tree.Literal) for arg in (node.args[0], node.args[2])):
        raise SQLDecodeError("DATE_TRUNC other than DATE_TRUNC('kind', expression, 'zone' | NULL)")
    kind, zone = node.args[0].value, node.args[2].value
    if kind not in TRUNC_FORMATS:
        raise SQLDecodeError(f"DATE_TRUNC to {kind!r}")
    spec = {"format": TRUNC_FORMATS[kind], "date": translate(node.args[1], scope)}
    if zone is not None:
        spec["timezone"] = zone
    return {"$dateToString": spec}


FUNCTIONS = {
    "DATE_TRUNC": _date_trunc,
}


def parse_truncated_date(value):
    """Decode the string _date_trunc's expression yields into a naive datetime."""
    return None if value is None else datetime.datetime.fromisoformat(value)


def decoder(node):
    """Return the function that turns the value of ``node`` into its SQL result, or None."""
    if isinstance(node, tree.Func) and node.name == "DATE_TRUNC":
        return parse_truncated_date
    return None


def not_null(expression):
    """Return an expression that is true when ``expression`` is neither null nor missing."""
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


def describe(node):
    """Name a construct for an error message."""
    if isinstance(node, tree.Func):
        return f"function {node.name}()"
    if isinstance(node, tree.BinaryOp):
        return f"operator {node.op}"
    return f"{type(node).__name__} expression"
