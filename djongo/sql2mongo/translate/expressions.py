"""
Translate SQL value expressions into MongoDB aggregation expressions.

Parameters and literals are wrapped in ``$literal`` so that a string such as
``"$password"`` stays a string instead of becoming a field path
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/literal/).
"""
from djongo.exceptions import SQLDecodeError

from .. import tree
from . import dates, functions
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
        return FUNCTIONS[node.name](node, lambda arg: translate(arg, scope))
    if isinstance(node, tree.BinaryOp) and node.op in functions.OPERATORS:
        return functions.OPERATORS[node.op](node, lambda arg: translate(arg, scope))
    if isinstance(node, tree.Cast) and functions.cast is not None:
        return functions.cast(node, lambda arg: translate(arg, scope))
    raise SQLDecodeError(describe(node))


FUNCTIONS = {**functions.FUNCTIONS, **dates.FUNCTIONS}
DECODERS = {**functions.DECODERS, **dates.DECODERS}


def decoder(node):
    """Return the function that turns the value of ``node`` into its SQL result, or None."""
    if isinstance(node, tree.Func):
        return DECODERS.get(node.name)
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
