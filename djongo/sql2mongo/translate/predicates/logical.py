"""AND, OR and NOT of conditions."""
from .common import and_filters, negate, or_filters


def and_filter(node, scope, negated, parts):
    """Return the filter for ``a AND b ...``."""
    items = [parts.filter(item, scope, negated) for item in node.items]
    # NOT (a AND b) is TRUE when a or b is FALSE.
    return or_filters(items) if negated else and_filters(items)


def and_expression(node, scope, parts):
    """Return the expression for ``a AND b ...``: FALSE if one is, else UNKNOWN if one is."""
    return _logical([parts.condition(item, scope) for item in node.items], decisive=False)


def or_filter(node, scope, negated, parts):
    """Return the filter for ``a OR b ...``."""
    items = [parts.filter(item, scope, negated) for item in node.items]
    return and_filters(items) if negated else or_filters(items)


def or_expression(node, scope, parts):
    """Return the expression for ``a OR b ...``: TRUE if one is, else UNKNOWN if one is."""
    return _logical([parts.condition(item, scope) for item in node.items], decisive=True)


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


def not_filter(node, scope, negated, parts):
    """Return the filter for ``NOT a``: a is FALSE."""
    return parts.filter(node.item, scope, not negated)


def not_expression(node, scope, parts):
    """Return the expression for ``NOT a``: UNKNOWN stays UNKNOWN."""
    return negate(parts.condition(node.item, scope))
