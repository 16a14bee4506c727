"""Literals, parameters and LIKE patterns as query values (translate/values.py, binding.bind)."""
import datetime
import decimal
import re
import uuid

from bson.decimal128 import Decimal128
from bson.objectid import ObjectId
from bson.regex import Regex

from djongo.exceptions import DataError, SQLDecodeError
from djongo.sql2mongo import tree
from djongo.sql2mongo.binding import Slot, bind
from djongo.sql2mongo.bsonvalues import JSON_NULL, to_bson
from djongo.sql2mongo.translate.values import ilike_regex, is_value, like_regex, like_to_regex, value

from .base import TranslationTestCase

SELECT = 'SELECT "app_author"."id" FROM "app_author" WHERE '


class LikeToRegexTests(TranslationTestCase):

    def test_patterns(self):
        for pattern, regex in [
            ("abc", "^abc\\z"),
            ("%abc%", "abc"),
            ("abc%", "^abc"),
            ("%abc", "abc\\z"),
            ("a_c", "^a.c\\z"),
            ("a%c", "^a.*c\\z"),
            ("%%", ""),
            ("", "^\\z"),
            # Backslash escapes: \% \_ and \\ are literal characters.
            ("100\\%", "^100%\\z"),
            ("%\\%%", "%"),
            ("a\\_b", "^a_b\\z"),
            ("a\\\\b", "^a\\\\b\\z"),
            ("\\%abc\\%", "^%abc%\\z"),
            # A backslash at the end escapes nothing and is itself literal.
            ("ab\\", "^ab\\\\\\z"),
            # Regex metacharacters of the value are escaped.
            ("a.b", "^a\\.b\\z"),
            ("a*", "^a\\*\\z"),
            ("(x)", "^\\(x\\)\\z"),
            ("[x]", "^\\[x\\]\\z"),
            ("$x^", "^\\$x\\^\\z"),
            ("x|y", "^x\\|y\\z"),
            ("x+?{2}", "^x\\+\\?\\{2\\}\\z"),
            ("é€", "^é€\\z"),
            # NUL, which a BSON regular expression cannot hold, is escaped.
            ("%a\x00b%", "a\\x00b"),
            ("\\\x00", "^\\x00\\z"),
        ]:
            with self.subTest(pattern=pattern):
                self.assertEqual(like_to_regex(pattern), regex)

    def test_like_is_dotall_and_ilike_also_case_insensitive(self):
        self.assertEqual(like_regex("a_"), Regex("^a.\\z", "s"))
        self.assertEqual(ilike_regex("a_"), Regex("^a.\\z", "is"))

    def test_non_string_pattern(self):
        with self.assertRaises(SQLDecodeError) as context:
            like_to_regex(5)
        self.assertIn("LIKE pattern of type int", str(context.exception))


class ValueTests(TranslationTestCase):

    def test_parameter_becomes_a_slot(self):
        self.assertEqual(value(tree.Param(3)), Slot(3))
        self.assertEqual(value(tree.Param(3), like_regex), Slot(3, like_regex))

    def test_literal_is_converted_now(self):
        self.assertEqual(value(tree.Literal("x")), "x")
        self.assertEqual(value(tree.Literal("x%"), like_regex), Regex("^x", "s"))

    def test_slots_compare_by_index_and_conversion(self):
        self.assertEqual(Slot(1, like_regex), Slot(1, like_regex))
        self.assertNotEqual(Slot(1, like_regex), Slot(1, ilike_regex))
        self.assertNotEqual(Slot(1), Slot(2))
        self.assertNotEqual(Slot(1), Slot(1, like_regex))

    def test_is_value(self):
        self.assertTrue(is_value(tree.Param(0)))
        self.assertTrue(is_value(tree.Literal(None)))
        self.assertFalse(is_value(tree.Column("a")))
        self.assertFalse(is_value(tree.BinaryOp("+", tree.Literal(1), tree.Literal(2))))

    def test_not_a_value(self):
        with self.assertRaises(SQLDecodeError):
            value(tree.Column("a"))


class BindTests(TranslationTestCase):

    def test_bind_fills_nested_slots_and_leaves_the_template_alone(self):
        template = {"$or": [{"a": {"$in": [Slot(0), Slot(1)]}}, {"b": Slot(2, like_regex)}], "c": 5}
        self.assertEqual(
            bind(template, (1, 2, "x%")),
            {"$or": [{"a": {"$in": [1, 2]}}, {"b": Regex("^x", "s")}], "c": 5},
        )
        self.assertEqual(template["$or"][0]["a"]["$in"], [Slot(0), Slot(1)])

    def test_parameters_become_bson_values(self):
        for param, stored in [
            (decimal.Decimal("1.50"), Decimal128("1.50")),
            (datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29)),
            (datetime.datetime(2024, 2, 29, 13, 5), datetime.datetime(2024, 2, 29, 13, 5)),
            (datetime.time(9, 30), "09:30:00.000000"),
            (memoryview(b"ab"), b"ab"),
            (bytearray(b"ab"), b"ab"),
            ((1, decimal.Decimal("2")), [1, Decimal128("2")]),
            ({"on": datetime.date(2024, 1, 2), "tags": [decimal.Decimal("3")]},
             {"on": datetime.datetime(2024, 1, 2), "tags": [Decimal128("3")]}),
            (uuid.UUID(int=1), uuid.UUID(int=1)),
            (None, None),
            # JSON null (a JSONField's JSONNull()): MongoDB's one null.
            (JSON_NULL, None),
            ([1, JSON_NULL], [1, None]),
        ]:
            with self.subTest(param=param):
                self.assertEqual(to_bson(param), stored)
                self.assertEqual(bind(Slot(0), (param,)), stored)

    def test_bound_dates_in_a_filter(self):
        self.assertBinds(
            SELECT + '"app_author"."born" BETWEEN %s AND %s',
            [datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)],
            {"born": {"$gte": datetime.datetime(2024, 1, 1), "$lte": datetime.datetime(2024, 12, 31)}},
        )

    def test_like_parameter_of_the_wrong_type(self):
        with self.assertRaises(SQLDecodeError):
            bind(Slot(0, like_regex), (5,))


class ParametersAreValuesTests(TranslationTestCase):
    """A parameter is only ever a value: it cannot become an operator, a field path or a regex."""

    def test_operator_document_in_an_equality_stays_a_value(self):
        self.assertBinds(SELECT + '"app_author"."name" = %s', [{"$ne": 1}], {"name": {"$eq": {"$ne": 1}}})

    def test_operator_document_in_not_equal_stays_a_value(self):
        self.assertBinds(SELECT + '"app_author"."name" <> %s', [{"$gt": ""}], {"name": {"$nin": [{"$gt": ""}, None]}})

    def test_operator_name_in_an_equality_stays_a_string(self):
        self.assertBinds(SELECT + '"app_author"."name" = %s', ["$where"], {"name": "$where"})

    def test_regular_expression_in_an_equality_stays_a_value(self):
        pattern = re.compile("^a")
        self.assertBinds(SELECT + '"app_author"."name" = %s', [pattern], {"name": {"$eq": pattern}})
        self.assertBinds(SELECT + '"app_author"."name" = %s', [Regex("^a")], {"name": {"$eq": Regex("^a")}})

    def test_plain_values_in_an_equality_are_the_field_value(self):
        # {field: value} is exactly {field: {$eq: value}} for these.
        for param in (5, 2.5, "x", True, b"x", ObjectId("0123456789abcdef01234567")):
            with self.subTest(param=param):
                self.assertBinds(SELECT + '"app_author"."name" = %s', [param], {"name": param})

    def test_regular_expression_in_an_in_list_or_not_equal_is_refused(self):
        # $in, $nin would match it as a pattern; $eq matches it as a value.
        for sql in ['"app_author"."name" IN %s', '"app_author"."name" NOT IN %s', '"app_author"."name" <> %s']:
            for pattern in (re.compile(".*"), Regex(".*")):
                with self.subTest(sql=sql, pattern=pattern), self.assertRaises(DataError):
                    params = [(pattern, "x")] if "IN" in sql else [pattern]
                    bind(self.command(SELECT + sql).filter, tuple(params))

    def test_array_and_null_in_an_equality(self):
        self.assertBinds(SELECT + '"app_author"."name" = %s', [[1, 2]], {"name": {"$eq": [1, 2]}})
        # x = NULL is never TRUE, and a plain None would match a missing field.
        self.assertBinds(SELECT + '"app_author"."name" = %s', [None], {"name": {"$in": []}})

    def test_operator_document_in_an_in_list_stays_a_value(self):
        self.assertBinds(
            SELECT + '"app_author"."name" IN (%s, %s)', [{"$regex": ".*"}, "$where"],
            {"name": {"$in": [{"$regex": ".*"}, "$where"]}},
        )

    def test_regex_in_a_like_parameter_is_escaped(self):
        self.assertBinds(SELECT + '"app_author"."name" LIKE %s', [".*"], {"name": Regex("^\\.\\*\\z", "s")})
        self.assertBinds(SELECT + '"app_author"."name" ILIKE %s', ["%.*%"], {"name": Regex("\\.\\*", "is")})
        self.assertBinds(
            SELECT + '"app_author"."name" LIKE %s', ["^(a|b)$"], {"name": Regex("^\\^\\(a\\|b\\)\\$\\z", "s")},
        )

    def test_operator_document_as_a_like_pattern_is_refused(self):
        plan = self.plan(SELECT + '"app_author"."name" LIKE %s')
        with self.assertRaises(SQLDecodeError):
            bind(plan.commands[0].filter, ({"$ne": None},))

    def test_dollar_string_in_an_expression_stays_a_literal(self):
        # In $expr a string starting with $ would be a field path: it is wrapped in $literal.
        added = {"$add": [{"$literal": "$password"}, "$id"]}
        self.assertBinds(
            SELECT + '"app_author"."age" = (%s + "app_author"."id")', ["$password"],
            {"$expr": {"$and": [
                {"$eq": ["$age", added]},
                {"$ne": [{"$ifNull": ["$age", None]}, None]},
                {"$ne": [{"$ifNull": [added, None]}, None]},
            ]}},
        )

    def test_dollar_string_as_a_selected_constant_stays_a_literal(self):
        sql = 'SELECT "t"."a", %s AS "v" FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id")'
        pipeline = self.plan(sql).commands[0].pipeline
        self.assertEqual(
            bind(pipeline[-1], ("$a",)),
            {"$project": {"_id": 0, "c0": "$a", "c1": {"$literal": "$a"}}},
        )

    def test_update_value_stays_a_value(self):
        self.assertBinds('UPDATE "t" SET "a" = %s', ["$b"], {"$set": {"a": "$b"}})

    def test_insert_value_stays_a_value(self):
        self.assertBinds('INSERT INTO "t" ("a") VALUES (%s)', [{"$ne": 1}], [[{"$ne": 1}]])
