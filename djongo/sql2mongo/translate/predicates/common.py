"""
What the two forms of the predicates share: the rule for the filter form,
the combining of filters, SQL's NULL in expressions, and the tables of
comparison operators.
"""
from typing import Callable, NamedTuple, Optional

from ... import tree
from ..values import is_null, is_value

# Filters that match no document and every document.
MATCH_NONE = {"$expr": False}
MATCH_ALL = {}

FLIP = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
NEGATE = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
QUERY_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
EXPR_OPS = {"=": "$eq", "<>": "$ne", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


class Parts(NamedTuple):
    """
    The translators a predicate's forms call for its parts, given by the
    modules that dispatch to the forms (this package cannot import them:
    they import it).
    """
    # (node, scope) -> the aggregation expression of a value.
    value: Callable
    # (node, scope) -> a condition's expression form.
    condition: Callable
    # (node, scope, negated) -> a condition's filter form; where.py gives it.
    filter: Optional[Callable] = None


def path_form(scope, subject, *operands):
    """
    Return whether a predicate on ``subject`` can take the filter (path)
    form: ``subject`` is a column a query filter can name, a field of this
    scope's tables (an outer column is a $$variable, which only $expr
    reads) that no grouped value or window stands for, and each of
    ``operands`` is a parameter or literal. Anything else is computed by
    the expression form, inside ``$expr`` (expr_filter()).
    """
    return (isinstance(subject, tree.Column) and scope.is_local(subject) and scope.replacement(subject) is None
            and all(is_value(operand) for operand in operands))


def expr_filter(node, scope, negated, parts):
    """
    Match the rows where ``node`` is TRUE (FALSE when ``negated``) by
    computing its truth value with ``$expr``: the fallback for conditions on
    computed values, outer columns and correlated subqueries.
    """
    return {"$expr": {"$eq": [parts.condition(node, scope), not negated]}}


def and_filters(filters):
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


def or_filters(filters):
    """Combine filters with OR."""
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


def constant(truth, negated):
    """Return the filter of a condition whose truth value (None for UNKNOWN) is known now."""
    if truth is None:
        return MATCH_NONE
    return MATCH_ALL if truth != negated else MATCH_NONE


def unknown_if_null(operands, known):
    """Return ``known``, or null when any operand that may be NULL is."""
    nullable = [operand for operand in operands if may_be_null(operand)]
    if not nullable:
        return known
    test = is_null(nullable[0]) if len(nullable) == 1 else {"$or": [is_null(o) for o in nullable]}
    return {"$cond": [test, None, known]}


def may_be_null(expression):
    """Return whether the value of ``expression`` may be NULL."""
    # A parameter is never NULL here: Django writes IS NULL for None.
    if isinstance(expression, dict) and list(expression) == ["$literal"]:
        return expression["$literal"] is None
    return True


def negate(value_):
    """Return the expression of NOT ``value_``: NOT of UNKNOWN is UNKNOWN."""
    return {"$cond": [{"$eq": [value_, None]}, None, {"$not": [value_]}]}


def negated_if(node, result):
    """Return ``result``, negated when ``node`` is a NOT form (``NOT IN``, ``NOT LIKE``...)."""
    return negate(result) if node.negated else result
