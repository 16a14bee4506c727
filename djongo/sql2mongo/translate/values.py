"""Turn SQL literals and parameters into query values."""
import re

from bson.regex import Regex

from djongo.exceptions import SQLDecodeError

from .. import tree
from ..commands import Slot, to_bson


def value(node, convert=None):
    """Return the query value of a Param or Literal node (a Slot for a Param)."""
    if isinstance(node, tree.Param):
        return Slot(node.index, convert)
    if isinstance(node, tree.Literal):
        literal = to_bson(node.value)
        return literal if convert is None else convert(literal)
    raise SQLDecodeError(f"{type(node).__name__} where a value is expected")


def is_value(node):
    return isinstance(node, (tree.Param, tree.Literal))


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
            parts.append(re.escape(next(chars, "\\")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
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
