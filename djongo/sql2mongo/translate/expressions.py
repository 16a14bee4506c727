"""
Translate SQL value expressions and conditions into MongoDB aggregation
expressions.

Parameters and literals are wrapped in ``$literal`` so that a string such as
``"$password"`` stays a string instead of becoming a field path
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/literal/).

A condition used as a value (in CASE WHEN, in SELECT, or in a WHERE that
needs computing) yields SQL's three truth values as true, false and null:
each kind of predicate has its expression form beside its filter form in
translate/predicates/.
"""
from bson.decimal128 import Decimal128

from djongo.exceptions import SQLDecodeError

from .. import tree
from . import arrays, dates, functions, jsonfield, shared
from .predicates.common import Parts
from .predicates.kinds import KINDS
from .values import is_null, value

__all__ = ["condition", "decoder", "describe", "is_null", "output", "translate"]

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
    elif kind in KINDS:
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
        forms = KINDS[type(node)]
    except KeyError:
        raise SQLDecodeError(f"{type(node).__name__} used as a condition") from None
    return forms.expression(node, scope, PARTS)


# A condition's parts: its operands and the conditions within it, as expressions.
PARTS = Parts(translate, condition)


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
