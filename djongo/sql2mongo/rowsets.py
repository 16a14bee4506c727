"""
Combine and order result rows the way MongoDB compares values.

A compound SELECT (UNION, INTERSECT, EXCEPT) runs each of its SELECTs as
its own command; the functions here merge their rows with SQL's set
semantics and sort the result in MongoDB's sort order, so that a compound
query orders rows exactly as a single query's ``$sort`` would.
"""
import collections
import datetime
import decimal
import math
import re
import uuid

from bson.decimal128 import Decimal128
from bson.objectid import ObjectId
from bson.regex import Regex
from bson.timestamp import Timestamp

# Ranks of the BSON types in MongoDB's comparison order; numbers of every
# width compare as one type, and so do strings
# (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
NULL, NUMBER, STRING, OBJECT, ARRAY, BINARY, OBJECT_ID, BOOLEAN, DATE, TIMESTAMP, REGEX = range(1, 12)


def combine(op, all_, row_lists):
    """
    Return the rows of ``op`` (UNION, INTERSECT or EXCEPT) over
    ``row_lists``, applied left to right; without ``all_`` the result
    holds each row once, in the order it first appears.
    """
    result = list(row_lists[0])
    for rows in row_lists[1:]:
        if op == "UNION":
            result.extend(rows)
        elif op == "INTERSECT":
            result = _matching(result, rows, all_, keep=True)
        elif op == "EXCEPT":
            result = _matching(result, rows, all_, keep=False)
        else:
            raise ValueError(f"unknown set operator {op!r}")
    return result if all_ else _distinct(result)


def _distinct(rows):
    seen = set()
    result = []
    for row in rows:
        key = row_key(row)
        if key not in seen:
            seen.add(key)
            result.append(row)
    return result


def _matching(left, right, all_, keep):
    """
    Return the rows of ``left`` that have (``keep``) or lack an equal row in
    ``right``; with ALL, each row of ``right`` matches one row of ``left``,
    so INTERSECT ALL keeps the lesser count and EXCEPT ALL subtracts counts.
    """
    unmatched = collections.Counter(row_key(row) for row in right)
    result = []
    for row in left:
        key = row_key(row)
        matched = unmatched[key] > 0
        if matched and all_:
            unmatched[key] -= 1
        if matched == keep:
            result.append(row)
    return result


def row_key(row):
    """Return a hashable key under which rows that SQL's DISTINCT treats as one are equal."""
    return tuple(value_key(value) for value in row)


def value_key(value):
    """
    Return a hashable key for ``value``: numbers of any type compare by
    value (Python hashes 1, 1.0 and Decimal(1) alike), and a boolean is
    never equal to a number, as in BSON.
    """
    rank = type_rank(value)
    if rank == NUMBER:
        return (NUMBER, _number(value))
    if rank == OBJECT:
        return (OBJECT, tuple((key, value_key(item)) for key, item in value.items()))
    if rank == ARRAY:
        return (ARRAY, tuple(value_key(item) for item in value))
    if rank == REGEX:
        return (REGEX, value.pattern, str(value.flags))
    return (rank, value)


def type_rank(value):
    """Return the rank of ``value``'s BSON type in MongoDB's comparison order."""
    if value is None:
        return NULL
    if isinstance(value, bool):  # before int: bool is an int in Python
        return BOOLEAN
    if isinstance(value, (int, float, decimal.Decimal, Decimal128)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, dict):
        return OBJECT
    if isinstance(value, (list, tuple)):
        return ARRAY
    if isinstance(value, (bytes, bytearray, memoryview, uuid.UUID)):  # a UUID is binary subtype 4
        return BINARY
    if isinstance(value, ObjectId):
        return OBJECT_ID
    if isinstance(value, datetime.datetime):
        return DATE
    if isinstance(value, Timestamp):
        return TIMESTAMP
    if isinstance(value, (Regex, re.Pattern)):
        return REGEX
    raise TypeError(f"cannot compare values of type {type(value).__name__}")


def _number(value):
    if isinstance(value, Decimal128):
        return value.to_decimal()
    return value


def sort_key(value):
    """Return a key that orders values as MongoDB's ``$sort`` does (null first, NaN below all numbers)."""
    rank = type_rank(value)
    if rank == NUMBER:
        number = _number(value)
        if isinstance(number, float) and math.isnan(number) or isinstance(number, decimal.Decimal) and number.is_nan():
            return (NUMBER, 0, 0)
        return (NUMBER, 1, number)
    if rank == OBJECT:
        return (OBJECT, tuple((key, sort_key(item)) for key, item in value.items()))
    if rank == ARRAY:
        return (ARRAY, tuple(sort_key(item) for item in value))
    if rank == BINARY:
        # BSON compares binary data by length first, then byte by byte.
        data = value.bytes if isinstance(value, uuid.UUID) else bytes(value)
        return (BINARY, len(data), data)
    if rank == NULL:
        return (NULL,)
    if rank == REGEX:
        return value_key(value)
    return (rank, value)


def order(rows, keys):
    """
    Sort ``rows`` in place by ``keys``, a sequence of (column index,
    descending, nulls) where nulls is "FIRST", "LAST" or None (MongoDB's
    default: nulls sort lowest).
    """
    # Stable sorts from the last key to the first sort by all keys at once.
    for index, descending, nulls in reversed(keys):
        nulls_first = (not descending) if nulls is None else nulls == "FIRST"
        # reverse=True puts the largest key first: nulls go first there
        # when their key is largest, and last when it is smallest.
        null_key = (1,) if nulls_first == descending else (-1,)
        rows.sort(
            key=lambda row: null_key if row[index] is None else (0, sort_key(row[index])),
            reverse=descending,
        )
    return rows
