"""
Each kind of predicate has two MongoDB forms, side by side in
translate/predicates/: the query filter a WHERE becomes and the aggregation
expression a computed condition becomes. Both must select the same rows
under SQL's three-valued logic, over NULL, missing fields and values,
negated or not. The expression form is forced by putting the condition in a
CASE, which only an expression can compute.

A column Django declares holds one type and no arrays (JSONField and
ArrayReferenceField values are compared by functions of their own). In
documents other programs wrote, an array or a value of another type in such
a column is compared as MongoDB compares it in each form: a filter matches
an array when an element matches, and compares only values of one type
(https://www.mongodb.com/docs/manual/reference/method/db.collection.find/#type-bracketing),
while an expression compares the whole value in BSON's order of types.
docs/how-it-works.md#null-logic says so; the last test pins it down.
"""
from django.db import connection
from django.test import TestCase

from djongo.sql2mongo import tree
from djongo.sql2mongo.translate.predicates.kinds import KINDS
from tests.integration.probes import expression, server_lacks

TABLE = "predicate_probe"
OTHER = "predicate_keys"
DOCUMENTS = [
    {"id": 1, "a": 1, "s": "apple", "b": True},
    {"id": 2, "a": 2, "s": "banana", "b": False},
    {"id": 3, "a": None, "s": None, "b": None},
    {"id": 4},  # every field missing
    {"id": 5, "a": 7, "s": "Apple pie", "b": True},
    {"id": 6, "a": 3, "s": "", "b": False},
]
# Values of other programs: an array, and text in a number column.
FOREIGN = [{"id": 8, "a": [1, 2], "s": ["apple"]}, {"id": 9, "a": "1"}]
KEYS = [{"id": 1, "k": 1}, {"id": 2, "k": 7}, {"id": 3, "k": None}]

# One condition per kind of predicate (tree's node classes), with %s
# parameters; each runs plain and under NOT.
CONDITIONS = {
    tree.Comparison: ['"t"."a" = %s', '"t"."a" <> %s', '"t"."a" < %s', '"t"."a" >= %s', '"t"."s" = %s'],
    tree.InList: ['"t"."a" IN (%s, %s)', '"t"."a" IN (%s, NULL)'],
    tree.Between: ['"t"."a" BETWEEN %s AND %s'],
    tree.Like: ['"t"."s" LIKE %s', '"t"."s" LIKE %s AND "t"."s" LIKE %s'],
    tree.Regex: ['"t"."s" REGEXP %s', '"t"."s" IREGEXP %s'],
    tree.IsNull: ['"t"."a" IS NULL', '"t"."s" IS NULL'],
    tree.IsTrue: ['"t"."b"'],
    tree.IsBoolean: ['"t"."b" IS TRUE', '"t"."b" IS FALSE', '"t"."b" IS NOT TRUE'],
    tree.InSubquery: [f'"t"."a" IN (SELECT "u"."k" FROM "{OTHER}" "u" WHERE "u"."k" IS NOT NULL)',
                      f'"t"."a" IN (SELECT "u"."k" FROM "{OTHER}" "u")'],
    tree.Exists: [f'EXISTS (SELECT 1 AS "x" FROM "{OTHER}" "u" WHERE "u"."k" = "t"."a")'],
    tree.And: ['("t"."a" = %s AND "t"."b")'],
    tree.Or: ['("t"."a" = %s OR "t"."s" IS NULL)'],
    tree.Not: ['NOT ("t"."a" = %s)'],
}
PARAMS = {
    '"t"."a" = %s': [1], '"t"."a" <> %s': [1], '"t"."a" < %s': [2], '"t"."a" >= %s': [2], '"t"."s" = %s': ["apple"],
    '"t"."a" IN (%s, %s)': [1, 7], '"t"."a" IN (%s, NULL)': [1], '"t"."a" BETWEEN %s AND %s': [1, 2],
    '"t"."s" LIKE %s': ["app%"], '"t"."s" LIKE %s AND "t"."s" LIKE %s': ["%p%", "%e"],
    '"t"."s" REGEXP %s': ["^a"], '"t"."s" IREGEXP %s': ["^a"],
    '("t"."a" = %s AND "t"."b")': [1], '("t"."a" = %s OR "t"."s" IS NULL)': [2], 'NOT ("t"."a" = %s)': [1],
}


class PredicateFormsTests(TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        database = connection.mongo_database
        database[TABLE].insert_many([dict(document) for document in DOCUMENTS])
        database[OTHER].insert_many([dict(key) for key in KEYS])

    @classmethod
    def tearDownClass(cls):
        connection.mongo_database.drop_collection(TABLE)
        connection.mongo_database.drop_collection(OTHER)
        super().tearDownClass()

    def ids(self, condition, params):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "t"."id" FROM "{TABLE}" "t" WHERE {condition} ORDER BY "t"."id"', params)
            return [row[0] for row in cursor.fetchall()]

    def test_every_kind_is_translated_both_ways(self):
        self.assertEqual(set(KINDS), set(CONDITIONS))
        for kind, forms in KINDS.items():
            with self.subTest(kind=kind.__name__):
                self.assertTrue(callable(forms.filter) and callable(forms.expression))

    def test_the_filter_and_the_expression_select_the_same_rows(self):
        regex_gap = server_lacks("$regexMatch", expression({"$regexMatch": {"input": "$a", "regex": "x"}}))
        for kind, conditions in CONDITIONS.items():
            if kind is tree.Regex and regex_gap:
                continue  # the expression form needs $regexMatch (MongoDB 4.2)
            for condition in conditions:
                params = PARAMS.get(condition, [])
                for sql in (condition, f"NOT ({condition})"):
                    with self.subTest(kind=kind.__name__, condition=sql):
                        by_filter = self.ids(sql, params)
                        by_expression = self.ids(f"CASE WHEN {sql} THEN 1 ELSE 0 END = 1", params)
                        self.assertEqual(by_filter, by_expression)

    def test_arrays_and_other_types_are_compared_as_mongodb_compares_them(self):
        connection.mongo_database[TABLE].insert_many([dict(document) for document in FOREIGN])
        try:
            # A filter matches an array by an element; an expression does not.
            self.assertEqual(self.ids('"t"."a" = %s', [1]), [1, 8])
            self.assertEqual(self.ids('CASE WHEN "t"."a" = %s THEN 1 ELSE 0 END = 1', [1]), [1])
            # A filter compares numbers with numbers only; an expression puts
            # text above every number.
            self.assertEqual(self.ids('"t"."a" > %s', [2]), [5, 6])
            self.assertEqual(self.ids('CASE WHEN "t"."a" > %s THEN 1 ELSE 0 END = 1', [2]), [5, 6, 8, 9])
        finally:
            connection.mongo_database[TABLE].delete_many({"id": {"$in": [document["id"] for document in FOREIGN]}})

    def test_a_subquery_runs_once_however_often_its_condition_uses_it(self):
        # The expression form of IN (subquery) reads its rows three times.
        condition = f'CASE WHEN "t"."a" IN (SELECT "u"."k" FROM "{OTHER}" "u") THEN 1 ELSE 0 END = 1'
        with self.assertLogs("djongo", "DEBUG") as logs:
            self.assertEqual(self.ids(condition, []), [1, 5])
        self.assertEqual(sum(f"db['{OTHER}'].find(" in line for line in logs.output), 1)

