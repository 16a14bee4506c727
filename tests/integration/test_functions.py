"""Functions of django.db.models.functions, through the ORM."""
import datetime
import math
from decimal import Decimal

from bson import ObjectId
from django.db import DatabaseError
from django.db.models import CharField, ExpressionWrapper, F, FloatField, Func, IntegerField, Value
from django.db.models import functions as f
from django.test import TestCase

from djongo.exceptions import SQLDecodeError
from djongo.models import ObjectIdField
from djongo.sql2mongo.plans import get_plan
from tests.integration.app.models import Author, Kitchen
from tests.integration.documents import stored
from tests.integration.probes import expression, skip_unless_server_runs


def skip_unless_server_has(operator, argument):
    """Skip the test when the server lacks the aggregation ``operator`` (see docs/test-server.md)."""
    return skip_unless_server_runs(operator, expression({operator: argument}))


class TrimCharacters(Func):
    """The two-argument TRIM of SQLite and PostgreSQL, as a custom Func writes it."""
    function = "TRIM"


class FunctionTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.ann = Kitchen.objects.create(
            name="Ann", code="  ab c ", count=7, big=-12, ratio=2.5, price=Decimal("-5.75"),
            born=datetime.date(2020, 2, 29), seen=datetime.datetime(2021, 3, 4, 5, 6, 7, 8000, tzinfo=datetime.timezone.utc),
        )
        cls.none = Kitchen.objects.create(name="Élan", count=0)

    def values(self, expression, kitchen=None):
        """Return the value of ``expression`` annotated on ``kitchen`` (Ann by default)."""
        kitchen = kitchen or self.ann
        return Kitchen.objects.filter(pk=kitchen.pk).annotate(v=expression).values_list("v", flat=True).get()

    def assertValue(self, expression, expected, kitchen=None):
        self.assertEqual(self.values(expression, kitchen), expected)

    def assertNull(self, expression):
        self.assertIsNone(self.values(expression, self.none))


class MathTests(FunctionTestCase):

    def test_abs_ceil_floor(self):
        self.assertValue(f.Abs("big"), 12)
        self.assertValue(f.Abs("price"), Decimal("5.75"))
        self.assertValue(f.Ceil("ratio"), 3)
        self.assertValue(f.Floor("ratio"), 2)
        self.assertNull(f.Abs("big"))
        self.assertNull(f.Floor("ratio"))

    def test_exp_ln_sqrt_power(self):
        self.assertAlmostEqual(self.values(f.Exp("ratio")), math.exp(2.5))
        self.assertAlmostEqual(self.values(f.Ln("ratio")), math.log(2.5))
        self.assertAlmostEqual(self.values(f.Sqrt("count")), math.sqrt(7))
        self.assertAlmostEqual(self.values(f.Power("count", 2)), 49)
        self.assertAlmostEqual(self.values(F("count") ** 2), 49)
        self.assertNull(f.Sqrt("ratio"))

    def test_log_is_base_then_number(self):
        self.assertAlmostEqual(self.values(f.Log(2, 8)), 3)
        self.assertAlmostEqual(self.values(f.Log("ratio", 6.25)), 2)
        self.assertNull(f.Log("ratio", 2))

    def test_mod(self):
        self.assertEqual(self.values(f.Mod("count", 4)), 3)
        self.assertEqual(self.values(f.Mod("big", 5)), -2)  # the dividend's sign, as SQL
        self.assertEqual(self.values(F("count") % 4), 3)
        self.assertNull(f.Mod("big", 5))

    def test_pi_degrees_radians(self):
        self.assertAlmostEqual(self.values(f.Pi()), math.pi)
        self.assertAlmostEqual(self.values(f.Degrees("ratio")), math.degrees(2.5))
        self.assertAlmostEqual(self.values(f.Radians("count")), math.radians(7))
        self.assertNull(f.Radians("ratio"))

    def test_round_half_away_from_zero(self):
        self.assertEqual(self.values(f.Round("ratio")), 3.0)
        self.assertEqual(self.values(f.Round("price", 1)), Decimal("-5.80"))
        self.assertEqual(self.values(f.Round(Value(-2.5))), -3)
        self.assertEqual(self.values(f.Round(Value(0.125), 2)), 0.13)
        self.assertNull(f.Round("ratio", 1))

    def test_round_negative_precision(self):
        self.assertEqual(self.values(f.Round(Value(365.25), -1)), 370)
        self.assertEqual(self.values(f.Round("big", -1)), -10)
        self.assertEqual(self.values(f.Round(Value(-15), -1)), -20)

    def test_round_keeps_integers(self):
        value = self.values(f.Round("count", 2))
        self.assertEqual((value, type(value)), (7, int))

    def test_sign(self):
        self.assertEqual(self.values(f.Sign("big")), -1)
        self.assertEqual(self.values(f.Sign("ratio")), 1.0)
        self.assertEqual(self.values(f.Sign("count"), self.none), 0)
        self.assertNull(f.Sign("big"))

    def test_random(self):
        self.assertTrue(0 <= self.values(f.Random()) < 1)

    @skip_unless_server_has("$sin", 0)
    def test_trigonometry(self):
        self.assertAlmostEqual(self.values(f.Sin("ratio")), math.sin(2.5))
        self.assertAlmostEqual(self.values(f.Cos("ratio")), math.cos(2.5))
        self.assertAlmostEqual(self.values(f.Tan("ratio")), math.tan(2.5))
        self.assertAlmostEqual(self.values(f.Cot("ratio")), 1 / math.tan(2.5))
        self.assertAlmostEqual(self.values(f.ASin(Value(0.5))), math.asin(0.5))
        self.assertAlmostEqual(self.values(f.ACos(Value(0.5))), math.acos(0.5))
        self.assertAlmostEqual(self.values(f.ATan("ratio")), math.atan(2.5))
        self.assertAlmostEqual(self.values(f.ATan2("big", "count")), math.atan2(-12, 7))
        self.assertNull(f.Sin("ratio"))

    def test_bitwise_operators_are_refused(self):
        with self.assertRaisesMessage(SQLDecodeError, "function BITAND(): MongoDB 4.4 has no bitwise"):
            self.values(F("count").bitand(3))
        with self.assertRaisesMessage(SQLDecodeError, "function BITXOR()"):
            self.values(F("count").bitxor(3))


class TextTests(FunctionTestCase):

    def test_upper_lower_length(self):
        self.assertValue(f.Upper("name"), "ANN")
        self.assertValue(f.Lower("name"), "ann")
        self.assertValue(f.Length("name"), 3)
        self.assertValue(f.Length("name"), 4, self.none)  # characters, not bytes
        self.assertNull(f.Upper("code"))
        self.assertNull(f.Lower("code"))
        self.assertNull(f.Length("code"))

    def test_filter_on_a_function(self):
        self.assertEqual(list(Kitchen.objects.annotate(u=f.Upper("name")).filter(u="ANN")), [self.ann])
        self.assertEqual(list(Kitchen.objects.annotate(n=f.Length("name")).filter(n=4)), [self.none])

    @skip_unless_server_has("$regexMatch", {"input": "a", "regex": "a"})
    def test_regex_on_a_function(self):
        upper = Kitchen.objects.annotate(u=f.Upper("name"))
        self.assertEqual(list(upper.filter(u__regex="^AN+$")), [self.ann])
        self.assertEqual(list(upper.filter(u__iregex="^an+$")), [self.ann])
        self.assertEqual(list(upper.exclude(u__regex="^A")), [self.none])
        # A number matches as its text; a NULL matches neither way.
        self.assertEqual(list(Kitchen.objects.annotate(c=F("count") * 10).filter(c__regex="^70$")), [self.ann])
        self.assertEqual(list(Kitchen.objects.annotate(c=f.Upper("code")).exclude(c__regex="X")), [self.ann])

    def test_concat_reads_null_as_empty(self):
        self.assertValue(f.Concat("name", Value("-"), "code"), "Ann-  ab c ")
        self.assertValue(f.Concat("name", Value("-"), "code"), "Élan-", self.none)
        self.assertValue(f.Concat("code", "code"), "", self.none)
        self.assertValue(f.Concat("name", "count", output_field=CharField()), "Ann7")

    def test_substring_left_right(self):
        self.assertValue(f.Substr("name", 2), "nn")
        self.assertValue(f.Substr("name", 2, 1), "n")
        self.assertValue(f.Left("name", 2), "Él", self.none)
        self.assertValue(f.Right("name", 2), "an", self.none)
        self.assertValue(f.Right("name", 9), "Ann")
        self.assertNull(f.Substr("code", 1))
        self.assertNull(f.Left("code", 1))
        self.assertNull(f.Right("code", 1))

    def test_strindex(self):
        self.assertValue(f.StrIndex("name", Value("n")), 2)
        self.assertValue(f.StrIndex("name", Value("z")), 0)
        self.assertNull(f.StrIndex("code", Value("a")))

    def test_replace_repeat_reverse(self):
        self.assertValue(f.Replace("code", Value(" "), Value("_")), "__ab_c_")
        self.assertValue(f.Replace("name", Value("n")), "A")
        self.assertValue(f.Replace("name", Value("")), "Ann")
        self.assertValue(f.Repeat("name", 3), "AnnAnnAnn")
        self.assertValue(f.Repeat("name", 0), "")
        self.assertValue(f.Reverse("name"), "nalÉ", self.none)
        self.assertNull(f.Replace("code", Value("a")))
        self.assertNull(f.Repeat("code", 2))
        self.assertNull(f.Reverse("code"))

    def test_pad(self):
        self.assertValue(f.LPad("name", 7, Value("xy")), "xyxyAnn")
        self.assertValue(f.RPad("name", 6, Value("xy")), "Annxyx")
        self.assertValue(f.LPad("name", 5), "  Ann")
        self.assertValue(f.RPad("name", 2), "An")
        self.assertValue(f.LPad("name", 0), "")
        self.assertNull(f.LPad("code", 4))
        self.assertValue(f.RPad("name", None), None)

    def test_chr_and_ord(self):
        self.assertValue(f.Ord("name"), ord("É"), self.none)
        self.assertValue(f.Ord(Value("")), 0)
        self.assertValue(f.Chr(Value(ord("É"))), "É")
        self.assertValue(f.Chr(f.Ord("name")), "A")
        self.assertNull(f.Ord("code"))

    def test_code_points_beyond_the_table_fail(self):
        with self.assertRaises(DatabaseError) as context:
            self.values(f.Ord(Value("€")))
        self.assertIn("ASCII() supports code points 1 to 2047 only, not: €", str(context.exception))
        with self.assertRaises(DatabaseError) as context:
            self.values(f.Chr(Value(8364)))
        self.assertIn("CHR() supports code points 1 to 2047 only, not: 8364", str(context.exception))

    @skip_unless_server_has("$trim", {"input": ""})
    def test_trim(self):
        self.assertValue(f.Trim("code"), "ab c")
        self.assertValue(f.LTrim("code"), "ab c ")
        self.assertValue(f.RTrim("code"), "  ab c")
        self.assertNull(f.Trim("code"))

    def test_trim_of_given_characters_translates(self):
        sql, _ = Kitchen.objects.annotate(t=TrimCharacters("code", Value("xy"))).query.sql_with_params()
        # A TypeError escaped the translator before.
        pipeline = get_plan(sql).commands[0].pipeline
        self.assertIn("'$trim': {'input': '$code', 'chars': {'$literal': Slot(index=0", str(pipeline))

    @skip_unless_server_runs("$trim", expression({"$trim": {"input": ""}}))
    def test_trim_of_given_characters(self):
        self.assertValue(TrimCharacters(Value("xyabcyx"), Value("xy")), "abc")

    def test_hashes_are_refused(self):
        with self.assertRaisesMessage(SQLDecodeError, "function MD5(): MongoDB has no aggregation operator"):
            self.values(f.MD5("name"))


class ComparisonTests(FunctionTestCase):

    def test_coalesce(self):
        self.assertValue(f.Coalesce("code", "name"), "  ab c ")
        self.assertValue(f.Coalesce("code", "code", "name"), "Élan", self.none)
        self.assertValue(f.Coalesce("ratio", "big", Value(1.5), output_field=FloatField()), 1.5, self.none)

    def test_nullif(self):
        self.assertValue(f.NullIf("name", Value("Ann")), None)
        self.assertValue(f.NullIf("name", Value("Bob")), "Ann")

    def test_greatest_and_least_ignore_nulls(self):
        self.assertValue(f.Greatest("count", "big", "ratio", output_field=FloatField()), 7)
        self.assertValue(f.Least("count", "big", "ratio", output_field=FloatField()), -12)
        self.assertValue(f.Greatest("count", "big", output_field=IntegerField()), 0, self.none)
        self.assertValue(f.Least("ratio", "big", output_field=FloatField()), None, self.none)

    def test_cast_numbers_and_strings(self):
        self.assertValue(f.Cast("ratio", IntegerField()), 2)
        self.assertValue(f.Cast(Value("12"), IntegerField()), 12)
        self.assertValue(f.Cast("count", Kitchen._meta.get_field("ratio")), 7.0)
        self.assertValue(f.Cast("count", Kitchen._meta.get_field("name")), "7")
        self.assertValue(f.Cast("count", Kitchen._meta.get_field("is_active")), True)
        self.assertNull(f.Cast("big", Kitchen._meta.get_field("name")))

    def test_cast_dates_to_text(self):
        # As SQL databases write them (django-import-export exports
        # Cast(TruncDate(...), CharField())), not as $toString writes a BSON
        # date ("2020-02-29T00:00:00.000Z").
        self.assertValue(f.Cast("born", CharField()), "2020-02-29")
        self.assertValue(f.Cast(f.TruncDate("seen", tzinfo=datetime.timezone.utc), CharField()), "2021-03-04")
        self.assertValue(f.Cast("seen", Kitchen._meta.get_field("notes")), "2021-03-04 05:06:07")
        self.assertNull(f.Cast("born", CharField()))
        Kitchen.objects.filter(pk=self.ann.pk).update(notes=f.Cast("born", Kitchen._meta.get_field("notes")))
        self.assertEqual(stored("app_kitchen", id=self.ann.pk)[0]["notes"], "2020-02-29")

    def test_cast_dates(self):
        self.assertValue(f.Cast("seen", Kitchen._meta.get_field("born")), datetime.date(2021, 3, 4))
        self.assertValue(f.Cast("born", Kitchen._meta.get_field("seen")), datetime.datetime(2020, 2, 29, tzinfo=datetime.timezone.utc))
        self.assertValue(f.Cast("seen", Kitchen._meta.get_field("alarm")), datetime.time(5, 6, 7, 8000))
        self.assertNull(f.Cast("seen", Kitchen._meta.get_field("born")))

    @skip_unless_server_has("$toDecimal", 1)
    def test_cast_to_decimal(self):
        self.assertValue(f.Cast("ratio", Kitchen._meta.get_field("price")), Decimal("2.50"))

    def test_cast_to_binary_as_a_selected_value(self):
        # MongoDB 4.4 has no conversion to binary: the text is selected and
        # encoded as the row is read.
        self.assertEqual(bytes(self.values(f.Cast("name", Kitchen._meta.get_field("blob")))), b"Ann")
        with self.assertRaisesMessage(SQLDecodeError, "CAST to type 'binary' other than as a selected column"):
            Kitchen.objects.annotate(b=f.Cast("name", Kitchen._meta.get_field("blob"))).filter(b=b"Ann").count()

    @skip_unless_server_has("$toObjectId", "5f0000000000000000000000")
    def test_cast_to_objectid(self):
        self.assertValue(f.Cast(Value("5f0000000000000000000001"), ObjectIdField()), ObjectId("5f0000000000000000000001"))


class DecimalArithmeticTests(TestCase):

    def test_arithmetic_on_a_decimal_reads_back_as_the_output_fields_number(self):
        kitchen = Kitchen.objects.create(name="K", count=3, price=Decimal("2.50"))
        row = Kitchen.objects.filter(pk=kitchen.pk).annotate(
            whole=ExpressionWrapper(F("price") * 2 + F("count"), output_field=IntegerField()),
            real=ExpressionWrapper(F("price") + F("count"), output_field=FloatField()),
        ).values("whole", "real").get()
        self.assertEqual(row, {"whole": 8, "real": 5.5})
        self.assertIsInstance(row["whole"], int)
        self.assertIsInstance(row["real"], float)


class AuthorFunctionTests(TestCase):

    def test_functions_in_values_order_and_filter(self):
        Author.objects.bulk_create([Author(name="ann", email="A@x"), Author(name="Bob", email="")])
        rows = Author.objects.annotate(u=f.Upper("name"), n=f.Length("email")).filter(n__gt=0).values_list("u", "n")
        self.assertEqual(list(rows), [("ANN", 3)])


class NestedFunctionTests(TestCase):
    """A function's argument written twice is computed once: deep nesting stays a small command."""

    def test_deeply_nested_text_functions(self):
        Author.objects.create(name="Ann")
        upper = F("name")
        for _ in range(20):
            upper = f.Upper(upper)
        replaced = F("name")
        for _ in range(10):
            replaced = f.Replace(replaced, Value("n"), Value("n"))
        with self.assertLogs("djongo", "DEBUG") as logs:
            row = Author.objects.annotate(u=upper, r=replaced).values("u", "r").get()
        self.assertEqual(row, {"u": "ANN", "r": "Ann"})
        command = next(line for line in logs.output if "aggregate" in line)
        self.assertLess(len(command), 50_000)
