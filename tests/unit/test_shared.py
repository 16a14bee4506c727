"""Arguments a function writes twice are computed once (translate/shared.py)."""
import json

from djongo.sql2mongo.binding import bind
from djongo.sql2mongo.translate import shared

from .base import TranslationTestCase

UPPER = 'SELECT {} AS "a" FROM "t"'


def nested(function, depth, tail=")"):
    return function * depth + '"t"."a"' + tail * depth


class SharedArgumentTests(TranslationTestCase):

    def size_of(self, sql):
        return len(json.dumps(self.command(sql).pipeline, default=repr))

    def test_nested_functions_grow_linearly(self):
        # UPPER writes its argument twice (the NULL test and $toUpper):
        # without sharing, each level would double the command.
        sizes = [self.size_of(UPPER.format(nested("UPPER(", depth))) for depth in (4, 8, 16)]
        self.assertLess(sizes[2] - sizes[1], 3 * (sizes[1] - sizes[0]))
        self.assertLess(sizes[2], 10_000)
        replace = UPPER.format(nested("REPLACE(", 12, ", 'a', 'b')"))
        self.assertLess(self.size_of(replace), 20_000)

    def test_a_repeated_large_argument_is_bound_once(self):
        pipeline = self.command(UPPER.format(nested("UPPER(", 3))).pipeline
        project = pipeline[-1]["$project"]["c0"]
        # The outer UPPER binds its argument, the UPPER of an UPPER, once.
        self.assertEqual(list(project), ["$arrayElemAt"])
        binding = project["$arrayElemAt"][0]["$map"]
        self.assertEqual(binding["as"], "arg0")
        self.assertEqual(json.dumps(binding["in"]).count('"$$arg0"'), 2)

    def test_small_arguments_stay_in_place(self):
        # UPPER("t"."a") and UPPER(UPPER("t"."a")) read as they always did.
        for depth in (1, 2):
            with self.subTest(depth=depth):
                self.assertNotIn("$map", json.dumps(self.command(UPPER.format(nested("UPPER(", depth))).pipeline))

    def test_an_argument_used_once_is_put_back(self):
        expression = {"$toUpper": {"$concat": [{"$toLower": "$a"}] * 5}}

        def translator(node, compile_):
            return {"$strLenCP": compile_(node)}

        self.assertEqual(shared.call(translator, "x", lambda node: expression), {"$strLenCP": expression})

    def test_inner_bindings_of_the_same_name_are_not_the_outer_ones(self):
        large = {"$concat": [{"$toLower": "$a"}] * 9}
        inner = {"$arrayElemAt": [{"$map": {"input": [large], "as": "arg0", "in": ["$$arg0", "$$arg0"]}}, 0]}

        def translator(node, compile_):
            # The argument once, beside an inner binding of the same name.
            return [compile_(node), inner]

        self.assertEqual(shared.call(translator, "x", lambda node: large), [large, inner])

    def test_literals_are_not_variable_references(self):
        self.assertEqual(shared.size({"$literal": {"$a": {"$b": 1}}}), 1)
        large = {"$concat": [{"$toLower": "$a"}] * 9}

        def translator(node, compile_):
            return [compile_(node), {"$literal": "$$arg0"}, compile_(node)]

        result = shared.call(translator, "x", lambda node: large)
        self.assertEqual(result["$arrayElemAt"][0]["$map"]["in"], ["$$arg0", {"$literal": "$$arg0"}, "$$arg0"])

    def test_a_path_into_the_variable_keeps_it_bound(self):
        large = {"$concat": [{"$toLower": "$a"}] * 9}

        def translator(node, compile_):
            return [compile_(node) + ".key"]

        result = shared.call(translator, "x", lambda node: large)
        self.assertEqual(result["$arrayElemAt"][0]["$map"]["in"], ["$$arg0.key"])


    def test_parameters_inside_shared_arguments_are_bound(self):
        sql = UPPER.format(nested("UPPER(", 3)).replace('"t"."a"', "%s")
        pipeline = bind(self.command(sql).pipeline, ("x",))
        binding = pipeline[-1]["$project"]["c0"]["$arrayElemAt"][0]["$map"]
        self.assertIn({"$literal": "x"}, json_values(binding["input"]))


def json_values(expression):
    """Yield every document and value inside ``expression``."""
    stack = [expression]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
