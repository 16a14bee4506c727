"""The commands of an update to computed values on a server without update pipelines (computed_updates.py)."""
import unittest

from bson.int64 import Int64

from djongo.computed_updates import NEW, compare_and_set, read_pipeline
from djongo.exceptions import NotSupportedError

# Book.objects.filter(pages__gt=1).update(pages=F("pages") + 1, title=Upper("title")) on a nullable column
PIPELINE = [{"$addFields": {
    "pages": {"$add": ["$pages", {"$literal": 1}]},
    "title": {"$toUpper": "$title"},
}}]


class ReadPipelineTests(unittest.TestCase):

    def test_the_stored_document_with_the_new_values_beside(self):
        self.assertEqual(read_pipeline({"pages": {"$gt": 1}}, PIPELINE), [
            {"$match": {"pages": {"$gt": 1}}},
            {"$addFields": {NEW: {"v0": {"$add": ["$pages", {"$literal": 1}]}, "v1": {"$toUpper": "$title"}}}},
        ])

    def test_set_is_the_other_name_of_add_fields(self):
        # Each expression reads the stored document: SET a = b, b = a swaps.
        self.assertEqual(
            read_pipeline({}, [{"$set": {"a": "$b", "b": "$a"}}]),
            [{"$match": {}}, {"$addFields": {NEW: {"v0": "$b", "v1": "$a"}}}],
        )

    def test_values_stay_values(self):
        self.assertEqual(
            read_pipeline({}, [{"$addFields": {"a": 1, "b": True, "c": None, "d": "text", "e": [1, "$x"], "f": "$$NOW"}}]),
            [{"$match": {}}, {"$addFields": {NEW: {
                "v0": {"$literal": 1}, "v1": {"$literal": True}, "v2": {"$literal": None},
                "v3": {"$literal": "text"}, "v4": [1, "$x"], "v5": "$$NOW",
            }}}],
        )

    def test_subqueries_joined_before_and_removed_after(self):
        # SET n = (SELECT COUNT(*) FROM u WHERE u.t_id = t.id): the
        # expressions read the joined field, which the document read (and
        # the compare-and-set's filter made of it) does not hold.
        lookup = {"$lookup": {"from": "u", "let": {"o0": "$id"}, "pipeline": [], "as": "__sq1"}}
        combined = {"$addFields": {"__sq2": {"$setUnion": ["$__sq1", []]}}}
        pipeline = [{"$addFields": {"n": {"$size": "$__sq2"}}}]
        self.assertEqual(read_pipeline({"a": 1}, pipeline, stages=[lookup, combined]), [
            {"$match": {"a": 1}}, lookup, combined,
            {"$addFields": {NEW: {"v0": {"$size": "$__sq2"}}}},
            {"$project": {"__sq1": 0, "__sq2": 0}},
        ])
        with self.assertRaises(NotSupportedError):
            read_pipeline({}, pipeline, stages=[{"$group": {"_id": None}}])

    def test_refuses_what_it_cannot_read_as_one_stage_of_values(self):
        for pipeline in [
            [{"$addFields": {"a": {"b": "$c"}}}],  # merged into a under $addFields
            [{"$addFields": {"a": "$b"}}, {"$addFields": {"c": "$a"}}],
            [{"$project": {"a": 1}}],
            [{"$unset": "a"}],
        ]:
            with self.subTest(pipeline=pipeline), self.assertRaises(NotSupportedError):
                read_pipeline({}, pipeline)


class CompareAndSetTests(unittest.TestCase):

    def test_the_filter_matches_the_document_only_as_it_was_read(self):
        document = {"_id": 1, "pages": Int64(10), "title": "$a", NEW: {"v0": Int64(11), "v1": "$A"}}
        self.assertEqual(compare_and_set(document, ["pages", "title"]), (
            {"_id": {"$eq": 1}, "pages": {"$eq": Int64(10)}, "title": {"$eq": "$a"}},
            {"$set": {"pages": Int64(11), "title": "$A"}},
        ))

    def test_a_field_written_that_was_missing_must_still_be_missing(self):
        document = {"_id": 1, "a": {"x": []}, NEW: {"v0": 2, "v1": 3}}
        self.assertEqual(compare_and_set(document, ["n", "a.b"])[0], {
            "_id": {"$eq": 1}, "a": {"$eq": {"x": []}}, "n": {"$exists": False},
        })

    def test_a_missing_value_is_unset(self):
        # $addFields leaves a field whose expression is missing out of the document.
        _, update = compare_and_set({"_id": "x", "title": "a", NEW: {"v1": "A"}}, ["pages", "title"])
        self.assertEqual(update, {"$unset": {"pages": ""}, "$set": {"title": "A"}})

    def test_dotted_fields(self):
        self.assertEqual(compare_and_set({"_id": 1, "a": {"b": 1}, NEW: {"v0": 2}}, ["a.b"])[1], {"$set": {"a.b": 2}})
        self.assertEqual(compare_and_set({"_id": 2, "a": {}, NEW: {}}, ["a.b"])[1], {"$unset": {"a.b": ""}})
