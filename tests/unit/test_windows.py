"""
Window functions: the ``$setWindowFields`` stages each function and frame
becomes (translate/windows.py), and djongo's own evaluation of those stages
for servers that lack them (sql2mongo/setwindowfields.py).
"""
import datetime
import math
import unittest
from decimal import Decimal

from bson.decimal128 import Decimal128

from djongo.sql2mongo import setwindowfields
from djongo.sql2mongo.binding import Slot, bind
from djongo.sql2mongo.translate.windows import _lag_offset

from .base import TranslationTestCase

SELECT = 'SELECT "t"."id", {} AS "w" FROM "t"'
RUNNING = {"documents": ["unbounded", "current"]}
WHOLE = {"documents": ["unbounded", "unbounded"]}


class WindowTranslationTests(TranslationTestCase):

    def pipeline(self, window):
        return self.command(SELECT.format(window)).pipeline

    def windows(self, window):
        """Return the $setWindowFields stages of ``window``, in order."""
        return [stage["$setWindowFields"] for stage in self.pipeline(window) if "$setWindowFields" in stage]

    def test_inputs_come_first_and_the_value_last(self):
        pipeline = self.pipeline('ROW_NUMBER() OVER (PARTITION BY "t"."p" ORDER BY "t"."a" DESC)')
        self.assertEqual(pipeline, [
            {"$addFields": {"__w0p": {"$ifNull": ["$p", None]}, "__w0o0": {"$ifNull": ["$a", None]}}},
            {"$setWindowFields": {
                "partitionBy": "$__w0p", "sortBy": {"__w0o0": -1}, "output": {"__w0r": {"$documentNumber": {}}},
            }},
            {"$addFields": {"__w0": "$__w0r"}},
            {"$project": {"_id": 0, "c0": "$id", "c1": "$__w0"}},
        ])

    def test_several_partition_keys_are_one_document(self):
        pipeline = self.pipeline('COUNT(*) OVER (PARTITION BY "t"."p", "t"."q")')
        self.assertEqual(pipeline[0]["$addFields"]["__w0p"], {
            "k0": {"$ifNull": ["$p", None]}, "k1": {"$ifNull": ["$q", None]},
        })

    def test_nulls_first_in_descending_order_is_a_key_of_its_own(self):
        window, = self.windows('ROW_NUMBER() OVER (ORDER BY "t"."a" DESC NULLS FIRST)')
        self.assertEqual(window["sortBy"], {"__w0n0": 1, "__w0o0": -1})
        pipeline = self.pipeline('ROW_NUMBER() OVER (ORDER BY "t"."a" DESC NULLS FIRST)')
        self.assertEqual(
            pipeline[0]["$addFields"]["__w0n0"],
            {"$cond": [{"$eq": [{"$ifNull": ["$a", None]}, None]}, 0, 1]},
        )

    def test_rank_composes_peer_groups(self):
        # $rank takes one sortBy field: ranks come from a peer-group flag.
        numbering, peers = self.windows('RANK() OVER (ORDER BY "t"."a", "t"."b" DESC)')
        self.assertEqual(numbering, {"sortBy": {"__w0o0": 1, "__w0o1": -1}, "output": {
            "__w0r": {"$documentNumber": {}},
            "__w0b0": {"$shift": {"output": "$__w0o0", "by": -1}},
            "__w0b1": {"$shift": {"output": "$__w0o1", "by": -1}},
        }})
        self.assertEqual(peers, {"sortBy": {"__w0r": 1}, "output": {
            "__w0g": {"$sum": "$__w0s", "window": RUNNING},
            "__w0k": {"$max": "$__w0t", "window": RUNNING},
        }})
        pipeline = self.pipeline('RANK() OVER (ORDER BY "t"."a", "t"."b" DESC)')
        starts = {"$or": [
            {"$eq": ["$__w0r", 1]}, {"$ne": ["$__w0o0", "$__w0b0"]}, {"$ne": ["$__w0o1", "$__w0b1"]},
        ]}
        self.assertEqual(pipeline[2], {"$addFields": {
            "__w0s": {"$cond": [starts, 1, 0]}, "__w0t": {"$cond": [starts, "$__w0r", 0]},
        }})
        self.assertEqual(pipeline[-2], {"$addFields": {"__w0": "$__w0k"}})

    def test_dense_rank_is_the_peer_group(self):
        self.assertEqual(self.pipeline('DENSE_RANK() OVER (ORDER BY "t"."a")')[-2], {"$addFields": {"__w0": "$__w0g"}})

    def test_percent_rank(self):
        windows = self.windows('PERCENT_RANK() OVER (ORDER BY "t"."a")')
        self.assertEqual(windows[0]["output"]["__w0c"], {"$sum": 1, "window": WHOLE})
        self.assertEqual(self.pipeline('PERCENT_RANK() OVER (ORDER BY "t"."a")')[-2], {"$addFields": {"__w0": {
            "$cond": [{"$lte": ["$__w0c", 1]}, 0.0, {"$divide": [
                {"$subtract": ["$__w0k", 1]}, {"$subtract": ["$__w0c", 1]},
            ]}],
        }}})

    def test_cume_dist_reads_the_last_row_of_the_peer_group(self):
        windows = self.windows('CUME_DIST() OVER (ORDER BY "t"."a")')
        self.assertEqual(windows[-1], {"sortBy": {"__w0g": 1}, "output": {
            "__w0e": {"$max": "$__w0r", "window": {"range": [0, 0]}},
        }})

    def test_ntile(self):
        window, = self.windows('NTILE(%s) OVER (ORDER BY "t"."a")')
        self.assertEqual(window["output"], {
            "__w0r": {"$documentNumber": {}}, "__w0c": {"$sum": 1, "window": WHOLE},
        })
        final = self.pipeline('NTILE(%s) OVER (ORDER BY "t"."a")')[-2]["$addFields"]["__w0"]
        self.assertEqual(list(final), ["$toLong"])

    def test_lag_with_offset_and_default(self):
        window, = self.windows('LAG("t"."b", %s, %s) OVER (ORDER BY "t"."a")')
        self.assertEqual(window["output"], {"__w0v": {"$shift": {
            "output": "$__w0a", "by": Slot(0, _lag_offset), "default": {"$literal": Slot(1)},
        }}})
        bound = self.plan(SELECT.format('LAG("t"."b", %s, %s) OVER (ORDER BY "t"."a")'))
        stage = bind(bound.commands[0].pipeline, (2, "x"))[1]["$setWindowFields"]
        self.assertEqual(stage["output"]["__w0v"]["$shift"]["by"], -2)

    def test_lead_without_default_and_order(self):
        window, = self.windows('LEAD("t"."b") OVER ()')
        self.assertEqual(window, {"sortBy": {"_id": 1}, "output": {"__w0v": {"$shift": {"output": "$__w0a", "by": 1}}}})

    def test_lag_with_a_column_as_default(self):
        window, = self.windows('LAG("t"."b", 1, "t"."c") OVER (ORDER BY "t"."a")')
        self.assertEqual(window["output"]["__w0j"], {"$shift": {"output": "$__w0i", "by": -1}})
        self.assertEqual(self.pipeline('LAG("t"."b", 1, "t"."c") OVER (ORDER BY "t"."a")')[-2], {"$addFields": {
            "__w0": {"$cond": [{"$eq": ["$__w0j", 1]}, "$__w0v", "$c"]},
        }})

    def test_sum_default_frame_is_range_to_the_last_peer(self):
        windows = self.windows('SUM("t"."b") OVER (ORDER BY "t"."a")')
        self.assertEqual(windows[-1], {"sortBy": {"__w0g": 1}, "output": {
            "__w0v": {"$sum": "$__w0a", "window": {"range": ["unbounded", 0]}},
            "__w0m": {"$sum": "$__w0u", "window": {"range": ["unbounded", 0]}},
        }})
        # SUM of no non-NULL value is NULL.
        self.assertEqual(self.pipeline('SUM("t"."b") OVER (ORDER BY "t"."a")')[-2], {"$addFields": {"__w0": {
            "$cond": [{"$eq": ["$__w0m", 0]}, None, {"$ifNull": ["$__w0v", None]}],
        }}})

    def test_rows_frame_is_a_documents_window(self):
        window, = self.windows('AVG("t"."b") OVER (ORDER BY "t"."a" ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)')
        self.assertEqual(window, {"sortBy": {"__w0o0": 1}, "output": {
            "__w0v": {"$avg": "$__w0a", "window": {"documents": [-2, 1]}},
        }})

    def test_rows_frame_to_the_current_row(self):
        window, = self.windows('MIN("t"."b") OVER (ORDER BY "t"."a" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)')
        self.assertEqual(window["output"], {"__w0v": {"$min": "$__w0a", "window": RUNNING}})

    def test_range_frame_with_offsets_reads_the_key(self):
        window, = self.windows('MAX("t"."b") OVER (ORDER BY "t"."a" RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)')
        self.assertEqual(window, {"sortBy": {"__w0q": 1}, "output": {
            "__w0v": {"$max": "$__w0a", "window": {"range": [-2, 3]}},
        }})

    def test_range_frame_with_offsets_over_a_descending_key_negates_it(self):
        pipeline = self.pipeline('MAX("t"."b") OVER (ORDER BY "t"."a" DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)')
        self.assertEqual(pipeline[0]["$addFields"]["__w0q"], {"$multiply": [-1, {"$ifNull": ["$a", None]}]})
        self.assertEqual(pipeline[1]["$setWindowFields"]["output"]["__w0v"]["window"], {"range": [-2, 0]})

    def test_range_frame_unbounded_is_the_partition(self):
        window, = self.windows(
            'SUM("t"."b") OVER (PARTITION BY "t"."p" ORDER BY "t"."a" '
            'RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'
        )
        self.assertEqual(window, {"partitionBy": "$__w0p", "output": {
            "__w0v": {"$sum": "$__w0a"}, "__w0m": {"$sum": "$__w0u"},
        }})

    def test_range_from_the_current_row(self):
        windows = self.windows('COUNT("t"."b") OVER (ORDER BY "t"."a" RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)')
        self.assertEqual(windows[-1]["output"], {"__w0v": {"$sum": "$__w0u", "window": {"range": [0, "unbounded"]}}})

    def test_stddev_and_variance(self):
        window, = self.windows('STDDEV_SAMP("t"."b") OVER ()')
        self.assertEqual(window["output"], {"__w0v": {"$stdDevSamp": "$__w0a"}})
        pipeline = self.pipeline('VAR_POP("t"."b") OVER ()')
        self.assertEqual(pipeline[1]["$setWindowFields"]["output"], {"__w0v": {"$stdDevPop": "$__w0a"}})
        self.assertEqual(pipeline[-2], {"$addFields": {"__w0": {"$multiply": [
            {"$ifNull": ["$__w0v", None]}, {"$ifNull": ["$__w0v", None]},
        ]}}})

    def test_first_and_last_value_are_null_over_an_empty_frame(self):
        window, = self.windows('LAST_VALUE("t"."b") OVER (ORDER BY "t"."a" ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING)')
        self.assertEqual(window["output"], {
            "__w0v": {"$last": "$__w0a", "window": {"documents": [1, 2]}},
            "__w0m": {"$sum": 1, "window": {"documents": [1, 2]}},
        })

    def test_nth_value_collects_the_frame(self):
        windows = self.windows('NTH_VALUE("t"."b", %s) OVER (ORDER BY "t"."a" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)')
        self.assertEqual(windows[-1]["output"], {"__w0l": {"$push": "$__w0w", "window": RUNNING}})

    def test_exclude_current_row_filters_the_collected_frame(self):
        sql = 'SUM("t"."b") OVER (ORDER BY "t"."a" ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW)'
        pipeline = self.pipeline(sql)
        self.assertIn({"$addFields": {"__w0w": {"v": "$__w0a", "i": "$__w0r"}}}, pipeline)
        self.assertIn({"$setWindowFields": {"sortBy": {"__w0r": 1}, "output": {
            "__w0l": {"$push": "$__w0w", "window": {"documents": [-1, 1]}},
        }}}, pipeline)
        self.assertIn({"$addFields": {"__w0x": {"$map": {
            "input": {"$filter": {"input": "$__w0l", "as": "e", "cond": {"$not": [{"$eq": ["$$e.i", "$__w0r"]}]}}},
            "as": "e", "in": "$$e.v",
        }}}}, pipeline)

    def test_exclude_group_and_ties_read_the_peer_group(self):
        for exclusion, keep in (
            ("GROUP", {"$not": [{"$eq": ["$$e.g", "$__w0g"]}]}),
            ("TIES", {"$or": [{"$eq": ["$$e.i", "$__w0r"]}, {"$not": [{"$eq": ["$$e.g", "$__w0g"]}]}]}),
        ):
            with self.subTest(exclusion):
                pipeline = self.pipeline(f'MAX("t"."b") OVER (ORDER BY "t"."a" RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE {exclusion})')
                self.assertIn({"$addFields": {"__w0w": {"v": "$__w0a", "i": "$__w0r", "g": "$__w0g"}}}, pipeline)
                filters = [stage for stage in pipeline if "__w0x" in stage.get("$addFields", {})]
                self.assertEqual(filters[0]["$addFields"]["__w0x"]["$map"]["input"]["$filter"]["cond"], keep)

    def test_window_over_grouped_rows_reads_the_groups(self):
        pipeline = self.command(
            'SELECT "t"."p", SUM("t"."b") AS "s", RANK() OVER (ORDER BY SUM("t"."b") DESC) AS "r" '
            'FROM "t" GROUP BY "t"."p" ORDER BY 3 LIMIT 3'
        ).pipeline
        self.assertEqual(list(pipeline[0]), ["$group"])
        self.assertEqual(pipeline[1]["$addFields"]["__w0o0"], {"$ifNull": [pipeline[-3]["$project"]["c1"], None]})
        self.assertEqual(pipeline[-3:], [
            {"$project": {"_id": 0, "c0": "$_id", "c1": pipeline[-3]["$project"]["c1"], "c2": "$__w0"}},
            {"$sort": {"c2": 1}},
            {"$limit": 3},
        ])

    def test_filter_on_a_window_reads_the_qualify_subquery(self):
        pipeline = self.command(
            'SELECT * FROM (SELECT "t"."id" AS "col1", RANK() OVER (ORDER BY "t"."a") AS "qual0" '
            'FROM "t" WHERE "t"."b" = %s) "qualify" WHERE "qual0" <= %s'
        ).pipeline
        self.assertEqual(list(pipeline[0]), ["$match"])
        self.assertEqual(pipeline[-2], {"$match": {"c1": {"$lte": Slot(1)}}})
        self.assertEqual(pipeline[-1], {"$project": {"_id": 0, "c0": "$c0", "c1": "$c1"}})

    def test_window_ordering_and_slice_come_after_the_window(self):
        pipeline = self.command(
            'SELECT "t"."id", ROW_NUMBER() OVER (ORDER BY "t"."a") AS "w" FROM "t" ORDER BY "t"."id" LIMIT 2'
        ).pipeline
        self.assertEqual(pipeline[-2:], [{"$sort": {"c0": 1}}, {"$limit": 2}])
        self.assertIn("$setWindowFields", pipeline[1])

    def test_distinct_windows_are_computed_before_distinct(self):
        pipeline = self.command('SELECT DISTINCT ROW_NUMBER() OVER (ORDER BY "t"."a") AS "w" FROM "t"').pipeline
        self.assertIn("$setWindowFields", pipeline[1])
        self.assertEqual(pipeline[3], {"$group": {"_id": {"$ifNull": ["$__w0", None]}}})

    def test_unsupported(self):
        cases = {
            'SELECT SUM("t"."b") OVER (ORDER BY "t"."a" GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM "t"':
                "GROUPS frame of a window",
            'SELECT SUM("t"."b") OVER (ORDER BY "t"."a", "t"."c" RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM "t"':
                "RANGE frame with an offset over 2 ORDER BY keys",
            'SELECT SUM("t"."b") OVER (ORDER BY "t"."a" ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING) FROM "t"':
                "ROWS frame whose start follows its end",
            'SELECT COUNT(DISTINCT "t"."b") OVER () FROM "t"': "DISTINCT in window function COUNT()",
            'SELECT FOO("t"."b") OVER () FROM "t"': "window function FOO()",
            'SELECT "t"."id" FROM "t" GROUP BY "t"."id" HAVING RANK() OVER () > 1': "window function in HAVING",
        }
        for sql, message in cases.items():
            with self.subTest(sql):
                self.assertUnsupported(sql, message)


def ntile(buckets, count):
    """NTILE over ``count`` rows, computed as SQL defines it, one row at a time."""
    size, rest = divmod(count, buckets)
    result = []
    for bucket in range(1, buckets + 1):
        result.extend([bucket] * (size + (bucket <= rest)))
    return result


class EvaluateTests(unittest.TestCase):
    """djongo's evaluation of $setWindowFields, as MongoDB defines each operator."""

    rows = [
        {"_id": 1, "p": "a", "k": 3, "v": 10},
        {"_id": 2, "p": "a", "k": 1, "v": None},
        {"_id": 3, "p": "b", "k": 2, "v": 5},
        {"_id": 4, "p": "a", "k": 2, "v": 7},
        {"_id": 5, "p": "a", "k": 2, "v": 1.5},
    ]

    def evaluate(self, spec, rows=None):
        result = setwindowfields.evaluate(spec, [dict(row) for row in rows or self.rows])
        return {row["_id"]: {key: row[key] for key in row if key not in ("p", "k", "v", "_id")} for row in result}

    def test_partitions_and_sort(self):
        result = self.evaluate({"partitionBy": "$p", "sortBy": {"k": 1, "_id": -1}, "output": {"n": {"$documentNumber": {}}}})
        self.assertEqual({key: value["n"] for key, value in result.items()}, {2: 1, 5: 2, 4: 3, 1: 4, 3: 1})

    def test_sort_follows_mongodb_order_null_first(self):
        rows = [{"_id": 1, "k": "b"}, {"_id": 2, "k": None}, {"_id": 3, "k": 5}, {"_id": 4}]
        result = self.evaluate({"sortBy": {"k": 1, "_id": 1}, "output": {"n": {"$documentNumber": {}}}}, rows)
        self.assertEqual({key: value["n"] for key, value in result.items()}, {2: 1, 4: 2, 3: 3, 1: 4})

    def test_shift_with_default(self):
        result = self.evaluate({"partitionBy": "$p", "sortBy": {"_id": 1}, "output": {
            "prev": {"$shift": {"output": "$v", "by": -1, "default": {"$literal": "none"}}},
            "next2": {"$shift": {"output": "$v", "by": 2}},
        }})
        self.assertEqual(result, {
            1: {"prev": "none", "next2": 7}, 2: {"prev": 10, "next2": 1.5}, 4: {"prev": None, "next2": None},
            5: {"prev": 7, "next2": None}, 3: {"prev": "none", "next2": None},
        })

    def test_sum_types_and_empty_windows(self):
        rows = [{"_id": 1, "v": 1}, {"_id": 2, "v": None}, {"_id": 3, "v": 2}]
        result = self.evaluate({"sortBy": {"_id": 1}, "output": {
            "s": {"$sum": "$v", "window": {"documents": [-1, -1]}},
            "a": {"$avg": "$v", "window": {"documents": [-1, -1]}},
            "m": {"$max": "$v", "window": {"documents": ["unbounded", "current"]}},
            "f": {"$first": "$v", "window": {"documents": [1, 1]}},
            "c": {"$sum": 1, "window": {"documents": ["current", "unbounded"]}},
        }}, rows)
        # Over an empty window: $sum gives 0, $avg, $max and $first null.
        self.assertEqual(result[1], {"s": 0, "a": None, "m": 1, "f": None, "c": 3})
        self.assertEqual(result[2], {"s": 1, "a": 1.0, "m": 1, "f": 2, "c": 2})
        self.assertEqual(result[3], {"s": 0, "a": None, "m": 2, "f": None, "c": 1})

    def test_sum_of_decimals_is_a_decimal(self):
        rows = [{"_id": 1, "v": Decimal128("1.10")}, {"_id": 2, "v": 2}, {"_id": 3, "v": 0.5}]
        result = self.evaluate({"output": {"s": {"$sum": "$v"}, "a": {"$avg": "$v"}}}, rows)
        self.assertEqual(result[1]["s"].to_decimal(), Decimal("3.60"))
        self.assertEqual(result[1]["a"].to_decimal(), Decimal("1.2"))

    def test_stddev(self):
        rows = [{"_id": 1, "v": 2}, {"_id": 2, "v": 4}, {"_id": 3, "v": None}]
        result = self.evaluate({"output": {"pop": {"$stdDevPop": "$v"}, "s": {"$stdDevSamp": "$v"}}}, rows)
        self.assertEqual(result[1], {"pop": 1.0, "s": 2 ** 0.5})
        one = self.evaluate({"output": {"s": {"$stdDevSamp": "$v"}}}, rows[:1])
        self.assertEqual(one[1], {"s": None})

    def test_range_window(self):
        rows = [{"_id": i, "k": k, "v": 1} for i, k in enumerate([1, 2, 2, 4, 7], 1)]
        result = self.evaluate({"sortBy": {"k": 1}, "output": {
            "near": {"$sum": "$v", "window": {"range": [-1, 1]}},
            "upto": {"$sum": "$v", "window": {"range": ["unbounded", 0]}},
            "after": {"$sum": "$v", "window": {"range": [1, 3]}},
        }}, rows)
        self.assertEqual({key: tuple(value.values()) for key, value in result.items()}, {
            1: (3, 1, 3), 2: (3, 3, 1), 3: (3, 3, 1), 4: (1, 4, 1), 5: (1, 5, 0),
        })

    def test_range_window_needs_numbers(self):
        rows = [{"_id": 1, "k": None, "v": 1}, {"_id": 2, "k": 1, "v": 1}]
        with self.assertRaisesRegex(ValueError, "a number is expected"):
            self.evaluate({"sortBy": {"k": 1}, "output": {"s": {"$sum": "$v", "window": {"range": [-1, 0]}}}}, rows)

    def test_range_window_over_dates_is_refused(self):
        rows = [{"_id": 1, "k": datetime.datetime(2020, 1, 1), "v": 1}]
        with self.assertRaises(ValueError):
            self.evaluate({"sortBy": {"k": 1}, "output": {"s": {"$sum": "$v", "window": {"range": [-1, 0]}}}}, rows)

    def test_push_and_min_by_bson_order(self):
        rows = [{"_id": 1, "v": "b"}, {"_id": 2, "v": 3}, {"_id": 3, "v": None}]
        result = self.evaluate({"sortBy": {"_id": 1}, "output": {
            "l": {"$push": "$v", "window": {"documents": ["unbounded", "current"]}},
            "lo": {"$min": "$v"}, "hi": {"$max": "$v"},
        }}, rows)
        self.assertEqual(result[3], {"l": ["b", 3, None], "lo": 3, "hi": "b"})

    def test_documents_of_field_paths(self):
        result = self.evaluate({"sortBy": {"_id": 1}, "output": {"l": {"$push": {"x": "$v", "i": "$_id"}}}},
                               [{"_id": 1, "v": 2}, {"_id": 2}])
        self.assertEqual(result[1]["l"], [{"x": 2, "i": 1}, {"x": None, "i": 2}])

    def test_refuses_what_djongo_does_not_write(self):
        for spec in (
            {"output": {"r": {"$rank": {}}}},
            {"output": {"s": {"$sum": {"$add": ["$v", 1]}}}},
            {"sortBy": {"k": -1}, "output": {"s": {"$sum": "$v", "window": {"range": [-1, 0]}}}},
            {"output": {"s": {"$shift": {"output": "$v", "by": 1, "default": "$v"}}}},
        ):
            with self.subTest(spec), self.assertRaises(ValueError):
                self.evaluate(spec)

    def test_ntile_formula_matches_sql(self):
        # The expression translate/windows.py writes, computed in Python.
        for count in range(1, 12):
            for buckets in range(1, 14):
                size, rest = math.floor(count / buckets), count % buckets
                big = rest * (size + 1)
                got = [
                    int((math.floor(r / (size + 1)) if r < big else rest + math.floor((r - big) / max(size, 1))) + 1)
                    for r in range(count)
                ]
                self.assertEqual(got, ntile(buckets, count), (buckets, count))
