"""``x [NOT] LIKE pattern`` (ILIKE) and ``x [NOT] REGEXP pattern`` (IREGEXP)."""
from djongo.exceptions import SQLDecodeError

from ... import dialect, tree
from ...binding import Build
from .. import uuid_text
from ..values import case_insensitive_regex, ilike_regex, is_value, like_regex, plain_regex, value
from ..values import like_expression as like_match
from .common import expr_filter, negated_if, path_form, unknown_if_null


def like_filter(node, scope, negated, parts):
    """Return the filter for ``x [NOT] LIKE pattern``: a regular expression on the field."""
    if _is_uuid_text(node.expr, scope) and is_value(node.pattern):
        return _uuid_like(node, scope, negated)
    if not path_form(scope, node.expr, node.pattern):
        return expr_filter(node, scope, negated, parts)
    regex = value(node.pattern, ilike_regex if node.insensitive else like_regex)
    return _regex_filter(scope.path(node.expr), regex, node.negated != negated)


def like_expression(node, scope, parts):
    """Return the expression for ``x [NOT] LIKE pattern``."""
    expression = parts.value(node.expr, scope)
    pattern = node.pattern
    if isinstance(pattern, tree.Literal):
        matched = like_match(expression, pattern.value, node.insensitive)
    elif isinstance(pattern, tree.Param):
        # The expression's shape depends on the pattern: built when it is bound.
        matched = Build(like_match, (expression, value(pattern), node.insensitive))
    else:
        matched = _computed_like(expression, pattern, node.insensitive, scope, parts)
    return negated_if(node, unknown_if_null([expression], matched))


def _is_uuid_text(node, scope):
    """Is ``node`` ``UUID_TEXT(column)``, the text of a UUID column of this scope?"""
    return (isinstance(node, tree.Func) and node.name == dialect.UUID_TEXT and len(node.args) == 1
            and path_form(scope, node.args[0]))


def _uuid_like(node, scope, negated):
    """
    ``UUID_TEXT(col) [NOT] LIKE pattern``: bit tests on the stored binary
    (uuid_text.py), built when the pattern is bound. Negated, a NULL
    matches neither way.
    """
    path = scope.path(node.expr.args[0])
    clauses = Build(uuid_text.like_clauses, (path, value(node.pattern), node.insensitive))
    if node.negated != negated:
        return {"$and": [{path: {"$ne": None}}, {"$nor": clauses}]}
    return {"$or": clauses}


def _regex_filter(path, regex, negated):
    """Match ``path`` against ``regex``; negated, a NULL never matches either way."""
    if negated:
        return {path: {"$not": regex, "$ne": None}}
    # A regex as the value is MongoDB's { <field>: /pattern/<options> } form
    # (https://www.mongodb.com/docs/manual/reference/operator/query/regex/#syntax).
    return {path: regex}


def _computed_like(expression, pattern, insensitive, scope, parts):
    """
    LIKE against a column, as Django writes it for ``name__contains=F(...)``:
    ``'%' || LIKE_ESCAPE(x) || '%'`` and its prefix and suffix forms. The
    escaped value is matched literally, as a substring.
    """
    pieces = _concatenated(pattern)
    leading = _is_percent(pieces[0])
    trailing = len(pieces) > 1 and _is_percent(pieces[-1])
    core = pieces[leading:len(pieces) - trailing]
    if len(core) != 1 or not (isinstance(core[0], tree.Func) and core[0].name == "LIKE_ESCAPE"):
        raise SQLDecodeError("LIKE with a computed pattern")
    needle = raw_needle = parts.value(core[0].args[0], scope)
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
    return unknown_if_null([raw_needle], found)


def _concatenated(node):
    if isinstance(node, tree.BinaryOp) and node.op == "||":
        return _concatenated(node.left) + _concatenated(node.right)
    return [node]


def _is_percent(node):
    return isinstance(node, tree.Literal) and node.value == "%"


def regex_filter(node, scope, negated, parts):
    """Return the filter for ``x [NOT] REGEXP pattern``: the pattern on the field."""
    if not path_form(scope, node.expr, node.pattern):
        return expr_filter(node, scope, negated, parts)
    # The lookup's own value is the regular expression: Django's regex and
    # iregex lookups hand the user's pattern to the database.
    regex = value(node.pattern, case_insensitive_regex if node.insensitive else plain_regex)
    return _regex_filter(scope.path(node.expr), regex, node.negated != negated)


def regex_expression(node, scope, parts):
    """
    Return the expression for ``x [NOT] REGEXP|IREGEXP pattern``:
    $regexMatch on x's text, as PostgreSQL matches ``x::text``. The pattern
    is bound as a BSON regular expression, never read as a field path or
    operator. A computed pattern (``name__regex=F("other")``, a subquery)
    is the text of an expression, which $regexMatch takes as its
    ``regex``; NULL there is UNKNOWN, as in SQL.
    https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/regexMatch/
    """
    expression = parts.value(node.expr, scope)
    if is_value(node.pattern):
        regex = value(node.pattern, case_insensitive_regex if node.insensitive else plain_regex)
        matched = {"$regexMatch": {"input": {"$toString": expression}, "regex": regex}}
        result = unknown_if_null([expression], matched)
    else:
        pattern = parts.value(node.pattern, scope)
        matched = {"$regexMatch": {"input": {"$toString": expression}, "regex": {"$toString": pattern}}}
        if node.insensitive:
            matched["$regexMatch"]["options"] = "i"
        result = unknown_if_null([expression, pattern], matched)
    return negated_if(node, result)
