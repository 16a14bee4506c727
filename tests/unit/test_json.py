"""JSONField key transforms and lookups: the SQL djongo/lookups.py writes, in; MongoDB, out (translate/jsonfield.py)."""
from bson.regex import Regex

from djongo.sql2mongo.binding import bind
from djongo.sql2mongo.commands import Aggregate
from djongo.sql2mongo.plans import get_plan
from djongo.sql2mongo.translate import jsonfield

from .base import TranslationTestCase

T = '"jsondata_record"'
SELECT_NAME = f'SELECT {T}."name" AS "name" FROM {T}'
ORDER = f' ORDER BY {T}."id" ASC'


def literal(value):
    return {"$literal": value}


def is_null(expression):
    return {"$eq": [{"$ifNull": [expression, None]}, None]}


def not_null(expression):
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


# data -> 'a' -> 'b': null where "data" or "data.a" is an array, whose
# elements' keys a MongoDB field path would otherwise read.
DATA_A_B = {"$cond": [{"$or": [{"$isArray": "$data"}, {"$isArray": "$data.a"}]}, None, "$data.a.b"]}


class KeyTransformTests(TranslationTestCase):

    def test_key_path_compared_to_a_value(self):
        # Record.objects.filter(data__a__b=1)
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT({T}.\"data\", 'a', 'b') = %s{ORDER}"
        self.assertBinds(sql, [1], {"$expr": {"$and": [
            {"$eq": [DATA_A_B, literal(1)]}, not_null(DATA_A_B), not_null(literal(1)),
        ]}})

    def test_parameter_stays_a_value(self):
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT({T}.\"data\", 'a') = %s{ORDER}"
        bound = self.command(sql)
        filter_ = bind(bound.filter, ({"$ne": 1},))
        self.assertIn({"$eq": [{"$cond": [{"$isArray": "$data"}, None, "$data.a"]}, literal({"$ne": 1})]},
                      filter_["$expr"]["$and"])

    def test_index_then_key_binds_the_element_with_let(self):
        # Record.objects.values("data__0__a"): MongoDB 4.4 reads a field of a
        # computed document through $let.
        sql = f"SELECT JSON_EXTRACT({T}.\"data\", 0, 'a') AS \"data__0__a\" FROM {T}{ORDER}"
        element = {"$cond": [{"$isArray": "$data"}, {"$arrayElemAt": ["$data", 0]}, "$data.0"]}
        self.assertTranslates(sql, [Aggregate(T.strip('"'), [
            {"$sort": {"id": 1}},
            {"$project": {"_id": 0, "c0": {"$let": {"vars": {"json0": element}, "in": {
                "$cond": [{"$isArray": "$$json0"}, None, "$$json0.a"],
            }}}}},
        ], ("c0",), ("data__0__a",))])

    def test_negative_index_counts_from_the_end(self):
        sql = f"SELECT JSON_EXTRACT({T}.\"data\", 'l', -1) AS \"x\" FROM {T}"
        command = self.command(sql)
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], {"$cond": [
            {"$isArray": "$data"}, None,
            {"$cond": [{"$isArray": "$data.l"}, {"$arrayElemAt": ["$data.l", -1]}, "$data.l.-1"]},
        ]})

    def test_order_by_key(self):
        # Record.objects.order_by("data__a")
        sql = f"{SELECT_NAME} ORDER BY JSON_EXTRACT({T}.\"data\", 'a') ASC"
        self.assertTranslates(sql, [Aggregate("jsondata_record", [
            {"$project": {"_id": 0, "c0": "$name", "__o0": {"$cond": [{"$isArray": "$data"}, None, "$data.a"]}}},
            {"$sort": {"__o0": 1}},
        ], ("c0",), ("name",))])

    def test_key_in_values(self):
        # Record.objects.filter(data__a__in=[1, "x"])
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT({T}.\"data\", 'a') IN (%s, %s){ORDER}"
        value = {"$cond": [{"$isArray": "$data"}, None, "$data.a"]}
        found = {"$cond": [{"$in": [value, literal([1, "x"])]}, True, False]}
        self.assertBinds(sql, [1, "x"], {"$expr": {"$eq": [{"$cond": [is_null(value), None, found]}, True]}})

    def test_whole_value_exact(self):
        # Record.objects.filter(data={"a": 1}): compared as a whole, so that
        # an array holding {"a": 1} is not equal to it.
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT({T}.\"data\") = %s{ORDER}"
        self.assertBinds(sql, [{"a": 1}], {"$expr": {"$and": [
            {"$eq": ["$data", literal({"a": 1})]}, not_null("$data"), not_null(literal({"a": 1})),
        ]}})

    def test_whole_value_selected(self):
        # Cast("content", JSONField()) of a column stored as JSON (a
        # JSONField, or Wagtail's StreamField, whose internal type is
        # "JSONField"): the stored value itself.
        command = self.command(f"SELECT JSON_EXTRACT({T}.\"content\") AS \"raw\" FROM {T}")
        self.assertEqual(command.pipeline, [{"$project": {"_id": 0, "c0": "$content"}}])
        self.assertEqual(command.decoders, ())

    def test_key_text(self):
        # Record.objects.annotate(t=KT("data__a")).values("t"): read as it is,
        # written as text in Python.
        sql = f"SELECT JSON_EXTRACT_TEXT({T}.\"data\", 'a') AS \"t\" FROM {T}{ORDER}"
        command = self.command(sql)
        self.assertEqual(command.pipeline[-1]["$project"]["c0"], {"$cond": [{"$isArray": "$data"}, None, "$data.a"]})
        self.assertEqual(command.decoders, (jsonfield.decode_text,))
        self.assertEqual([jsonfield.decode_text(v) for v in ("x", 7, True, None, {"b": [1]})],
                         ["x", "7", "true", None, '{"b": [1]}'])

    def test_key_text_in_like(self):
        # Record.objects.filter(data__a__startswith="x"): strings as they
        # are, other scalars through $toString.
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') LIKE %s{ORDER}"
        value = {"$cond": [{"$isArray": "$data"}, None, "$data.a"]}
        text = {"$cond": [
            {"$and": [{"$gte": [value, ""]}, {"$lt": [value, literal({})]}]},
            value,
            {"$cond": [is_null(value), None, {"$toString": value}]},
        ]}
        self.assertBinds(sql, ["x%"], {"$expr": {"$eq": [{"$cond": [
            is_null(text), None, {"$eq": [{"$substrCP": [text, 0, 1]}, literal("x")]},
        ]}, True]}})


def bound_filter(sql, params):
    return bind(get_plan(sql).commands[0].filter, tuple(params))


class HasKeyTests(TranslationTestCase):

    def test_has_key(self):
        # Record.objects.filter(data__has_key="a")
        sql = f"{SELECT_NAME} WHERE JSON_HAS_KEY({T}.\"data\", 'a'){ORDER}"
        self.assertBinds(sql, [], {"data": {"$not": {"$type": "array"}}, "data.a": {"$exists": True}})

    def test_has_key_after_an_index(self):
        # Record.objects.filter(data__0__has_key="a"): an index may read an array.
        sql = f"{SELECT_NAME} WHERE JSON_HAS_KEY({T}.\"data\", 0, 'a'){ORDER}"
        self.assertBinds(sql, [], {"data.0": {"$not": {"$type": "array"}}, "data.0.a": {"$exists": True}})

    def test_has_any_keys(self):
        sql = f"{SELECT_NAME} WHERE (JSON_HAS_KEY({T}.\"data\", 'a') OR JSON_HAS_KEY({T}.\"data\", 'b')){ORDER}"
        self.assertBinds(sql, [], {"$or": [
            {"data": {"$not": {"$type": "array"}}, "data.a": {"$exists": True}},
            {"data": {"$not": {"$type": "array"}}, "data.b": {"$exists": True}},
        ]})

    def test_key_isnull(self):
        # Record.objects.filter(data__a__isnull=True): the key is absent.
        sql = f"{SELECT_NAME} WHERE NOT JSON_HAS_KEY({T}.\"data\", 'a'){ORDER}"
        self.assertBinds(sql, [], {"$or": [{"data": {"$type": "array"}}, {"data.a": {"$exists": False}}]})

    def test_json_null(self):
        # Record.objects.filter(data__n=None): the key holds null.
        sql = (f"{SELECT_NAME} WHERE (JSON_HAS_KEY({T}.\"data\", 'n') AND "
               f"JSON_EXTRACT({T}.\"data\", 'n') IS NULL){ORDER}")
        value = {"$cond": [{"$isArray": "$data"}, None, "$data.n"]}
        self.assertBinds(sql, [], {"$and": [
            {"data": {"$not": {"$type": "array"}}, "data.n": {"$exists": True}},
            {"$expr": {"$eq": [is_null(value), True]}},
        ]})

    def test_has_key_in_an_expression_uses_type(self):
        # $type tells a missing key from one holding null.
        sql = f"SELECT CASE WHEN JSON_HAS_KEY({T}.\"data\", 'a') THEN 1 ELSE 0 END AS \"h\" FROM {T}"
        project = self.command(sql).pipeline[-1]["$project"]["c0"]
        has_key = {"$ne": [{"$type": {"$cond": [{"$isArray": "$data"}, None, "$data.a"]}}, "missing"]}
        self.assertEqual(project, {"$cond": [{"$eq": [has_key, True]}, literal(1), literal(0)]})


class ContainsTests(TranslationTestCase):

    def test_contains_is_built_from_the_bound_value(self):
        # Record.objects.filter(data__contains={"a": "b"})
        sql = f"{SELECT_NAME} WHERE JSON_CONTAINS({T}.\"data\", %s){ORDER}"
        self.assertBinds(sql, [{"a": "b"}], {"$expr": {"$eq": [{"$cond": [is_null("$data"), None, {"$and": [
            jsonfield.is_object("$data"), {"$eq": ["$data.a", literal("b")]},
        ]}]}, True]}})

    def test_contains_scalar_at_the_top(self):
        # An array contains a scalar that is one of its elements.
        sql = f"{SELECT_NAME} WHERE JSON_CONTAINS({T}.\"data\", %s){ORDER}"
        self.assertBinds(sql, ["x"], {"$expr": {"$eq": [{"$cond": [is_null("$data"), None, {"$or": [
            {"$eq": ["$data", literal("x")]},
            {"$in": [literal("x"), {"$cond": [{"$isArray": "$data"}, "$data", []]}]},
        ]}]}, True]}})

    def test_contains_under_a_key(self):
        # Record.objects.filter(data__l__contains=[2])
        sql = f"{SELECT_NAME} WHERE JSON_CONTAINS(JSON_EXTRACT({T}.\"data\", 'l'), %s){ORDER}"
        self.assertBinds(sql, [[2]], {"$expr": {"$eq": [{"$cond": [is_null("$data.l"), None, {"$and": [
            {"$not": [{"$isArray": "$data"}]},
            {"$and": [
                {"$isArray": "$data.l"},
                {"$in": [literal(2), {"$cond": [{"$isArray": "$data.l"}, "$data.l", []]}]},
            ]},
        ]}]}, True]}})

    def test_contained_by(self):
        # Record.objects.filter(data__contained_by={"a": [1]})
        sql = f"{SELECT_NAME} WHERE JSON_CONTAINS(%s, {T}.\"data\"){ORDER}"
        filter_ = bound_filter(sql, [{"a": [1]}])
        test = filter_["$expr"]["$eq"][0]["$cond"][2]
        own_keys = {"$map": {"input": {"$objectToArray": {"$cond": [jsonfield.is_object("$data"), "$data", literal({})]}},
                             "in": "$$this.k"}}
        self.assertEqual(test, {"$and": [
            jsonfield.is_object("$data"),
            {"$setIsSubset": [own_keys, literal(["a"])]},
            {"$or": [
                {"$not": [{"$in": [literal("a"), own_keys]}]},
                {"$and": [{"$isArray": "$data.a"}, {"$setIsSubset": [
                    {"$cond": [{"$isArray": "$data.a"}, "$data.a", []]}, literal([1]),
                ]}]},
            ]},
        ]})

    def test_contains_of_two_expressions_is_refused(self):
        self.assertUnsupported(
            f"{SELECT_NAME} WHERE JSON_CONTAINS({T}.\"data\", JSON_EXTRACT({T}.\"data\", 'a'))",
            "JSON_CONTAINS() of two computed values",
        )


class RefusedTests(TranslationTestCase):

    def test_keys_a_field_path_cannot_name(self):
        for key in ("a.b", "$where", ""):
            with self.subTest(key=key):
                self.assertUnsupported(
                    f"{SELECT_NAME} WHERE JSON_HAS_KEY({T}.\"data\", '{key}')",
                    f"JSON key {key!r} (a key that is empty, contains '.' or starts with '$')",
                )

    def test_contains_value_with_such_a_key_is_refused_when_bound(self):
        sql = f"{SELECT_NAME} WHERE JSON_CONTAINS({T}.\"data\", %s)"
        from djongo.exceptions import SQLDecodeError
        with self.assertRaisesRegex(SQLDecodeError, r"JSON key '\$gt'"):
            bound_filter(sql, [{"$gt": 1}])

    def test_key_given_as_a_parameter_is_refused(self):
        self.assertUnsupported(
            f"{SELECT_NAME} WHERE JSON_HAS_KEY({T}.\"data\", %s)",
            "JSON_HAS_KEY() with a key that is not a constant",
        )

    def test_whole_field_as_text(self):
        # Record.objects.filter(data__icontains="x")
        self.assertUnsupported(
            f"{SELECT_NAME} WHERE JSON_TEXT({T}.\"data\") ILIKE %s",
            "JSON_TEXT(): a whole JSONField as text (icontains on a JSONField)",
        )


class JSONArrayTests(TranslationTestCase):

    def test_array_of_values(self):
        # Author.objects.annotate(a=JSONArray(Value("name"), F("name")))
        sql = 'SELECT JSON_ARRAY(%s, "app_author"."name") AS "a" FROM "app_author"'
        self.assertBinds(sql, ["name"], [{"$project": {"_id": 0, "c0": [literal("name"), "$name"]}}])

    def test_empty_array(self):
        sql = 'SELECT JSON_ARRAY() AS "a" FROM "app_author"'
        self.assertBinds(sql, [], [{"$project": {"_id": 0, "c0": literal([])}}])


def data_path(*steps):
    """The expression JSON_EXTRACT("data", *steps) becomes, for keys only."""
    path, guards = "$data", []
    for step in steps:
        guards.append({"$isArray": path})
        path = f"{path}.{step}"
    return {"$cond": [guards[0] if len(guards) == 1 else {"$or": guards}, None, path]}


class JSONObjectTests(TranslationTestCase):

    def test_object_of_values(self):
        # Record.objects.annotate(obj=JSONObject(name=Lower("name"), a="data__a", price=Value(2.5))).values("obj")
        sql = (f"SELECT JSON_OBJECT('name', LOWER({T}.\"name\"), 'a', JSON_EXTRACT({T}.\"data\", 'a'), "
               f"'price', %s) AS \"obj\" FROM {T}{ORDER}")
        lower = {"$cond": [is_null("$name"), None, {"$toLower": "$name"}]}
        self.assertBinds(sql, [2.5], [
            {"$sort": {"id": 1}},
            {"$project": {"_id": 0, "c0": {"$mergeObjects": [{
                # A missing value would leave its key out: null keeps it.
                "name": {"$ifNull": [lower, None]},
                "a": {"$ifNull": [data_path("a"), None]},
                "price": literal(2.5),
            }]}}},
        ])

    def test_keys_keep_their_order(self):
        sql = f"SELECT JSON_OBJECT('b', {T}.\"name\", 'a', {T}.\"id\") AS \"obj\" FROM {T}"
        project = self.command(sql).pipeline[-1]["$project"]
        self.assertEqual(list(project["c0"]["$mergeObjects"][0]), ["b", "a"])

    def test_empty_and_nested(self):
        # JSONObject(n=JSONObject(name="name"), e=JSONObject())
        sql = f"SELECT JSON_OBJECT('n', JSON_OBJECT('name', {T}.\"name\"), 'e', JSON_OBJECT()) AS \"obj\" FROM {T}"
        self.assertBinds(sql, [], [{"$project": {"_id": 0, "c0": {"$mergeObjects": [{
            "n": {"$mergeObjects": [{"name": {"$ifNull": ["$name", None]}}]},
            "e": literal({}),
        }]}}}])

    def test_arrays_and_null_inside(self):
        sql = f"SELECT JSON_OBJECT('l', JSON_ARRAY({T}.\"name\"), 'z', NULL) AS \"obj\" FROM {T}"
        self.assertBinds(sql, [], [{"$project": {"_id": 0, "c0": {"$mergeObjects": [{
            "l": ["$name"], "z": literal(None),
        }]}}}])

    def test_order_by_a_key_reads_the_value_written_for_it(self):
        # Record.objects.annotate(obj=JSONObject(n=JSONObject(name="name"), e=JSONObject())).order_by("-obj__n__name")
        sql = (f"{SELECT_NAME} ORDER BY JSON_EXTRACT(JSON_OBJECT('n', JSON_OBJECT('name', {T}.\"name\"), "
               f"'e', JSON_OBJECT()), 'n', 'name') DESC")
        self.assertTranslates(sql, [Aggregate("jsondata_record", [
            {"$project": {"_id": 0, "c0": "$name", "__o0": "$name"}},
            {"$sort": {"__o0": -1}},
        ], ("c0",), ("name",))])

    def test_keys_past_the_object_continue_as_a_path(self):
        sql = f"SELECT JSON_EXTRACT(JSON_OBJECT('d', {T}.\"data\"), 'd', 'a') AS \"x\" FROM {T}"
        self.assertEqual(self.command(sql).pipeline[-1]["$project"]["c0"], data_path("a"))

    def test_key_the_object_lacks_is_null(self):
        sql = f"SELECT JSON_EXTRACT(JSON_OBJECT('a', {T}.\"name\"), 'b') AS \"x\" FROM {T}"
        self.assertEqual(self.command(sql).pipeline[-1]["$project"]["c0"], literal(None))

    def test_has_key_of_an_object(self):
        for key, found in (("a", True), ("b", False)):
            with self.subTest(key=key):
                sql = f"SELECT JSON_HAS_KEY(JSON_OBJECT('a', NULL), '{key}') AS \"x\" FROM {T}"
                self.assertEqual(self.command(sql).pipeline[-1]["$project"]["c0"], literal(found))

    def test_keys_a_field_name_cannot_be_are_refused(self):
        for key in ("a.b", "$where", ""):
            with self.subTest(key=key):
                self.assertUnsupported(
                    f"SELECT JSON_OBJECT('{key}', {T}.\"name\") AS \"obj\" FROM {T}",
                    f"JSON key {key!r} (a key that is empty, contains '.' or starts with '$')",
                )

    def test_malformed_objects_are_refused(self):
        for args, message in (
            ("%s, \"name\"", "JSON_OBJECT() with a key that is not a string constant"),
            ("1, \"name\"", "JSON_OBJECT() with a key that is not a string constant"),
            ("'a', \"name\", 'a', \"id\"", "JSON_OBJECT() with the key 'a' twice"),
            ("'a'", "JSON_OBJECT() with 1 arguments (a key without a value)"),
        ):
            with self.subTest(args=args):
                self.assertUnsupported(f"SELECT JSON_OBJECT({args}) AS \"obj\" FROM {T}", message)


class FoldedPathTests(TranslationTestCase):

    def test_path_of_a_path_is_one_path(self):
        # Cast(F("data__d"), JSONField()) with __1: JSON_EXTRACT(x) is x itself.
        sql = f"SELECT JSON_EXTRACT(JSON_EXTRACT(JSON_EXTRACT({T}.\"data\", 'd')), 1) AS \"x\" FROM {T}"
        same = f"SELECT JSON_EXTRACT({T}.\"data\", 'd', 1) AS \"x\" FROM {T}"
        self.assertEqual(self.commands(sql), self.commands(same))

    def test_index_of_an_array(self):
        # Author.objects.annotate(arr=JSONArray(F("name"), F("id"))).order_by("arr__1")
        for index, expected in ((0, "$name"), (1, "$id"), (-1, "$id"), (2, literal(None))):
            with self.subTest(index=index):
                sql = f"SELECT JSON_EXTRACT(JSON_ARRAY({T}.\"name\", {T}.\"id\"), {index}) AS \"x\" FROM {T}"
                self.assertEqual(self.command(sql).pipeline[-1]["$project"]["c0"], expected)

    def test_key_of_an_array_is_null(self):
        sql = f"SELECT JSON_EXTRACT(JSON_ARRAY(JSON_OBJECT('a', {T}.\"name\")), 'a') AS \"x\" FROM {T}"
        self.assertEqual(self.command(sql).pipeline[-1]["$project"]["c0"], literal(None))


class KeyRegexTests(TranslationTestCase):

    def test_regex_on_a_key(self):
        # Record.objects.filter(data__a__regex="^a")
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') REGEXP %s{ORDER}"
        found = data_path("a")
        text = {"$cond": [
            {"$and": [{"$gte": [found, ""]}, {"$lt": [found, literal({})]}]},
            found,
            {"$cond": [is_null(found), None, {"$toString": found}]},
        ]}
        # The key's text, matched with $regexMatch as any computed text is.
        self.assertBinds(sql, ["^a"], {"$expr": {"$eq": [{"$cond": [is_null(text), None, {"$regexMatch": {
            "input": {"$toString": text}, "regex": Regex("^a", ""),
        }}]}, True]}})

    def test_iregex_carries_its_option_in_the_regex(self):
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') IREGEXP %s{ORDER}"
        match = bound_filter(sql, ["^a"])["$expr"]["$eq"][0]["$cond"][2]["$regexMatch"]
        self.assertEqual(match["regex"], Regex("^a", "i"))

    def test_pattern_is_a_regex_value_never_a_field_path(self):
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') REGEXP %s{ORDER}"
        match = bound_filter(sql, ["$name"])["$expr"]["$eq"][0]["$cond"][2]["$regexMatch"]
        self.assertEqual(match["regex"], Regex("$name", ""))

    def test_negated_is_unknown_on_null(self):
        # exclude(data__a__regex="^a")
        sql = (f"{SELECT_NAME} WHERE NOT (JSON_EXTRACT_TEXT({T}.\"data\", 'a') REGEXP %s "
               f"AND {T}.\"data\" IS NOT NULL){ORDER}")
        self.assertIn("$regexMatch", str(bound_filter(sql, ["^a"])))

    def test_pattern_that_is_not_a_value_is_an_expression(self):
        # filter(data__a__regex=F("name")): the column's text is the pattern.
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') REGEXP ({T}.\"name\")"
        self.assertIn("'regex': {'$toString': '$name'}", str(bound_filter(sql, [])))

    def test_pattern_that_is_not_text_is_refused_when_bound(self):
        from djongo.exceptions import SQLDecodeError
        sql = f"{SELECT_NAME} WHERE JSON_EXTRACT_TEXT({T}.\"data\", 'a') REGEXP %s"
        with self.assertRaisesRegex(SQLDecodeError, "regular expression of type dict"):
            bound_filter(sql, [{"$ne": 1}])


class CastToJSONTests(TranslationTestCase):

    def test_cast_of_a_value_that_is_not_json_is_refused(self):
        # Record.objects.annotate(j=Cast("name", JSONField())): Django writes JSON_CAST (djongo/lookups.py).
        self.assertUnsupported(
            f"SELECT JSON_CAST({T}.\"name\") AS \"j\" FROM {T}",
            "JSON_CAST(): CAST to JSONField of a value that is not JSON; MongoDB 4.4 cannot parse JSON text",
        )
