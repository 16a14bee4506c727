"""
The SQL of ObjectIdField and ArrayReferenceField models (translate/dml.py,
translate/ddl.py), as Django 5.2 compiles it for the models in
tests/integration/objectids/models.py.
"""
from bson import ObjectId

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo.binding import Slot, bind
from djongo.sql2mongo.commands import CreateCollection, CreateIndex, InsertMany, UpdateMany
from djongo.sql2mongo.translate.values import equal_to

from .base import TranslationTestCase

ENTRY_ID = ObjectId("0123456789abcdef01234567")


class ObjectIdPrimaryKeyTests(TranslationTestCase):

    def test_create_table_has_no_sequence(self):
        # An ObjectIdField column has no AUTOINCREMENT: MongoDB makes _id. The
        # primary key index on _id is skipped by the executor (MongoDB has one).
        self.assertTranslates(
            'CREATE TABLE "objectids_publisher" ("_id" objectid NOT NULL PRIMARY KEY, "name" string NOT NULL);',
            [CreateCollection("objectids_publisher"),
             CreateIndex("objectids_publisher", (("_id", 1),), "objectids_publisher__id_pk", unique=True)],
        )

    def test_insert_returns_the_id(self):
        # Publisher.objects.create(name="x"): Django leaves the pk out and
        # asks for it back; the executor returns the _id pymongo adds.
        self.assertTranslates(
            'INSERT INTO "objectids_publisher" ("name") VALUES (%s) RETURNING "objectids_publisher"."_id"',
            [InsertMany("objectids_publisher", ("name",), rows=((Slot(0),),), returning=("_id",))],
        )

    def test_get_by_pk_binds_the_object_id_as_a_value(self):
        self.assertBinds(
            'SELECT "objectids_publisher"."_id", "objectids_publisher"."name" FROM "objectids_publisher" '
            'WHERE "objectids_publisher"."_id" = %s ORDER BY "objectids_publisher"."_id" ASC LIMIT 1',
            [ENTRY_ID], {"_id": ENTRY_ID},
        )


class ArrayChangeTests(TranslationTestCase):

    def test_array_append_is_add_to_set_each(self):
        # entry.authors.add(a, b)
        sql = ('UPDATE "objectids_entry" SET "authors" = ARRAY_APPEND("authors", %s) '
               'WHERE "objectids_entry"."_id" = %s')
        self.assertIsInstance(self.command(sql), UpdateMany)
        self.assertBinds(sql, [[1, 2], ENTRY_ID], {"$addToSet": {"authors": {"$each": [1, 2]}}})
        self.assertBinds(sql, [[1, 2], ENTRY_ID], {"_id": ENTRY_ID}, part="filter")

    def test_array_parameter_must_be_a_list(self):
        sql = 'UPDATE "objectids_entry" SET "authors" = ARRAY_APPEND("authors", %s)'
        with self.assertRaises(SQLDecodeError):
            bind(self.command(sql).update, (1,))

    def test_array_remove_is_pull_in(self):
        # entry.authors.remove(a)
        sql = ('UPDATE "objectids_entry" SET "authors" = ARRAY_REMOVE("authors", %s) '
               'WHERE "objectids_entry"."_id" = %s')
        self.assertBinds(sql, [[1], ENTRY_ID], {"$pull": {"authors": {"$in": [1]}}})
        self.assertBinds(sql, [[1], ENTRY_ID], {"_id": ENTRY_ID}, part="filter")

    def test_pull_on_delete_matches_arrays_holding_the_key(self):
        # author.delete() with on_delete=PULL
        sql = ('UPDATE "objectids_entry" SET "authors" = ARRAY_REMOVE("authors", %s) '
               'WHERE "objectids_entry"."authors" IN (%s)')
        self.assertBinds(sql, [[2], 2], {"$pull": {"authors": {"$in": [2]}}})
        self.assertBinds(sql, [[2], 2], {"authors": {"$in": [2]}}, part="filter")

    def test_array_values_stay_values(self):
        # A value that looks like an operator is an element to add, not an operator.
        sql = 'UPDATE "objectids_entry" SET "tags" = ARRAY_APPEND("tags", %s) WHERE "objectids_entry"."_id" = %s'
        self.assertBinds(sql, [[{"$ne": 1}], ENTRY_ID], {"$addToSet": {"tags": {"$each": [{"$ne": 1}]}}})

    def test_with_other_assignments(self):
        sql = ('UPDATE "objectids_entry" SET "headline" = %s, "authors" = ARRAY_REMOVE("authors", %s), '
               '"tags" = ARRAY_APPEND("tags", %s)')
        self.assertBinds(sql, ["h", [1], [ENTRY_ID]], {
            "$pull": {"authors": {"$in": [1]}},
            "$addToSet": {"tags": {"$each": [ENTRY_ID]}},
            "$set": {"headline": "h"},
        })

    def test_unsupported_shapes(self):
        self.assertUnsupported(
            'UPDATE "objectids_entry" SET "authors" = ARRAY_APPEND("tags", %s)', "ARRAY_APPEND() other than",
        )
        self.assertUnsupported(
            'UPDATE "objectids_entry" SET "authors" = ARRAY_REMOVE("authors")', "ARRAY_REMOVE() other than",
        )
        self.assertUnsupported(
            'UPDATE "objectids_entry" SET "authors" = ARRAY_APPEND("authors", %s), "n" = "n" + 1',
            "ARRAY_APPEND or ARRAY_REMOVE with a computed value",
        )


def holds(array, key):
    return {"$cond": [{"$isArray": array}, {"$in": [key, array]}, {"$eq": [array, key]}]}


def not_null(expression):
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


class ArrayHoldsTests(TranslationTestCase):
    """ARRAY_HOLDS(array, key): ArrayReferenceField's comparison with another column."""

    def test_exclude_across_the_reverse_join(self):
        # Author.objects.exclude(entry__headline="One")
        command = self.command(
            'SELECT "objectids_author"."id", "objectids_author"."name" FROM "objectids_author" WHERE NOT '
            '(EXISTS(SELECT %s AS "a" FROM "objectids_entry" U1 WHERE (U1."headline" = %s AND '
            'ARRAY_HOLDS(U1."authors", ("objectids_author"."id"))) LIMIT 1))'
        )
        lookup = command.pipeline[0]["$lookup"]
        self.assertEqual(lookup["let"], {"o0": {"$ifNull": ["$id", None]}})
        self.assertEqual(lookup["pipeline"][0], {"$match": {"$and": [
            {"headline": Slot(1, equal_to)},
            {"$expr": {"$and": [holds("$authors", "$$o0"), not_null("$authors"), not_null("$$o0")]}},
        ]}})
        self.assertEqual(command.pipeline[1], {"$match": {"__sq1.0": {"$exists": False}}})

    def test_negated(self):
        # NOT ARRAY_HOLDS is FALSE-or-UNKNOWN aware: a NULL side matches neither way.
        self.assertBinds(
            'SELECT "objectids_entry"."_id" FROM "objectids_entry" '
            'WHERE NOT ARRAY_HOLDS("objectids_entry"."authors", "objectids_entry"."first_author")',
            [], {"$expr": {"$and": [
                {"$not": [holds("$authors", "$first_author")]}, not_null("$authors"), not_null("$first_author"),
            ]}},
        )

    def test_as_a_value(self):
        command = self.command(
            'SELECT ARRAY_HOLDS("objectids_entry"."authors", "objectids_entry"."first_author") AS "h" '
            'FROM "objectids_entry"'
        )
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], {"$cond": [
            {"$and": [not_null("$authors"), not_null("$first_author")]},
            holds("$authors", "$first_author"), None,
        ]})

    def test_arguments(self):
        self.assertUnsupported(
            'SELECT "objectids_entry"."_id" FROM "objectids_entry" WHERE ARRAY_HOLDS("objectids_entry"."authors")',
            "ARRAY_HOLDS() with 1 arguments",
        )
