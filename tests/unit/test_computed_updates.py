"""The commands of an update to computed values on a server without update pipelines (computed_updates.py)."""
import unittest

from bson.int64 import Int64
from pymongo import UpdateOne

from djongo.computed_updates import read_pipeline, write_requests
from djongo.exceptions import NotSupportedError

# Book.objects.filter(pages__gt=1).update(pages=F("pages") + 1, title=Upper("title")) on a nullable column
PIPELINE = [{"$addFields": {
    "pages": {"$add": ["$pages", {"$literal": 1}]},
    "title": {"$toUpper": "$title"},
}}]


class ReadPipelineTests(unittest.TestCase):

    def test_same_filter_and_expressions_keyed_by_id(self):
        self.assertEqual(read_pipeline({"pages": {"$gt": 1}}, PIPELINE), [
            {"$match": {"pages": {"$gt": 1}}},
            {"$project": {"_id": 1, "pages": {"$add": ["$pages", {"$literal": 1}]}, "title": {"$toUpper": "$title"}}},
        ])

    def test_set_is_the_other_name_of_add_fields(self):
        self.assertEqual(
            read_pipeline({}, [{"$set": {"a": "$b", "b": "$a"}}]),
            [{"$match": {}}, {"$project": {"_id": 1, "a": "$b", "b": "$a"}}],
        )

    def test_values_stay_values_under_project(self):
        # {"a": 1} sets 1 under $addFields and includes a field under $project.
        self.assertEqual(
            read_pipeline({}, [{"$addFields": {"a": 1, "b": True, "c": None, "d": "text", "e": [1, "$x"], "f": "$$NOW"}}]),
            [{"$match": {}}, {"$project": {
                "_id": 1, "a": {"$literal": 1}, "b": {"$literal": True}, "c": {"$literal": None},
                "d": {"$literal": "text"}, "e": [1, "$x"], "f": "$$NOW",
            }}],
        )

    def test_refuses_what_project_reads_otherwise(self):
        for pipeline in [
            [{"$addFields": {"a": {"b": "$c"}}}],  # merged into a under $addFields
            [{"$addFields": {"a": "$b"}}, {"$addFields": {"c": "$a"}}],
            [{"$project": {"a": 1}}],
            [{"$unset": "a"}],
        ]:
            with self.subTest(pipeline=pipeline), self.assertRaises(NotSupportedError):
                read_pipeline({}, pipeline)


class WriteRequestsTests(unittest.TestCase):

    def test_one_update_per_document_by_id(self):
        documents = [
            {"_id": 1, "pages": Int64(11), "title": "A"},
            {"_id": 2, "pages": None, "title": "B"},
        ]
        self.assertEqual(write_requests(documents, ["pages", "title"]), [
            UpdateOne({"_id": 1}, {"$set": {"pages": Int64(11), "title": "A"}}),
            UpdateOne({"_id": 2}, {"$set": {"pages": None, "title": "B"}}),
        ])

    def test_a_missing_value_is_unset(self):
        # $addFields leaves a field whose expression is missing out of the document.
        self.assertEqual(
            write_requests([{"_id": "x", "title": "A"}], ["pages", "title"]),
            [UpdateOne({"_id": "x"}, {"$unset": {"pages": ""}, "$set": {"title": "A"}})],
        )

    def test_dotted_fields(self):
        self.assertEqual(
            write_requests([{"_id": 1, "a": {"b": 2}}, {"_id": 2, "a": {}}], ["a.b"]),
            [UpdateOne({"_id": 1}, {"$set": {"a.b": 2}}), UpdateOne({"_id": 2}, {"$unset": {"a.b": ""}})],
        )
        with self.assertRaises(NotSupportedError):
            write_requests([{"_id": 1, "a": [{"b": 2}]}], ["a.b"])
