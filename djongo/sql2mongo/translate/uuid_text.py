"""
Match a UUID column's text against a LIKE pattern: ``UUID_TEXT(col) LIKE %s``.

Django's text lookups on a UUIDField (``uid__icontains="5678-1234"``, also
iexact, contains, startswith, endswith and their i-forms) compare the
UUID's text, as PostgreSQL does with ``uid::text`` (DatabaseOperations.
lookup_cast writes ``UUID_TEXT(col)``). djongo stores UUIDs as BSON
binary, and MongoDB matches regular expressions against strings only, nor
can MongoDB 4.4 turn binary into text in an aggregation expression.

The text of a UUID has a fixed layout, though: 32 lowercase hexadecimal
digits with hyphens at positions 8, 13, 18 and 23. A pattern of Django's
shapes (``x``, ``x%``, ``%x``, ``%x%``, with ``_`` for any one character)
can only match at a few positions, and at each position it fixes some of
the 32 digits, that is some of the 128 bits. A pattern that fixes every
digit is an equality, one that fixes the first digits (startswith) a range
of the binary, both of which an index serves; any other placement
(contains, endswith) is a ``$bitsAllSet`` and ``$bitsAllClear`` test with
BinData masks, exactly those bits
(https://www.mongodb.com/docs/manual/reference/operator/query/bitsAllSet/:
a BinData field and a BinData mask are compared byte for byte), which no
index serves, as no index serves a regular expression without a prefix.
"""
import uuid

from bson.binary import Binary

from djongo.exceptions import DataError

from .values import PERCENT, UNDERSCORE, like_parts

LENGTH = 36
HYPHENS = frozenset({8, 13, 18, 23})
HEX_DIGITS = "0123456789abcdef"
MATCH_NONE = {"$expr": False}  # predicates.common.MATCH_NONE

# Text position -> index of the hexadecimal digit it shows.
_DIGIT_AT = {}
for _position in range(LENGTH):
    if _position not in HYPHENS:
        _DIGIT_AT[_position] = len(_DIGIT_AT)


def like_clauses(path, pattern, insensitive):
    """
    Return the filters, one per position the LIKE ``pattern`` can match
    at, of which a document whose UUID at ``path`` has a matching text
    matches one (a list never empty, as ``$or`` and ``$nor`` need).
    """
    if not isinstance(pattern, str):
        raise DataError(f"LIKE pattern of type {type(pattern).__name__} against a UUID")
    placements = []
    for fixed in _placements(pattern, insensitive):
        if fixed not in placements:
            placements.append(fixed)
    return [_clause(path, fixed) for fixed in placements] or [MATCH_NONE]


def _placements(pattern, insensitive):
    """
    Yield, for each position the pattern can match at, the digits it fixes
    there as {digit index: value}.
    """
    parts = like_parts(pattern.lower() if insensitive else pattern)
    leading = bool(parts) and parts[0] is PERCENT
    while parts and parts[0] is PERCENT:
        parts.pop(0)
    trailing = bool(parts) and parts[-1] is PERCENT
    while parts and parts[-1] is PERCENT:
        parts.pop()
    if any(part is PERCENT for part in parts):
        raise DataError(f"LIKE pattern {pattern!r} against a UUID: a % between other characters")
    segment = []  # one character or None (any one) per position
    for part in parts:
        segment.extend([None] if part is UNDERSCORE else part)
    room = LENGTH - len(segment)
    if room < 0:
        return
    if leading and trailing:
        offsets = range(room + 1)
    elif leading:
        offsets = (room,)
    elif trailing or room == 0:
        offsets = (0,)
    else:
        return  # shorter than a UUID's text, without wildcards
    for offset in offsets:
        fixed = _fixed_digits(segment, offset)
        if fixed is not None:
            yield fixed


def _fixed_digits(segment, offset):
    """Return {digit index: value} of ``segment`` placed at ``offset``, or None when it cannot match there."""
    fixed = {}
    for position, char in enumerate(segment, offset):
        if char is None:
            continue
        if position in HYPHENS:
            if char != "-":
                return None
        elif char in HEX_DIGITS:
            fixed[_DIGIT_AT[position]] = HEX_DIGITS.index(char)
        else:
            return None  # an uppercase digit (the text is lowercase), a hyphen elsewhere, any other character
    return fixed


def _clause(path, fixed):
    """
    Return the filter of the UUIDs at ``path`` whose digits hold ``fixed``:
    an equality when every digit is fixed, a range of the binary when the
    fixed digits are its first ones (BSON compares binaries of one length
    and subtype byte by byte:
    https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/),
    both of which an index serves; else bit tests.
    """
    count = len(fixed)
    if set(fixed) == set(range(count)):
        prefix = 0
        for index in range(count):
            prefix = prefix << 4 | fixed[index]
        unfixed = 4 * (32 - count)
        if count == 32:
            return {path: uuid.UUID(int=prefix)}
        low = uuid.UUID(int=prefix << unfixed)
        if prefix + 1 == 1 << (4 * count):  # all f: up to the last UUID
            return {path: {"$gte": low, "$lte": uuid.UUID(int=(1 << 128) - 1)}}
        return {path: {"$gte": low, "$lt": uuid.UUID(int=(prefix + 1) << unfixed)}}
    ones, zeros = bytearray(16), bytearray(16)
    for index, digit in fixed.items():
        shift = 4 if index % 2 == 0 else 0  # the first digit of a byte is its high half
        ones[index // 2] |= digit << shift
        zeros[index // 2] |= (~digit & 0xF) << shift
    return {path: {"$bitsAllSet": Binary(bytes(ones)), "$bitsAllClear": Binary(bytes(zeros))}}
