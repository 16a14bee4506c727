"""The text tests/plan_text.py writes plans as: the same on every run, and without addresses."""
import datetime
import decimal
import pathlib
import re
import tempfile
import unittest

from bson import Int64, ObjectId
from bson.regex import Regex

from djongo.sql2mongo.binding import DEFAULT, Build, Slot
from djongo.sql2mongo.commands import Find, InsertMany
from djongo.sql2mongo.translate import values
from tests import plan_text
from tests.plan_text import render


class _Opaque:
    """An object whose repr is object's: its type and its address."""


def adder(amount):
    def add(value):
        return value + amount
    return add


class RenderTests(unittest.TestCase):

    def test_fields_holding_their_defaults_are_left_out(self):
        self.assertEqual(render(Find("t", limit=Slot(0))), "Find('t', limit=Slot(0))")

    def test_values(self):
        self.assertEqual(render((1,)), "(1,)")
        self.assertEqual(render([True, None, 2.5, "\xe9"]), "[True, None, 2.5, '\\xe9']")
        self.assertEqual(render(decimal.Decimal("1.50")), "Decimal('1.50')")
        self.assertEqual(render(ObjectId("5f" * 12)), "ObjectId('5f5f5f5f5f5f5f5f5f5f5f5f')")
        self.assertEqual(render(Int64(3)), "Int64(3)")
        self.assertEqual(render(Regex("^a", 2)), "Regex('^a', 2)")
        self.assertEqual(render(re.compile("a", re.IGNORECASE)), f"re.compile('a', {int(re.IGNORECASE | re.UNICODE)})")
        self.assertEqual(render(datetime.datetime(1970, 1, 1)), "datetime.datetime(1970, 1, 1, 0, 0)")
        self.assertEqual(render({"b", "a"}), "{'a', 'b'}")
        self.assertEqual(render(frozenset()), "frozenset()")

    def test_functions_and_sentinels_by_name(self):
        self.assertEqual(render(Slot(0, values.equal_to)), "Slot(0, convert=translate.values:equal_to)")
        self.assertEqual(render(Build(len, ())), "Build(builtins:len, ())")
        self.assertEqual(render(DEFAULT), "binding:DEFAULT")
        self.assertEqual(render(adder(2)), "tests.unit.test_plan_text:adder.<locals>.add(amount=2)")

    def test_a_value_shown_by_its_address_is_refused(self):
        with self.assertRaisesRegex(TypeError, "without its address"):
            render(_Opaque())
        with self.assertRaisesRegex(TypeError, "no module of djongo.sql2mongo names"):
            render(object())

    def test_long_values_break_one_item_a_line_short_ones_fill_lines(self):
        command = InsertMany("t", fields=tuple(f"field_{i}" for i in range(12)), rows=((Slot(0),),))
        self.assertEqual(render(command), "\n".join([
            "InsertMany(",
            "  't',",
            "  fields=(",
            "    'field_0', 'field_1', 'field_2', 'field_3', 'field_4', 'field_5', 'field_6', 'field_7',",
            "    'field_8', 'field_9', 'field_10', 'field_11',",
            "  ),",
            "  rows=((Slot(0),),),",
            ")",
        ]))
        self.assertTrue(all(len(line) <= plan_text.WIDTH for line in render(command).splitlines()))

    def test_a_plan_needing_columns_names_its_tables(self):
        sql = 'SELECT * FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id")'
        self.assertEqual(plan_text.render_statement(sql), "-- needs the recorded columns of a, b")

    def test_a_corpus_file_reads_back(self):
        pairs = [("SELECT 1", "Find('t')"), ("DROP TABLE \"t\"", "DropCollection('t')\nNoOp('t')")]
        text = plan_text.corpus_text(pairs)
        path = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory())) / "corpus.txt"
        path.write_text(text)
        self.assertEqual(plan_text.read_corpus(path), pairs)

