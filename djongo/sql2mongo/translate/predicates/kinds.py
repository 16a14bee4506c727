"""Each kind of predicate and its two forms, the table translate/where.py and translate/expressions.py dispatch through."""
from typing import Callable, NamedTuple

from ... import tree
from . import comparison, logical, membership, patterns, truth


class Forms(NamedTuple):
    """The two translations of one kind of predicate."""

    # (node, scope, negated, parts) -> the filter for "node is TRUE" (FALSE when negated).
    filter: Callable
    # (node, scope, parts) -> the expression yielding true, false or null (UNKNOWN).
    expression: Callable


KINDS = {
    tree.Comparison: Forms(comparison.comparison_filter, comparison.comparison_expression),
    tree.And: Forms(logical.and_filter, logical.and_expression),
    tree.Or: Forms(logical.or_filter, logical.or_expression),
    tree.Not: Forms(logical.not_filter, logical.not_expression),
    tree.IsNull: Forms(truth.is_null_filter, truth.is_null_expression),
    tree.IsBoolean: Forms(truth.is_boolean_filter, truth.is_boolean_expression),
    tree.IsTrue: Forms(truth.is_true_filter, truth.is_true_expression),
    tree.Between: Forms(comparison.between_filter, comparison.between_expression),
    tree.InList: Forms(membership.in_list_filter, membership.in_list_expression),
    tree.InSubquery: Forms(membership.in_subquery_filter, membership.in_subquery_expression),
    tree.Exists: Forms(membership.exists_filter, membership.exists_expression),
    tree.Like: Forms(patterns.like_filter, patterns.like_expression),
    tree.Regex: Forms(patterns.regex_filter, patterns.regex_expression),
}
