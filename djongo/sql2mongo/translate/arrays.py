"""
Translate the functions djongo's own fields write for array columns.

- ``ARRAY_HOLDS(array, key)``: whether the column ``array`` (an
  ArrayReferenceField's array of keys) holds ``key``, another column. A
  query filter (``{"authors": 5}``) and ``$lookup``'s localField match an
  array by its elements already
  (https://www.mongodb.com/docs/manual/tutorial/query-arrays/), but a
  correlated subquery compares two columns inside ``$expr``, where ``$eq``
  compares whole values; ArrayReferenceField writes this function there.
"""
from djongo.exceptions import SQLDecodeError

from .. import dialect

from .values import not_null


def holds(array, key):
    """Return the expression true when ``array`` holds ``key``: both are expressions, neither NULL."""
    # $in needs an array: a value stored before the field held arrays is compared whole.
    return {"$cond": [{"$isArray": array}, {"$in": [key, array]}, {"$eq": [array, key]}]}


def holds_args(node, compile):
    """Return the compiled (array, key) arguments of ARRAY_HOLDS ``node``."""
    if len(node.args) != 2:
        raise SQLDecodeError(f"ARRAY_HOLDS() with {len(node.args)} arguments")
    return tuple(compile(arg) for arg in node.args)


def array_holds(node, compile):
    """ARRAY_HOLDS(array, key) as a value: TRUE or FALSE, NULL when either is NULL."""
    array, key = holds_args(node, compile)
    return {"$cond": [{"$and": [not_null(array), not_null(key)]}, holds(array, key), None]}


def holds_filter(node, scope, negated, compile):
    """
    ARRAY_HOLDS(array, key) as the whole condition, the filter form
    (predicates/truth.py): TRUE or FALSE only when both are not NULL,
    FALSE when ``negated``.
    """
    array, key = holds_args(node, compile)
    compared = holds(array, key)
    return {"$expr": {"$and": [
        {"$not": [compared]} if negated else compared,
        not_null(array),
        not_null(key),
    ]}}


FUNCTIONS = {
    dialect.ARRAY_HOLDS: array_holds,
}

# Condition functions whose query-filter form predicates/truth.py uses first.
FILTERS = {
    dialect.ARRAY_HOLDS: holds_filter,
}
