"""Turn SQL literals and parameters into query values."""
import datetime
import re
import uuid

from bson.decimal128 import Decimal128
from bson.int64 import Int64
from bson.objectid import ObjectId
from bson.regex import Regex

from djongo.exceptions import SQLDecodeError

from .. import tree
from ..binding import Slot
from ..bsonvalues import to_bson


def value(node, convert=None):
    """Return the query value of a Param, ListParam or Literal node (a Slot for a parameter)."""
    if isinstance(node, (tree.Param, tree.ListParam)):
        return Slot(node.index, convert)
    if isinstance(node, tree.Literal):
        literal = to_bson(node.value)
        return literal if convert is None else convert(literal)
    raise SQLDecodeError(f"{type(node).__name__} where a value is expected")


# Values a query filter may hold as they are, ``{field: value}``: for these
# that form means exactly ``{field: {$eq: value}}``. A document would be read
# as operators, a regular expression as a pattern and None would match a
# missing field, so everything else keeps ``$eq``
# (https://www.mongodb.com/docs/manual/reference/operator/query/eq/). The
# plain form is the one every MongoDB-compatible server serves from an index.
PLAIN_VALUE_TYPES = frozenset({
    int, float, str, bool, bytes, datetime.datetime, Decimal128, Int64, ObjectId, uuid.UUID,
})

def equal_to(bound):
    """
    Return the field condition of SQL's ``field = bound``: the plain value
    when that is exact, else ``$eq``; nothing matches NULL.
    """
    if type(bound) in PLAIN_VALUE_TYPES:
        return bound
    if bound is None:
        return {"$in": []}  # matches no document
    return {"$eq": bound}


def row_count(node):
    """Return LIMIT or OFFSET as an int or a Slot, or None when the clause is absent."""
    return None if node is None else value(node)


def is_null(expression):
    """Return an expression that is true when ``expression`` is null or missing."""
    return {"$eq": [{"$ifNull": [expression, None]}, None]}


def not_null(expression):
    """Return an expression that is true when ``expression`` is neither null nor missing."""
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


def is_value(node):
    return isinstance(node, (tree.Param, tree.Literal))


def list_param(node):
    """Return the ListParam of ``x IN %s`` when ``node`` (an InList) is one, else None."""
    if len(node.items) == 1 and isinstance(node.items[0], tree.ListParam):
        return node.items[0]
    return None


def without_nulls(values):
    """Return the values of a bound IN list, NULLs left out."""
    return [item for item in values if item is not None]


def _literal(char):
    """
    Return the regular expression matching ``char`` itself. A NUL is
    written as the escape ``\\x00``: BSON keeps a regular expression's
    pattern as a C string, which cannot hold the character itself, and
    PCRE reads the escape as that character
    (https://www.pcre.org/current/doc/html/pcre2pattern.html#SEC5).
    """
    return "\\x00" if char == "\x00" else re.escape(char)


def like_to_regex(pattern):
    """
    Return the regular expression matching what LIKE ``pattern`` matches.

    ``%`` is any run of characters, ``_`` one character, and a backslash
    makes the next character literal (the escaping Django's
    ``prep_for_like_query`` applies). Everything else is matched literally.
    """
    if not isinstance(pattern, str):
        raise SQLDecodeError(f"LIKE pattern of type {type(pattern).__name__}")
    parts = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            parts.append(_literal(next(chars, "\\")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(_literal(char))
    # Anchors are dropped next to a leading or trailing % so that MongoDB can
    # use an index for prefix patterns
    # (https://www.mongodb.com/docs/manual/reference/operator/query/regex/#index-use).
    leading = bool(parts) and parts[0] == ".*"
    trailing = len(parts) > leading and parts[-1] == ".*"
    core = "".join(parts[leading:len(parts) - trailing])
    # \z, not $: in PCRE, $ also matches before a final newline.
    return ("" if leading else "^") + core + ("" if trailing else "\\z")


def like_regex(pattern):
    return Regex(like_to_regex(pattern), "s")


def ilike_regex(pattern):
    return Regex(like_to_regex(pattern), "is")


def plain_regex(pattern):
    if not isinstance(pattern, str):
        raise SQLDecodeError(f"regular expression of type {type(pattern).__name__}")
    return Regex(pattern, "")


def case_insensitive_regex(pattern):
    if not isinstance(pattern, str):
        raise SQLDecodeError(f"regular expression of type {type(pattern).__name__}")
    return Regex(pattern, "i")


def like_parts(pattern):
    """Split a LIKE pattern into literal strings and the wildcards "%" and "_" (as None and ...)."""
    parts, literal = [], []
    chars = iter(pattern)
    for char in chars:
        if char in "%_":
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(PERCENT if char == "%" else UNDERSCORE)
        else:
            literal.append(next(chars, "\\") if char == "\\" else char)
    if literal:
        parts.append("".join(literal))
    return parts


PERCENT, UNDERSCORE = object(), object()


def like_expression(subject, pattern, insensitive):
    """
    Return the aggregation expression for ``subject LIKE pattern`` (NULL
    handling aside). Patterns whose only wildcard is % (all that Django's
    lookups write) become substring tests with $indexOfCP and $substrCP,
    which every MongoDB since 3.4 evaluates; others use $regexMatch
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/regexMatch/).
    """
    if not isinstance(pattern, str):
        raise SQLDecodeError(f"LIKE pattern of type {type(pattern).__name__}")
    parts = like_parts(pattern.lower() if insensitive else pattern)
    if insensitive:
        subject = {"$toLower": subject}
    if UNDERSCORE in parts:
        return {"$regexMatch": {"input": subject, "regex": like_to_regex(pattern), "options": "is" if insensitive else "s"}}
    leading = bool(parts) and parts[0] is PERCENT
    trailing = len(parts) > leading and parts[-1] is PERCENT
    segments = [part for part in parts if part is not PERCENT]
    if not leading and not trailing and len(segments) <= 1:
        return {"$eq": [subject, segments[0] if segments else ""]}
    tests = []
    position = 0  # where the next segment may start: an int or an expression
    length = {"$strLenCP": subject}
    for index, segment in enumerate(segments):
        size = len(segment)
        literal = {"$literal": segment}
        if index == 0 and not leading:
            tests.append({"$eq": [{"$substrCP": [subject, 0, size]}, literal]})
            position = size
        elif index == len(segments) - 1 and not trailing:
            start = {"$subtract": [length, size]}
            tests.append({"$gte": [start, position]})
            tests.append({"$eq": [{"$substrCP": [subject, {"$max": [start, 0]}, size]}, literal]})
        else:
            found = {"$indexOfCP": [subject, literal, position]}
            tests.append({"$gte": [found, 0]})
            position = {"$add": [found, size]}
    if not tests:
        return {"$gte": [length, 0]}  # "%" matches every string
    return tests[0] if len(tests) == 1 else {"$and": tests}
