"""WHERE conditions: SQL condition in, MongoDB query filter out (translate/where.py)."""
from bson.regex import Regex

from djongo.sql2mongo.binding import Build, Slot, member
from djongo.sql2mongo.commands import Find
from djongo.sql2mongo.translate.values import equal_to, ilike_regex, like_regex
from djongo.sql2mongo.translate.predicates.membership import _not_in_values

from .base import MATCH_NONE, TranslationTestCase

# Django's select of Author with a WHERE clause appended.
SELECT = 'SELECT "app_author"."id", "app_author"."name" FROM "app_author" WHERE '
AGE = '"app_author"."age"'
NAME = '"app_author"."name"'
ACTIVE = '"app_author"."is_active"'


class WhereTestCase(TranslationTestCase):

    def filter_of(self, where):
        command = self.command(SELECT + where)
        self.assertIsInstance(command, Find)
        return command.filter

    def assertFilter(self, where, expected):
        """``SELECT ... WHERE <where>`` finds with exactly ``expected`` as its filter."""
        self.assertEqual(self.filter_of(where), expected)

    def assertFilterBinds(self, where, params, expected):
        self.assertBinds(SELECT + where, params, expected)


class ComparisonTests(WhereTestCase):

    def test_whole_find_command(self):
        self.assertTranslates(SELECT + f"{NAME} = %s", [Find(
            "app_author",
            filter={"name": Slot(0, equal_to)},
            projection={"_id": 0, "id": 1, "name": 1},
            columns=("id", "name"),
            names=("id", "name"),
        )])

    def test_operators(self):
        for where, expected in [
            (f"{AGE} = %s", {"age": Slot(0, equal_to)}),
            (f"{AGE} < %s", {"age": {"$lt": Slot(0)}}),
            (f"{AGE} <= %s", {"age": {"$lte": Slot(0)}}),
            (f"{AGE} > %s", {"age": {"$gt": Slot(0)}}),
            (f"{AGE} >= %s", {"age": {"$gte": Slot(0)}}),
            # <> is UNKNOWN for a NULL column, so NULL rows must not match.
            (f"{AGE} <> %s", {"age": {"$nin": [Slot(0, member), None]}}),
            (f"{AGE} != %s", {"age": {"$nin": [Slot(0, member), None]}}),
            (f"{AGE} = 5", {"age": 5}),
            (f"{AGE} > -5", {"age": {"$gt": -5}}),
            (f"{NAME} = 'it''s'", {"name": "it's"}),
            (f"{ACTIVE} = TRUE", {"is_active": True}),
        ]:
            with self.subTest(where=where):
                self.assertFilter(where, expected)

    def test_value_on_the_left_is_flipped(self):
        for where, expected in [
            (f"%s < {AGE}", {"age": {"$gt": Slot(0)}}),
            (f"%s <= {AGE}", {"age": {"$gte": Slot(0)}}),
            (f"%s > {AGE}", {"age": {"$lt": Slot(0)}}),
            (f"%s >= {AGE}", {"age": {"$lte": Slot(0)}}),
            (f"%s = {AGE}", {"age": Slot(0, equal_to)}),
        ]:
            with self.subTest(where=where):
                self.assertFilter(where, expected)

    def test_comparison_with_null_is_never_true(self):
        self.assertFilter(f"{AGE} = NULL", MATCH_NONE)
        self.assertFilter(f"{AGE} <> NULL", MATCH_NONE)
        self.assertFilter(f"NOT ({AGE} = NULL)", MATCH_NONE)

    def test_constant_conditions(self):
        self.assertFilter("1 = 1", {})
        self.assertFilter("1 = 0", MATCH_NONE)
        self.assertFilter("NOT (1 = 0)", {})
        self.assertFilter("NULL = NULL", MATCH_NONE)

    def test_column_compared_to_column_uses_expr_and_excludes_nulls(self):
        # Django's filter(age__gt=F("id")).
        not_null = lambda path: {"$ne": [{"$ifNull": [path, None]}, None]}  # noqa: E731
        self.assertFilter(f'{AGE} > ("app_author"."id")', {"$expr": {"$and": [
            {"$gt": ["$age", "$id"]}, not_null("$age"), not_null("$id"),
        ]}})
        self.assertFilter(f'NOT ({AGE} = "app_author"."id")', {"$expr": {"$and": [
            {"$ne": ["$age", "$id"]}, not_null("$age"), not_null("$id"),
        ]}})

    def test_column_compared_to_parameter_expression(self):
        self.assertFilter(f"{AGE} = (%s + 1)", {"$expr": {"$and": [
            {"$eq": ["$age", {"$add": [{"$literal": Slot(0)}, {"$literal": 1}]}]},
            {"$ne": [{"$ifNull": ["$age", None]}, None]},
            {"$ne": [{"$ifNull": [{"$add": [{"$literal": Slot(0)}, {"$literal": 1}]}, None]}, None]},
        ]}})


class InBetweenNullTests(WhereTestCase):

    def test_in_list(self):
        # A parameter may be NULL, which matches nothing: the list is made when bound.
        self.assertFilterBinds(f"{AGE} IN (%s, %s, %s)", [1, 2, 3], {"age": {"$in": [1, 2, 3]}})
        self.assertFilterBinds(f"{AGE} IN (%s, %s, %s)", [1, None, 3], {"age": {"$in": [1, 3]}})
        self.assertFilter(f"{AGE} IN (1, 2)", {"age": {"$in": [1, 2]}})

    def test_null_in_an_in_list_never_matches(self):
        self.assertFilter(f"{AGE} IN (1, NULL)", {"age": {"$in": [1]}})
        self.assertFilter(f"{AGE} IN (NULL)", MATCH_NONE)

    def test_not_in_list_excludes_nulls(self):
        self.assertFilterBinds(f"{AGE} NOT IN (%s, %s)", [1, 2], {"age": {"$nin": [1, 2, None]}})
        self.assertFilterBinds(f"NOT ({AGE} IN (%s, %s))", [1, 2], {"age": {"$nin": [1, 2, None]}})
        # x NOT IN (1, NULL) is never TRUE, whether the NULL is written or bound.
        self.assertFilterBinds(f"{AGE} NOT IN (%s, %s)", [1, None], {"age": {"$in": []}})

    def test_django_exclude_in(self):
        # Author.objects.exclude(age__in=[1, 2, 3]): a NULL age is kept.
        self.assertFilterBinds(
            f"NOT ({AGE} IN (%s, %s, %s) AND {AGE} IS NOT NULL)", [1, 2, 3],
            {"$or": [{"age": {"$nin": [1, 2, 3, None]}}, {"age": None}]},
        )

    def test_not_in_list_containing_null_matches_nothing(self):
        # x NOT IN (1, NULL) is NOT (x = 1 OR x = NULL): FALSE or UNKNOWN, never TRUE.
        self.assertFilter(f"{AGE} NOT IN (1, NULL)", MATCH_NONE)
        self.assertFilter(f"NOT ({AGE} IN (NULL))", MATCH_NONE)

    def test_is_null(self):
        # {field: null} matches null and missing fields alike.
        self.assertFilter(f"{AGE} IS NULL", {"age": None})
        self.assertFilter(f"{AGE} IS NOT NULL", {"age": {"$ne": None}})
        self.assertFilter(f"NOT ({AGE} IS NULL)", {"age": {"$ne": None}})
        self.assertFilter(f"NOT ({AGE} IS NOT NULL)", {"age": None})

    def test_between(self):
        self.assertFilter(f"{AGE} BETWEEN %s AND %s", {"age": {"$gte": Slot(0), "$lte": Slot(1)}})
        self.assertFilter(f"{AGE} BETWEEN 1 AND 5", {"age": {"$gte": 1, "$lte": 5}})

    def test_not_between_excludes_nulls(self):
        expected = {"$or": [{"age": {"$lt": Slot(0)}}, {"age": {"$gt": Slot(1)}}]}
        self.assertFilter(f"{AGE} NOT BETWEEN %s AND %s", expected)
        self.assertFilter(f"NOT ({AGE} BETWEEN %s AND %s)", expected)

    def test_django_exclude_range(self):
        self.assertFilter(
            f"NOT ({AGE} BETWEEN %s AND %s AND {AGE} IS NOT NULL)",
            {"$or": [{"age": {"$lt": Slot(0)}}, {"age": {"$gt": Slot(1)}}, {"age": None}]},
        )


class BooleanColumnTests(WhereTestCase):

    def test_bare_boolean_column(self):
        # Author.objects.filter(is_active=True)
        self.assertFilter(ACTIVE, {"is_active": {"$eq": True}})

    def test_not_boolean_column_does_not_match_null(self):
        # Author.objects.filter(is_active=False) and .exclude(is_active=True)
        self.assertFilter(f"NOT {ACTIVE}", {"is_active": {"$eq": False}})
        self.assertFilter(f"NOT ({ACTIVE})", {"is_active": {"$eq": False}})
        self.assertFilter(f"NOT NOT {ACTIVE}", {"is_active": {"$eq": True}})

    def test_boolean_literals(self):
        self.assertFilter("TRUE", {})
        self.assertFilter("FALSE", MATCH_NONE)
        self.assertFilter("NOT FALSE", {})
        self.assertFilter("NULL", MATCH_NONE)
        self.assertFilter("NOT NULL", MATCH_NONE)

    def test_is_true_and_is_false(self):
        self.assertFilter(f"{ACTIVE} IS TRUE", {"is_active": {"$eq": True}})
        self.assertFilter(f"{ACTIVE} IS FALSE", {"is_active": {"$eq": False}})

    def test_is_not_true_matches_null(self):
        # Unlike NOT (x = TRUE), x IS NOT TRUE is TRUE when x is NULL: it is
        # two-valued, so NULL and missing fields must match.
        self.assertFilter(f"{ACTIVE} IS NOT TRUE", {"is_active": {"$ne": True}})
        self.assertFilter(f"{ACTIVE} IS NOT FALSE", {"is_active": {"$ne": False}})
        self.assertFilter(f"NOT ({ACTIVE} IS TRUE)", {"is_active": {"$ne": True}})
        self.assertFilter(f"NOT ({ACTIVE} IS NOT FALSE)", {"is_active": {"$eq": False}})


class NotThreeValuedLogicTests(WhereTestCase):

    def test_not_equal_does_not_match_null(self):
        # NOT (x = 5) is UNKNOWN, not TRUE, where x is NULL.
        self.assertFilter(f"NOT ({AGE} = %s)", {"age": {"$nin": [Slot(0, member), None]}})
        self.assertFilter(f"NOT ({AGE} = 5)", {"age": {"$nin": [5, None]}})

    def test_not_of_ordering_comparisons_negates_the_operator(self):
        for where, expected in [
            (f"NOT ({AGE} < %s)", {"age": {"$gte": Slot(0)}}),
            (f"NOT ({AGE} <= %s)", {"age": {"$gt": Slot(0)}}),
            (f"NOT ({AGE} > %s)", {"age": {"$lte": Slot(0)}}),
            (f"NOT ({AGE} >= %s)", {"age": {"$lt": Slot(0)}}),
            (f"NOT ({AGE} <> %s)", {"age": Slot(0, equal_to)}),
            (f"NOT (%s > {AGE})", {"age": {"$gte": Slot(0)}}),
        ]:
            with self.subTest(where=where):
                self.assertFilter(where, expected)

    def test_double_negation(self):
        self.assertFilter(f"NOT (NOT ({AGE} = %s))", {"age": Slot(0, equal_to)})

    def test_django_exclude_exact_keeps_null_rows(self):
        # Author.objects.exclude(age=5): NOT (age = 5 AND age IS NOT NULL) is
        # TRUE for a NULL age, since the AND is FALSE there.
        self.assertFilter(
            f"NOT ({AGE} = %s AND {AGE} IS NOT NULL)",
            {"$or": [{"age": {"$nin": [Slot(0, member), None]}}, {"age": None}]},
        )

    def test_de_morgan(self):
        self.assertFilter(
            f"NOT ({NAME} = %s OR {AGE} > %s)",
            {"name": {"$nin": [Slot(0, member), None]}, "age": {"$lte": Slot(1)}},
        )
        self.assertFilter(
            f"NOT ({NAME} = %s AND {AGE} > %s)",
            {"$or": [{"name": {"$nin": [Slot(0, member), None]}}, {"age": {"$lte": Slot(1)}}]},
        )


class AndOrTests(WhereTestCase):

    def test_and_of_different_fields_is_one_document(self):
        self.assertFilter(
            f"{NAME} = %s AND {AGE} > %s",
            {"name": Slot(0, equal_to), "age": {"$gt": Slot(1)}},
        )

    def test_and_of_the_same_field_merges_different_operators(self):
        # Each operator of a field's condition must hold, as in $and (for an
        # array, each may hold on a different element, as in $and too).
        self.assertFilter(f"{AGE} > %s AND {AGE} < %s", {"age": {"$gt": Slot(0), "$lt": Slot(1)}})

    def test_and_of_the_same_operator_twice_uses_and(self):
        self.assertFilter(
            f"{AGE} > %s AND {AGE} > %s",
            {"$and": [{"age": {"$gt": Slot(0)}}, {"age": {"$gt": Slot(1)}}]},
        )
        self.assertFilter(f"{AGE} = %s AND {AGE} IS NULL", {"$and": [{"age": Slot(0, equal_to)}, {"age": None}]})

    def test_or(self):
        self.assertFilter(
            f"({NAME} LIKE %s OR \"app_author\".\"code\" IS NULL)",
            {"$or": [{"name": Slot(0, like_regex)}, {"code": None}]},
        )

    def test_precedence_and_binds_tighter_than_or(self):
        self.assertFilter(
            f"{AGE} = 1 OR {AGE} = 2 AND {NAME} = 'x'",
            {"$or": [{"age": 1}, {"age": 2, "name": "x"}]},
        )

    def test_nested_several_levels(self):
        # Q(age__gt=1) | Q(age__lt=0) & ~Q(name="x")
        self.assertFilter(
            f"({AGE} > %s OR ({AGE} < %s AND NOT ({NAME} = %s)))",
            {"$or": [
                {"age": {"$gt": Slot(0)}},
                {"age": {"$lt": Slot(1)}, "name": {"$nin": [Slot(2, member), None]}},
            ]},
        )

    def test_negated_nesting_from_django(self):
        # ~(Q(age__gte=1) & (Q(name="a") | ~Q(age__lte=3)))
        self.assertFilter(
            f"NOT ({AGE} >= %s AND {AGE} IS NOT NULL AND ({NAME} = %s OR NOT ({AGE} <= %s)))",
            {"$or": [
                {"age": {"$lt": Slot(0)}},
                {"age": None},
                {"name": {"$nin": [Slot(1, member), None]}, "age": {"$lte": Slot(2)}},
            ]},
        )

    def test_four_levels_deep(self):
        where = (
            f"(({NAME} = %s OR NOT ({AGE} IN (%s, %s))) AND NOT ({ACTIVE} AND "
            f"({AGE} IS NULL OR NOT ({NAME} LIKE %s))))"
        )
        self.assertFilter(where, {"$and": [
            {"$or": [
                {"name": Slot(0, equal_to)},
                {"age": Build(_not_in_values, (Slot(1), Slot(2)))},
            ]},
            {"$or": [
                {"is_active": {"$eq": False}},
                {"age": {"$ne": None}, "name": Slot(3, like_regex)},
            ]},
        ]})

    def test_constant_branches_are_folded(self):
        self.assertFilter(f"{AGE} = %s OR 1 = 1", {})
        self.assertFilter(f"{AGE} = %s AND 1 = 0", MATCH_NONE)
        self.assertFilter(f"{AGE} = %s AND 1 = 1", {"age": Slot(0, equal_to)})
        self.assertFilter(f"{AGE} = %s OR 1 = 0", {"age": Slot(0, equal_to)})


class LikeTests(WhereTestCase):
    """Django's pattern lookups: the parameter is a LIKE pattern escaped with backslashes."""

    def test_like_and_ilike_templates(self):
        self.assertFilter(f"{NAME} LIKE %s", {"name": Slot(0, like_regex)})
        self.assertFilter(f"{NAME} ILIKE %s", {"name": Slot(0, ilike_regex)})

    def test_not_like_excludes_nulls(self):
        # Author.objects.exclude(name__contains="x")
        self.assertFilter(f"NOT ({NAME} LIKE %s)", {"name": {"$not": Slot(0, like_regex), "$ne": None}})
        self.assertFilter(f"{NAME} NOT ILIKE %s", {"name": {"$not": Slot(0, ilike_regex), "$ne": None}})

    def test_django_lookups(self):
        for lookup, where, param, regex in [
            ("contains", f"{NAME} LIKE %s", "%ab%", Regex("ab", "s")),
            ("icontains", f"{NAME} ILIKE %s", "%ab%", Regex("ab", "is")),
            ("startswith", f"{NAME} LIKE %s", "ab%", Regex("^ab", "s")),
            ("istartswith", f"{NAME} ILIKE %s", "ab%", Regex("^ab", "is")),
            ("endswith", f"{NAME} LIKE %s", "%ab", Regex("ab\\z", "s")),
            ("iendswith", f"{NAME} ILIKE %s", "%ab", Regex("ab\\z", "is")),
            ("iexact", f"{NAME} ILIKE %s", "ab", Regex("^ab\\z", "is")),
        ]:
            with self.subTest(lookup=lookup):
                self.assertFilterBinds(where, [param], {"name": regex})

    def test_escaped_wildcards_and_backslash_are_literal(self):
        # Author.objects.filter(name__contains="a%b_c\\d"): Django sends %a\%b\_c\\d%.
        self.assertFilterBinds(f"{NAME} LIKE %s", ["%a\\%b\\_c\\\\d%"], {"name": Regex("a%b_c\\\\d", "s")})

    def test_wildcards(self):
        for pattern, regex in [
            ("a_c", "^a.c\\z"),
            ("a%c", "^a.*c\\z"),
            ("_", "^.\\z"),
            ("%", "\\z"),
            ("", "^\\z"),
        ]:
            with self.subTest(pattern=pattern):
                self.assertFilterBinds(f"{NAME} LIKE %s", [pattern], {"name": Regex(regex, "s")})

    def test_regex_metacharacters_in_the_value_are_escaped(self):
        self.assertFilterBinds(
            f"{NAME} LIKE %s", ["%a.b*c(d[e$f^g+h?i{j}k|l)m%"],
            {"name": Regex("a\\.b\\*c\\(d\\[e\\$f\\^g\\+h\\?i\\{j\\}k\\|l\\)m", "s")},
        )
        self.assertFilterBinds(f"{NAME} ILIKE %s", ["dot.star*"], {"name": Regex("^dot\\.star\\*\\z", "is")})

    def test_negated_like_binds_to_not_regex(self):
        self.assertFilterBinds(
            f"NOT ({NAME} LIKE %s)", ["%.x%"],
            {"name": {"$not": Regex("\\.x", "s"), "$ne": None}},
        )

    def test_literal_pattern_is_translated_at_parse_time(self):
        # The SQL text is written for the format paramstyle: %% is one %, so
        # 'a\%%' is the pattern a\%, the exact value "a%", and 'a%%' is a prefix.
        self.assertFilter(f"{NAME} LIKE 'a\\%%'", {"name": Regex("^a%\\z", "s")})
        self.assertFilter(f"{NAME} LIKE 'a%%'", {"name": Regex("^a", "s")})


def is_null(expression):
    return {"$eq": [{"$ifNull": [expression, None]}, None]}


def not_null(expression):
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


def unknown_if_null(expression, known):
    return {"$cond": [is_null(expression), None, known]}


class ComputedConditionTests(WhereTestCase):
    """
    Conditions a query filter cannot express: ``$expr`` on the condition's
    three-valued truth, compared with true (or false under NOT), so that
    UNKNOWN never matches.
    """

    def test_function_compared_to_a_parameter(self):
        # Author.objects.annotate(u=Upper("name")).filter(u="ANN")
        upper = unknown_if_null("$name", {"$toUpper": "$name"})
        self.assertFilter(f"UPPER({NAME}) = %s", {"$expr": {"$and": [
            {"$eq": [upper, {"$literal": Slot(0)}]}, not_null(upper), not_null({"$literal": Slot(0)}),
        ]}})

    def test_negated_comparison_of_computed_values_excludes_nulls(self):
        # Book.objects.exclude(pages__gt=F("author_id") * 2)-like: NOT (a * 2 > b) is a * 2 <= b, never NULL.
        product = {"$multiply": ["$pages", {"$literal": Slot(0)}]}
        self.assertEqual(
            self.command('SELECT "app_book"."id" FROM "app_book" WHERE NOT (("app_book"."pages" * %s) > %s)').filter,
            {"$expr": {"$and": [
                {"$lte": [product, {"$literal": Slot(1)}]}, not_null(product), not_null({"$literal": Slot(1)}),
            ]}},
        )

    def test_column_compared_to_a_case(self):
        # Book.objects.filter(pages=Case(When(title="a", then=Value(1)), default=Value(2)))
        case = {"$cond": [
            {"$eq": [unknown_if_null("$title", {"$eq": ["$title", {"$literal": Slot(0)}]}), True]},
            {"$literal": Slot(1)}, {"$literal": Slot(2)},
        ]}
        self.assertEqual(
            self.command(
                'SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."pages" = '
                '(CASE WHEN "app_book"."title" = %s THEN %s ELSE %s END)'
            ).filter,
            {"$expr": {"$and": [{"$eq": ["$pages", case]}, not_null("$pages"), not_null(case)]}},
        )

    def test_in_with_a_column_item(self):
        # Book.objects.filter(pages__in=[1, F("id")]): the items are compared
        # one by one, and a miss is UNKNOWN when the column item is NULL.
        found = {"$or": [{"$eq": ["$age", {"$literal": 1}]}, {"$eq": ["$age", "$id"]}]}
        miss = {"$cond": [{"$or": [is_null("$id")]}, None, False]}
        self.assertFilter(f'{AGE} IN (1, "app_author"."id")', {"$expr": {"$eq": [
            unknown_if_null("$age", {"$cond": [found, True, miss]}), True,
        ]}})

    def test_is_null_of_a_computed_value(self):
        self.assertFilter(f"UPPER({NAME}) IS NULL", {"$expr": {"$eq": [
            is_null(unknown_if_null("$name", {"$toUpper": "$name"})), True,
        ]}})

    def test_between_computed_values(self):
        filter_ = self.filter_of(f"{AGE} BETWEEN %s AND {NAME}")
        self.assertEqual(list(filter_), ["$expr"])


class RegexTests(WhereTestCase):
    """Django's regex and iregex lookups: the parameter is the regular expression itself."""

    def test_regex(self):
        # Author.objects.filter(name__regex="^A.n$")
        self.assertFilterBinds(f"{NAME} REGEXP %s", ["^A.n$"], {"name": Regex("^A.n$")})

    def test_iregex(self):
        self.assertFilterBinds(f"{NAME} IREGEXP %s", ["^a"], {"name": Regex("^a", "i")})

    def test_negated_regex_excludes_nulls(self):
        # Author.objects.exclude(name__iregex="^a")
        self.assertFilterBinds(f"NOT ({NAME} IREGEXP %s)", ["^a"], {"name": {"$not": Regex("^a", "i"), "$ne": None}})

    def test_regex_metacharacters_are_the_users(self):
        self.assertFilterBinds(f"{NAME} REGEXP %s", ["a.b|c"], {"name": Regex("a.b|c")})

    @staticmethod
    def matched_upper_name(regex):
        """The expression REGEXP gives for UPPER(name): $regexMatch on its text, null when it is NULL."""
        upper = {"$cond": [{"$eq": [{"$ifNull": ["$name", None]}, None]}, None, {"$toUpper": "$name"}]}
        return {"$cond": [
            {"$eq": [{"$ifNull": [upper, None]}, None]}, None,
            {"$regexMatch": {"input": {"$toString": upper}, "regex": regex}},
        ]}

    def test_regex_of_a_computed_value(self):
        # Author.objects.annotate(u=Upper("name")).filter(u__regex="^A")
        self.assertFilterBinds(
            f"UPPER({NAME}) REGEXP %s", ["^A"], {"$expr": {"$eq": [self.matched_upper_name(Regex("^A")), True]}},
        )
        # NOT is "is FALSE": a NULL name matches neither way.
        self.assertFilterBinds(
            f"NOT (UPPER({NAME}) IREGEXP %s)", ["^a"],
            {"$expr": {"$eq": [self.matched_upper_name(Regex("^a", "i")), False]}},
        )

    def test_computed_regex_pattern_is_a_value(self):
        # A pattern that looks like a field path stays a regular expression.
        self.assertFilterBinds(
            f"UPPER({NAME}) REGEXP %s", ["$name"],
            {"$expr": {"$eq": [self.matched_upper_name(Regex("$name")), True]}},
        )


class LikeAgainstAColumnTests(WhereTestCase):
    """
    ``name__contains=F("other")`` and its relatives: Django writes the
    pattern as ``'%' || LIKE_ESCAPE(other) || '%'``; the other column's
    value is matched literally, as a substring, prefix or suffix.
    """

    EMAIL = '"app_author"."email"'
    ESCAPED_NAME = 'LIKE_ESCAPE(("app_author"."name"))'

    def assertComputedLike(self, where, found):
        self.assertFilter(where, {"$expr": {"$eq": [unknown_if_null("$email", unknown_if_null("$name", found)), True]}})

    def test_contains(self):
        # Author.objects.filter(email__contains=F("name"))
        self.assertComputedLike(
            f"{self.EMAIL} LIKE '%%' || {self.ESCAPED_NAME} || '%%'", {"$gte": [{"$indexOfCP": ["$email", "$name"]}, 0]},
        )

    def test_startswith(self):
        self.assertComputedLike(
            f"{self.EMAIL} LIKE {self.ESCAPED_NAME} || '%%'", {"$eq": [{"$indexOfCP": ["$email", "$name"]}, 0]},
        )

    def test_endswith(self):
        email_length, name_length = {"$strLenCP": "$email"}, {"$strLenCP": "$name"}
        tail = {"$substrCP": ["$email", {"$max": [0, {"$subtract": [email_length, name_length]}]}, name_length]}
        self.assertComputedLike(
            f"{self.EMAIL} LIKE '%%' || {self.ESCAPED_NAME}",
            {"$and": [{"$gte": [email_length, name_length]}, {"$eq": [tail, "$name"]}]},
        )

    def test_exact(self):
        self.assertComputedLike(f"{self.EMAIL} LIKE {self.ESCAPED_NAME}", {"$eq": ["$email", "$name"]})

    def test_icontains_is_unknown_for_a_null_column(self):
        # Author.objects.filter(email__icontains=F("name")).
        # DJONGO BUG (reported): the NULL guard is put on $toLower of the
        # column, and $toLower(null) is "", so a NULL name matches every
        # email instead of making the condition UNKNOWN. The expectation
        # below guards the column itself.
        lowered_email, lowered_name = {"$toLower": "$email"}, {"$toLower": "$name"}
        self.assertComputedLike(
            f"{self.EMAIL} ILIKE '%%' || {self.ESCAPED_NAME} || '%%'",
            {"$gte": [{"$indexOfCP": [lowered_email, lowered_name]}, 0]},
        )


class ComputedRegexTests(WhereTestCase):
    """REGEXP against an expression: $regexMatch with the expression's text as its pattern."""

    def test_regexp_with_a_column_as_the_pattern(self):
        # Author.objects.filter(name__regex=F("email"))
        email = {"$ifNull": ["$email", None]}
        self.assertFilter(f"{NAME} REGEXP \"app_author\".\"email\"", {"$expr": {"$eq": [
            {"$cond": [
                {"$or": [{"$eq": [{"$ifNull": ["$name", None]}, None]}, {"$eq": [email, None]}]},
                None,
                {"$regexMatch": {"input": {"$toString": "$name"}, "regex": {"$toString": "$email"}}},
            ]},
            True,
        ]}})

    def test_iregexp_matches_case_insensitively(self):
        where = self.filter_of(f"{NAME} IREGEXP \"app_author\".\"email\"")
        self.assertIn({"$regexMatch": {"input": {"$toString": "$name"}, "regex": {"$toString": "$email"}, "options": "i"}},
                      _walk(where))


def _walk(node):
    """Yield ``node`` and every dict and list nested in it."""
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


class UnsupportedConditionTests(WhereTestCase):

    def test_like_with_a_computed_pattern(self):
        # Only Django's LIKE_ESCAPE(column) patterns are understood.
        self.assertUnsupported(SELECT + f'{NAME} LIKE UPPER("app_author"."email")', "LIKE with a computed pattern")
        self.assertUnsupported(
            SELECT + f"{NAME} LIKE '%%' || \"app_author\".\"email\" || '%%'", "LIKE with a computed pattern",
        )

    def test_like_escape_clause(self):
        self.assertUnsupported(SELECT + f"{NAME} LIKE %s ESCAPE '!'", "LIKE ... ESCAPE")

    def test_is_distinct_from(self):
        self.assertUnsupported(SELECT + f"{AGE} IS DISTINCT FROM %s", "IS DISTINCT FROM")

    def test_function_in_a_condition(self):
        self.assertUnsupported(SELECT + f"MD5({NAME}) = %s", "function MD5()")

    def test_any_all(self):
        self.assertUnsupported(SELECT + f"{AGE} = ANY (SELECT 1)", "ANY")



class ParenthesisedInListTests(WhereTestCase):
    """Django wraps a lone prefetch value in parentheses: IN ((%s)) is a list, not a subquery."""

    def test_parenthesised_item(self):
        # Room.objects.filter(pk__in=[room_pk]) from prefetch_related_objects()
        self.assertFilterBinds('("app_author"."age") IN ((%s))', [7], {"age": {"$in": [7]}})
