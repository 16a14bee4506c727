"""SQL functions, operators and CAST (translate/functions.py)."""
import math
import uuid
from decimal import Decimal

from bson.decimal128 import Decimal128

from djongo.exceptions import DataError
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import Aggregate
from djongo.sql2mongo.translate import functions

from .base import TranslationTestCase

NAME = '"app_kitchen"."name"'
CODE = '"app_kitchen"."code"'
RATIO = '"app_kitchen"."ratio"'


def null_if_null(result, *paths):
    """The guard of a function that returns NULL when any of ``paths`` is null."""
    checks = [{"$eq": [{"$ifNull": [path, None]}, None]} for path in paths]
    return {"$cond": [checks[0] if len(checks) == 1 else {"$or": checks}, None, result]}


def to_multiple(value, step):
    """Rounding ``value`` to a multiple of ``step``, halves away from zero."""
    remainder = {"$mod": [value, step]}
    truncated = {"$subtract": [value, remainder]}
    return {"$cond": [
        {"$gte": [{"$multiply": [{"$abs": remainder}, 2]}, step]},
        {"$add": [truncated, {"$cond": [{"$lt": [value, 0]}, {"$multiply": [-1, step]}, step]}]},
        truncated,
    ]}


def rounded(x, precision, scale):
    """ROUND(x, precision) bound, where scale is 10 ** abs(precision)."""
    scale = {"$literal": scale}
    return {"$cond": [
        {"$gte": [{"$literal": precision}, 0]},
        {"$cond": [
            {"$eq": [{"$mod": [x, 1]}, 0]},
            x,  # a whole number is its own rounding
            {"$divide": [to_multiple({"$multiply": [x, scale]}, 1), scale]},
        ]},
        to_multiple(x, scale),
    ]}


class FunctionTestCase(TranslationTestCase):

    def expression(self, sql):
        """Return the aggregation expression of the select item ``sql``."""
        command = self.command(f'SELECT {sql} AS "v" FROM "app_kitchen"')
        return command.pipeline[0]["$project"]["c0"]

    def assertExpression(self, sql, expected):
        self.assertEqual(self.expression(sql), expected)

    def assertBoundExpression(self, sql, params, expected):
        """The expression of ``sql`` with ``params`` bound is ``expected``."""
        pipeline = self.command(f'SELECT {sql} AS "v" FROM "app_kitchen"').pipeline
        self.assertBinds(f'SELECT {sql} AS "v" FROM "app_kitchen"', params, [
            {**pipeline[0], "$project": {"_id": 0, "c0": expected}},
        ])


class SelectItemTests(FunctionTestCase):

    def test_function_as_a_select_item(self):
        # Author.objects.annotate(u=Upper("name")).values("u")
        self.assertTranslates('SELECT UPPER("app_author"."name") AS "u" FROM "app_author"', [Aggregate(
            "app_author",
            pipeline=[{"$project": {"_id": 0, "c0": null_if_null({"$toUpper": "$name"}, "$name")}}],
            columns=("c0",), names=("u",),
        )])

    def test_function_in_a_condition(self):
        # Kitchen.objects.annotate(n=Length("name")).filter(n=4)
        command = self.command(f'SELECT "app_kitchen"."id" FROM "app_kitchen" WHERE LENGTH({NAME}) = %s')
        self.assertIn(null_if_null({"$strLenCP": "$name"}, "$name"), command.filter["$expr"]["$and"][0]["$eq"])


class MathTests(FunctionTestCase):

    def test_operators_that_return_null_for_null(self):
        for function, operator in [
            ("ABS", "$abs"), ("ACOS", "$acos"), ("ASIN", "$asin"), ("ATAN", "$atan"), ("CEILING", "$ceil"),
            ("COS", "$cos"), ("EXP", "$exp"), ("FLOOR", "$floor"), ("LN", "$ln"), ("SIN", "$sin"),
            ("SQRT", "$sqrt"), ("TAN", "$tan"),
        ]:
            with self.subTest(function):
                self.assertExpression(f"{function}({RATIO})", {operator: "$ratio"})

    def test_two_argument_operators(self):
        self.assertExpression(f"ATAN2({RATIO}, %s)", {"$atan2": ["$ratio", {"$literal": Slot(0)}]})
        self.assertExpression(f"MOD({RATIO}, %s)", {"$mod": ["$ratio", {"$literal": Slot(0)}]})
        self.assertExpression(f"POWER({RATIO}, %s)", {"$pow": ["$ratio", {"$literal": Slot(0)}]})

    def test_power_connector(self):
        # F("ratio") ** 2, written by DatabaseOperations.combine_expression
        self.assertExpression(f"(POWER({RATIO}, %s))", {"$pow": ["$ratio", {"$literal": Slot(0)}]})

    def test_modulo_connector(self):
        # F("ratio") % 3
        self.assertExpression(f"({RATIO} %% %s)", {"$mod": ["$ratio", {"$literal": Slot(0)}]})

    def test_log_takes_the_base_first(self):
        # Log(2, "ratio"): the logarithm of ratio to base 2
        self.assertExpression(f"LOG(%s, {RATIO})", {"$divide": [{"$ln": "$ratio"}, {"$ln": {"$literal": Slot(0)}}]})

    def test_pi_and_random(self):
        self.assertExpression("PI()", {"$literal": math.pi})
        self.assertExpression("RANDOM()", {"$rand": {}})

    def test_degrees_radians_cot(self):
        self.assertExpression(f"DEGREES({RATIO})", null_if_null(
            {"$divide": [{"$multiply": ["$ratio", 180]}, math.pi]}, "$ratio"))
        self.assertExpression(f"RADIANS({RATIO})", null_if_null(
            {"$divide": [{"$multiply": ["$ratio", math.pi]}, 180]}, "$ratio"))
        self.assertExpression(f"COT({RATIO})", null_if_null({"$divide": [1, {"$tan": "$ratio"}]}, "$ratio"))

    def test_sign_keeps_the_type_and_null(self):
        self.assertExpression(f"SIGN({RATIO})", {"$add": [{"$cmp": ["$ratio", 0]}, {"$multiply": ["$ratio", 0]}]})

    def test_round_half_away_from_zero(self):
        # Round("ratio", 2): the precision is a parameter, its power of ten
        # computed exactly when the parameter is bound.
        for precision, scale in [(2, 100), (-2, 100), (0, 1), (None, None)]:
            with self.subTest(precision):
                self.assertBoundExpression(f"ROUND({RATIO}, %s)", [precision], rounded("$ratio", precision, scale))

    def test_round_with_a_column_precision(self):
        expression = self.expression(f'ROUND({RATIO}, "app_kitchen"."count")')
        self.assertEqual(expression["$cond"][0], {"$gte": ["$count", 0]})
        self.assertEqual(expression["$cond"][2]["$cond"][1]["$add"][1]["$cond"][2], {"$pow": [10, {"$abs": "$count"}]})

    def test_round_without_precision(self):
        self.assertEqual(self.expression(f"ROUND({RATIO})")["$cond"][0], {"$gte": [{"$literal": 0}, 0]})

    def test_bitwise_connectors_are_refused(self):
        # F("count").bitand(3)
        for function in ("BITAND", "BITOR", "BITXOR", "BITLEFTSHIFT", "BITRIGHTSHIFT"):
            with self.subTest(function):
                self.assertUnsupported(
                    f'SELECT ({function}("app_kitchen"."count", %s)) AS "v" FROM "app_kitchen"',
                    f"function {function}(): MongoDB 4.4 has no bitwise aggregation operators",
                )


class TextTests(FunctionTestCase):

    def test_upper_lower_length_return_null_for_null(self):
        # $toUpper and $toLower of null give "", $strLenCP of null fails.
        self.assertExpression(f"UPPER({NAME})", null_if_null({"$toUpper": "$name"}, "$name"))
        self.assertExpression(f"LOWER({NAME})", null_if_null({"$toLower": "$name"}, "$name"))
        self.assertExpression(f"LENGTH({NAME})", null_if_null({"$strLenCP": "$name"}, "$name"))

    def test_null_argument_is_null(self):
        self.assertExpression("UPPER(NULL)", {"$literal": None})

    def test_literal_arguments_need_no_guard(self):
        self.assertExpression("LENGTH('abc')", {"$strLenCP": {"$literal": "abc"}})

    def test_concat_reads_null_as_empty(self):
        # Concat("name", Value("-"), "code")
        self.assertExpression(f"CONCAT({NAME}, CONCAT(%s, {CODE}))", {"$concat": [
            {"$ifNull": [{"$toString": "$name"}, ""]},
            {"$ifNull": [{"$toString": {"$concat": [
                {"$ifNull": [{"$toString": {"$literal": Slot(0)}}, ""]},
                {"$ifNull": [{"$toString": "$code"}, ""]},
            ]}}, ""]},
        ]})

    def test_pipes_concatenate_with_null_propagation(self):
        self.assertExpression(f"{NAME} || '%%'", {"$concat": [{"$toString": "$name"}, {"$literal": "%"}]})

    def test_substring(self):
        # Substr("name", 2) and Substr("name", 2, 3)
        position = {"$subtract": [{"$literal": Slot(0)}, 1]}
        self.assertExpression(f"SUBSTRING({NAME}, %s)", null_if_null(
            {"$substrCP": ["$name", position, {"$strLenCP": "$name"}]}, "$name", {"$literal": Slot(0)}))
        self.assertExpression(f"SUBSTRING({NAME}, %s, %s)", null_if_null(
            {"$substrCP": ["$name", position, {"$literal": Slot(1)}]},
            "$name", {"$literal": Slot(0)}, {"$literal": Slot(1)}))

    def test_left_and_right(self):
        n = {"$literal": Slot(0)}
        self.assertExpression(f"LEFT({NAME}, %s)", null_if_null({"$substrCP": ["$name", 0, n]}, "$name", n))
        start = {"$max": [0, {"$subtract": [{"$strLenCP": "$name"}, n]}]}
        self.assertExpression(f"RIGHT({NAME}, %s)", null_if_null({"$substrCP": ["$name", start, n]}, "$name", n))

    def test_trim(self):
        for function, operator in [("TRIM", "$trim"), ("LTRIM", "$ltrim"), ("RTRIM", "$rtrim")]:
            with self.subTest(function):
                self.assertExpression(f"{function}({NAME})", null_if_null(
                    {operator: {"input": "$name", "chars": " "}}, "$name"))

    def test_instr_is_one_based(self):
        sub = {"$literal": Slot(0)}
        self.assertExpression(f"INSTR({NAME}, %s)", null_if_null(
            {"$add": [{"$indexOfCP": ["$name", sub]}, 1]}, "$name", sub))

    def test_repeat(self):
        n = {"$literal": Slot(0)}
        self.assertExpression(f"REPEAT({NAME}, %s)", null_if_null({"$reduce": {
            "input": {"$range": [0, n]}, "initialValue": "", "in": {"$concat": ["$$value", "$name"]},
        }}, "$name", n))

    def test_lpad_and_rpad(self):
        length, fill = {"$literal": Slot(0)}, {"$literal": Slot(1)}
        missing = {"$max": [0, {"$subtract": [length, {"$strLenCP": "$name"}]}]}
        padding = {"$substrCP": [{"$reduce": {
            "input": {"$range": [0, missing]}, "initialValue": "", "in": {"$concat": ["$$value", fill]},
        }}, 0, missing]}
        kept = {"$substrCP": ["$name", 0, length]}
        self.assertExpression(f"LPAD({NAME}, %s, %s)", null_if_null(
            {"$concat": [padding, kept]}, "$name", length, fill))
        self.assertExpression(f"RPAD({NAME}, %s, %s)", null_if_null(
            {"$concat": [kept, padding]}, "$name", length, fill))

    def test_replace(self):
        old, new = {"$literal": Slot(0)}, {"$literal": Slot(1)}
        self.assertExpression(f"REPLACE({NAME}, %s, %s)", null_if_null({"$cond": [
            {"$eq": [old, ""]},
            "$name",
            {"$reduce": {"input": {"$split": ["$name", old]}, "initialValue": None, "in": {"$cond": [
                {"$eq": ["$$value", None]}, "$$this", {"$concat": ["$$value", new, "$$this"]},
            ]}}},
        ]}, "$name", old, new))

    def test_reverse(self):
        self.assertExpression(f"REVERSE({NAME})", null_if_null({"$reduce": {
            "input": {"$range": [0, {"$strLenCP": "$name"}]},
            "initialValue": "",
            "in": {"$concat": [{"$substrCP": ["$name", "$$this", 1]}, "$$value"]},
        }}, "$name"))

    def test_chr_and_ascii_look_code_points_up(self):
        self.assertEqual(functions.CODE_POINTS.index("É") + 1, ord("É"))
        chr_ = self.expression('CHR("app_kitchen"."count")')["$cond"][2]
        self.assertEqual(chr_["$cond"][1], {"$substrCP": [functions.CODE_POINTS, {"$subtract": ["$count", 1]}, 1]})
        ascii_ = self.expression(f"ASCII({NAME})")["$cond"][2]
        self.assertEqual(ascii_["$cond"][:2], [{"$eq": ["$name", ""]}, 0])
        index = {"$indexOfCP": [functions.CODE_POINTS, {"$substrCP": ["$name", 0, 1]}]}
        self.assertEqual(ascii_["$cond"][2]["$cond"][:2], [{"$gte": [index, 0]}, {"$add": [index, 1]}])

    def test_code_points_beyond_the_table_fail_at_run_time(self):
        failure = self.expression(f"ASCII({NAME})")["$cond"][2]["$cond"][2]["$cond"][2]
        self.assertEqual(failure, {"$toInt": {"$concat": [
            "ASCII() supports code points 1 to 2047 only, not: ", {"$substrCP": ["$name", 0, 1]},
        ]}})

    def test_hashes_are_refused(self):
        for function in ("MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"):
            with self.subTest(function):
                self.assertUnsupported(
                    f'SELECT {function}({NAME}) AS "v" FROM "app_kitchen"',
                    f"function {function}(): MongoDB has no aggregation operator computing hashes",
                )


class ComparisonTests(FunctionTestCase):

    def test_coalesce_nests_two_argument_ifnull(self):
        self.assertExpression(f"COALESCE({CODE}, {NAME}, %s)", {"$ifNull": [
            "$code", {"$ifNull": ["$name", {"$literal": Slot(0)}]},
        ]})

    def test_nullif(self):
        self.assertExpression(f"NULLIF({NAME}, %s)", {"$cond": [
            {"$eq": ["$name", {"$literal": Slot(0)}]}, None, "$name",
        ]})

    def test_greatest_and_least(self):
        self.assertExpression(f"GREATEST({RATIO}, %s, 3)", {"$max": ["$ratio", {"$literal": Slot(0)}, {"$literal": 3}]})
        self.assertExpression(f"LEAST({RATIO}, %s)", {"$min": ["$ratio", {"$literal": Slot(0)}]})


class CastTests(FunctionTestCase):

    def test_cast_to_each_type(self):
        for type_, operator in [
            ("int", "$toInt"), ("long", "$toLong"), ("double", "$toDouble"), ("decimal", "$toDecimal"),
            ("string", "$toString"), ("bool", "$toBool"), ("datetime", "$toDate"),
        ]:
            with self.subTest(type_):
                self.assertExpression(f"CAST({RATIO} AS {type_})", {operator: "$ratio"})

    def test_cast_to_sql_type_names(self):
        # Hand-written SQL, as a custom Transform writes it.
        for type_, operator in [
            ("integer", "$toInt"), ("bigint", "$toLong"), ("real", "$toDouble"), ("numeric(10, 2)", "$toDecimal"),
            ("text", "$toString"), ("boolean", "$toBool"), ("timestamp", "$toDate"),
        ]:
            with self.subTest(type_):
                self.assertExpression(f"CAST({RATIO} AS {type_})", {operator: "$ratio"})
        text = {"$toString": "$name"}
        for type_ in ("CHAR(2)", "VARCHAR(2)"):
            with self.subTest(type_):
                self.assertExpression(f"CAST({NAME} AS {type_})", {"$cond": [
                    {"$eq": [{"$ifNull": [text, None]}, None]}, None, {"$substrCP": [text, 0, 2]},
                ]})

    def test_substr_is_substring(self):
        # SQLite's name, which a custom Transform's SQL uses: SUBSTR(x, 2, 1).
        self.assertEqual(self.plan(f'SELECT SUBSTR({NAME}, 2, 1) AS "v" FROM "app_kitchen"').commands[0].pipeline,
                         self.plan(f'SELECT SUBSTRING({NAME}, 2, 1) AS "v" FROM "app_kitchen"').commands[0].pipeline)

    def test_cast_to_date_keeps_the_day(self):
        self.assertExpression('CAST("app_kitchen"."seen" AS date)', {"$toDate": {
            "$dateToString": {"format": "%Y-%m-%d", "date": {"$toDate": "$seen"}},
        }})

    def test_cast_to_time(self):
        self.assertExpression('CAST("app_kitchen"."seen" AS time)', {
            "$dateToString": {"format": "%H:%M:%S.%L000", "date": "$seen"},
        })

    def test_cast_to_a_string_of_some_length_cuts_it(self):
        # Cast(x, CharField(max_length=2)), as varchar(2) does; NULL stays NULL.
        text = {"$toString": "$name"}
        self.assertExpression(f"CAST({NAME} AS string(2))", {"$cond": [
            {"$eq": [{"$ifNull": [text, None]}, None]}, None, {"$substrCP": [text, 0, 2]},
        ]})
        self.assertUnsupported(f'SELECT CAST({NAME} AS string(x)) AS "v" FROM "app_kitchen"', "expected a length")

    def test_cast_to_objectid(self):
        self.assertExpression(f"CAST({NAME} AS objectid)", {"$toObjectId": "$name"})

    def test_cast_to_binary_as_a_selected_column_is_decoded(self):
        command = self.command(f'SELECT CAST({NAME} AS binary) AS "v" FROM "app_kitchen"')
        [decode] = command.decoders
        self.assertEqual([decode("é"), decode(b"\x00"), decode(None)], ["é".encode(), b"\x00", None])
        with self.assertRaises(DataError):
            decode(1.5)
        self.assertUnsupported(f'SELECT {NAME} AS "v" FROM "app_kitchen" WHERE CAST({NAME} AS binary) = %s',
                               "CAST to type 'binary' other than as a selected column")

    def test_selected_arithmetic_gives_python_decimals(self):
        # extra(select={"half": "price * .5"}): no output field converts it.
        command = self.command(f'SELECT ({RATIO} * 0.5) AS "half", {NAME} AS "n" FROM "app_kitchen"')
        decode, plain = command.decoders
        self.assertIsNone(plain)
        self.assertEqual([decode(Decimal128("11.545")), decode(2.5), decode(None)], [Decimal("11.545"), 2.5, None])
        self.assertIs(type(decode(Decimal128("1"))), Decimal)

    def test_cast_to_unsupported_types(self):
        for type_ in ("json", "None"):
            with self.subTest(type_):
                self.assertUnsupported(
                    f'SELECT CAST({NAME} AS {type_}) AS "v" FROM "app_kitchen"', f"CAST to type {type_.lower()!r}",
                )
        self.assertUnsupported(f'SELECT {NAME} AS "v" FROM "app_kitchen" WHERE CAST({NAME} AS uuid) = %s',
                               "CAST to type 'uuid' other than as a selected column")

    def test_cast_to_uuid_as_a_selected_column_is_decoded(self):
        # MongoDB 4.4 has no conversion from text to a UUID: the text is
        # selected and turned into a UUID as the row is read.
        command = self.command(f'SELECT CAST({NAME} AS uuid) AS "v" FROM "app_kitchen"')
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], "$name")
        [decode] = command.decoders
        value = uuid.uuid4()
        self.assertEqual([decode(str(value)), decode(value.hex), decode(value), decode(None)], [value, value, value, None])
        with self.assertRaises(DataError):
            decode("not a uuid")


class ArgumentCountTests(TranslationTestCase):

    def test_two_argument_trim_trims_those_characters(self):
        for name, operator in [("TRIM", "$trim"), ("LTRIM", "$ltrim"), ("RTRIM", "$rtrim")]:
            with self.subTest(name=name):
                command = self.command(f'SELECT {name}("t"."a", \'xy\') AS "x" FROM "t"')
                self.assertIn({operator: {"input": "$a", "chars": {"$literal": "xy"}}},
                              command.pipeline[0]["$project"]["c0"]["$cond"])

    def test_a_wrong_number_of_arguments_is_a_decode_error(self):
        self.assertUnsupported('SELECT TRIM("t"."a", \'x\', \'y\') AS "x" FROM "t"', "function TRIM() with 3 arguments")
        self.assertUnsupported('SELECT REPLACE("t"."a") AS "x" FROM "t"', "function REPLACE() with 1 arguments")
