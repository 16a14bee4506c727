"""
Translate SQL conditions into MongoDB query filters: each kind of predicate
has its filter form beside its expression form in translate/predicates/,
which says how SQL's three truth values become filters.

Filters first, ``$expr`` second: a condition whose left side is a column
and right side a constant or parameter becomes a query-language filter
(which can use indexes); only conditions that need computation fall back
to an aggregation expression inside ``$expr`` (predicates.common.path_form).
"""
from djongo.exceptions import SQLDecodeError

from . import expressions
from .predicates.common import MATCH_ALL, MATCH_NONE, Parts
from .predicates.kinds import KINDS

__all__ = ["MATCH_ALL", "MATCH_NONE", "condition_filter"]


def condition_filter(condition, scope):
    """Return the filter matching the rows where ``condition`` is TRUE."""
    return _filter(condition, scope, False)


def _filter(node, scope, negated):
    """Return the filter for "node is TRUE" (or "is FALSE" when ``negated``)."""
    try:
        forms = KINDS[type(node)]
    except KeyError:
        raise SQLDecodeError(f"{type(node).__name__} in a condition") from None
    return forms.filter(node, scope, negated, PARTS)


# A filter's parts: operands and fallbacks in expression form, conditions within it as filters.
PARTS = Parts(expressions.translate, expressions.condition, _filter)
