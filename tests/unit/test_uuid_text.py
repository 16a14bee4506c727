"""Text lookups on a UUIDField as bit tests and ranges of the binary (translate/uuid_text.py)."""
import random
import unittest
import uuid

from bson.binary import Binary

from djongo.exceptions import DataError
from djongo.sql2mongo.binding import bind
from djongo.sql2mongo.translate.uuid_text import MATCH_NONE, like_clauses

from .base import TranslationTestCase


def matches(clause, value):
    """Evaluate a filter ``like_clauses`` returns against the UUID ``value``, as MongoDB documents its operators."""
    if clause == MATCH_NONE:
        return False
    (condition,) = clause.values()
    if isinstance(condition, uuid.UUID):
        return value == condition
    data = value.bytes
    for operator, operand in condition.items():
        if operator in ("$bitsAllSet", "$bitsAllClear"):
            # A BinData field and a BinData mask compare byte for byte.
            wanted = operand if operator == "$bitsAllSet" else bytes(16)
            if any(byte & mask != want & mask for byte, mask, want in zip(data, operand, wanted)):
                return False
        elif operator == "$gte" and not data >= operand.bytes:
            return False
        elif operator == "$lt" and not data < operand.bytes:
            return False
        elif operator == "$lte" and not data <= operand.bytes:
            return False
    return True


def like(text, pattern):
    """SQL's LIKE for the patterns Django writes, in Python."""
    import re
    regex = "".join(".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern)
    return re.fullmatch(regex, text, re.S) is not None


class LikeClausesTests(unittest.TestCase):

    def check(self, pattern, insensitive, values):
        clauses = like_clauses("uid", pattern, insensitive)
        for value in values:
            text = str(value)
            expected = like(text, pattern.lower() if insensitive else pattern)
            self.assertEqual(any(matches(clause, value) for clause in clauses), expected, (pattern, text))

    def test_matches_the_text_as_like_does(self):
        chooser = random.Random(7)
        values = [uuid.UUID(int=chooser.getrandbits(128)) for _ in range(40)]
        values += [uuid.UUID(int=0), uuid.UUID(int=(1 << 128) - 1)]
        for value in list(values[:20]):
            text = str(value)
            for start in range(0, 36, 5):
                for end in range(start, 37, 7):
                    piece = text[start:end]
                    for pattern in (piece, f"{piece}%", f"%{piece}", f"%{piece}%", f"%{piece[:3]}_{piece[4:]}%"):
                        with self.subTest(pattern=pattern):
                            self.check(pattern, False, values)
                            self.check(pattern.upper(), True, values)
                            self.check(pattern.upper(), False, values)

    def test_forms(self):
        full = "12345678-1234-5678-1234-567812345678"
        self.assertEqual(like_clauses("uid", full, False), [{"uid": uuid.UUID(full)}])
        self.assertEqual(like_clauses("uid", "1234%", False), [{"uid": {
            "$gte": uuid.UUID("12340000-0000-0000-0000-000000000000"),
            "$lt": uuid.UUID("12350000-0000-0000-0000-000000000000"),
        }}])
        self.assertEqual(like_clauses("uid", "ff%", False), [{"uid": {
            "$gte": uuid.UUID("ff000000-0000-0000-0000-000000000000"),
            "$lte": uuid.UUID("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        }}])
        self.assertEqual(like_clauses("uid", "%5678", False), [{"uid": {
            "$bitsAllSet": Binary(bytes(14) + b"\x56\x78"),
            "$bitsAllClear": Binary(bytes(14) + b"\xa9\x87"),
        }}])
        # A hyphen fixes where the value can be: "5678-1234" fits 4 places.
        self.assertEqual(len(like_clauses("uid", "%5678-1234%", False)), 4)

    def test_nothing_can_match(self):
        for pattern in ["", "1234", "%xyz%", "%ABCD%", "%1-23-4%", "0" * 37 + "%"]:
            with self.subTest(pattern=pattern):
                self.assertEqual(like_clauses("uid", pattern, False), [MATCH_NONE])

    def test_a_percent_inside_or_a_non_text_pattern_is_refused(self):
        with self.assertRaisesRegex(DataError, "a % between other characters"):
            like_clauses("uid", "12%34", False)
        with self.assertRaisesRegex(DataError, "LIKE pattern of type int"):
            like_clauses("uid", 12, False)


class TranslationTests(TranslationTestCase):

    def test_like_and_not_like(self):
        sql = 'SELECT "t"."id" FROM "t" WHERE UUID_TEXT("t"."uid") LIKE %s'
        self.assertEqual(bind(self.command(sql).filter, ["1234%"]), {"$or": like_clauses("uid", "1234%", False)})
        negated = 'SELECT "t"."id" FROM "t" WHERE NOT (UUID_TEXT("t"."uid") ILIKE %s)'
        # NULL LIKE x is UNKNOWN: NOT of it matches no NULL either.
        self.assertEqual(bind(self.command(negated).filter, ["%AB%"]), {"$and": [
            {"uid": {"$ne": None}}, {"$nor": like_clauses("uid", "%AB%", True)},
        ]})

    def test_a_regex_or_an_expression_is_refused(self):
        self.assertUnsupported('SELECT "t"."id" FROM "t" WHERE UUID_TEXT("t"."uid") REGEXP %s', "a UUID as text")
        self.assertUnsupported('SELECT UUID_TEXT("t"."uid") AS "u" FROM "t"', "a UUID as text")
