"""What the djongo logger's DEBUG records show of values (djongo/logs.py)."""
import unittest

from djongo.logs import Brief, brief


class BriefTests(unittest.TestCase):

    def test_a_document_keeps_its_order(self):
        self.assertEqual(brief({"$set": {"b": 1}, "$inc": {"a": 2}}), "{'$set': {'b': 1}, '$inc': {'a': 2}}")

    def test_long_and_deep_values_are_abbreviated(self):
        self.assertEqual(brief(list(range(1000))).count(","), 100)
        deep = []
        for _ in range(10_000):  # deeper than Python's stack
            deep = [deep]
        self.assertLess(len(brief(deep)), 200)
        self.assertLess(len(brief({"k": "x" * 100_000})), 1100)

    def test_brief_is_formatted_only_when_shown(self):
        value = Brief({"a": 1})
        self.assertEqual(f"{value}", "{'a': 1}")
        self.assertEqual(value.value, {"a": 1})
