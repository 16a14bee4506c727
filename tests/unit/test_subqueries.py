"""Subqueries: run first and bound, or joined in with $lookup (translate/subqueries.py)."""
from djongo.sql2mongo.binding import Const, PreRun, Slot, bind
from djongo.sql2mongo.commands import Aggregate, Find
from djongo.sql2mongo.translate.values import equal_to

from .base import TranslationTestCase

AUTHOR_IDS = 'SELECT "app_author"."id" FROM "app_author" WHERE '
AUTHOR_ID_PROJECTION = {"_id": 0, "id": 1}


def is_null(expression):
    return {"$eq": [{"$ifNull": [expression, None]}, None]}


def not_null(expression):
    return {"$ne": [{"$ifNull": [expression, None]}, None]}


def equals_outer(field, variable):
    """The $match of Django's ``field=OuterRef(...)``: NULL on either side is no match."""
    return {"$expr": {"$and": [{"$eq": [field, variable]}, not_null(field), not_null(variable)]}}


def first_value(field):
    """A correlated scalar subquery's value: its first row's c0, NULL when it has no rows."""
    return {"$ifNull": [{"$arrayElemAt": [{"$map": {"input": field, "in": {"$ifNull": ["$$this.c0", None]}}}, 0]}, None]}


def author_find(filter_):
    return Find("app_author", filter=filter_, projection=AUTHOR_ID_PROJECTION, columns=("id",), names=("id",))


class UncorrelatedInTests(TranslationTestCase):
    """An uncorrelated IN subquery runs first; its values become an indexed $in (or $nin)."""

    def test_pk_in_a_queryset(self):
        # Author.objects.filter(pk__in=Book.objects.filter(pages__gt=100).values("author_id"))
        books = Find(
            "app_book", filter={"pages": {"$gt": Slot(0)}}, projection={"_id": 0, "author_id": 1},
            columns=("author_id",), names=("author_id",),
        )
        self.assertTranslates(
            AUTHOR_IDS + '"app_author"."id" IN (SELECT U0."author_id" AS "author_id" FROM "app_book" U0 '
            'WHERE U0."pages" > %s)',
            [author_find({"id": PreRun(books, "in")})],
        )

    def test_not_in(self):
        # Author.objects.exclude(pk__in=Book.objects.values("editor_id"))
        editors = Find("app_book", projection={"_id": 0, "editor_id": 1}, columns=("editor_id",), names=("editor_id",))
        self.assertTranslates(
            AUTHOR_IDS + 'NOT ("app_author"."id" IN (SELECT U0."editor_id" AS "editor_id" FROM "app_book" U0))',
            [author_find({"id": PreRun(editors, "not in")})],
        )

    def test_in_drops_nulls(self):
        self.assertEqual(PreRun(None, "in").resolve([(1,), (None,), (2,)]), {"$in": [1, 2]})

    def test_not_in_excludes_null_rows(self):
        # x NOT IN (1, 2) is UNKNOWN for a NULL x.
        self.assertEqual(PreRun(None, "not in").resolve([(1,), (2,)]), {"$nin": [1, 2, None]})

    def test_not_in_a_list_holding_null_is_never_true(self):
        self.assertEqual(PreRun(None, "not in").resolve([(1,), (None,)]), {"$in": []})

    def test_binding_runs_the_subquery(self):
        command = self.command(
            AUTHOR_IDS + '"app_author"."id" IN (SELECT U0."author_id" AS "author_id" FROM "app_book" U0 WHERE U0."pages" > %s)'
        )
        ran = []

        def run(subquery):
            ran.append(bind(subquery.filter, (100,)))
            return [(3,), (5,)]

        self.assertEqual(bind(command.filter, (100,), run), {"id": {"$in": [3, 5]}})
        self.assertEqual(ran, [{"pages": {"$gt": 100}}])

    def test_delete_of_a_related_queryset(self):
        # Book.objects.filter(author__in=Author.objects.filter(name="x")) as its cascade collector runs it.
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."author_id" IN '
            '(SELECT U0."id" FROM "app_author" U0 WHERE U0."name" = %s)'
        )
        self.assertEqual(command.filter, {"author_id": PreRun(Find(
            "app_author", filter={"name": Slot(0, equal_to)}, projection={"_id": 0, "id": 1},
            columns=("id",), names=("id",),
        ), "in")})


class UncorrelatedValueTests(TranslationTestCase):

    def test_scalar(self):
        # Book.objects.filter(pages=Subquery(Book.objects.order_by("-pages").values("pages")[:1]))
        largest = {"$literal": PreRun(Find(
            "app_book", projection={"_id": 0, "pages": 1}, sort=(("pages", -1),), limit=1,
            columns=("pages",), names=("pages",),
        ), "value")}
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" WHERE "app_book"."pages" = '
            '(SELECT U0."pages" AS "pages" FROM "app_book" U0 ORDER BY 1 DESC LIMIT 1)'
        )
        self.assertEqual(command.filter, {"$expr": {"$and": [
            {"$eq": ["$pages", largest]}, not_null("$pages"), not_null(largest),
        ]}})

    def test_scalar_of_no_rows_is_null(self):
        self.assertIsNone(PreRun(None, "value").resolve([]))
        self.assertEqual(PreRun(None, "value").resolve([(7,), (8,)]), 7)

    def test_exists(self):
        # Book.objects.filter(Exists(Author.objects.filter(name="x")))
        self.assertTranslates(
            'SELECT "app_book"."id" FROM "app_book" WHERE EXISTS(SELECT %s AS "a" FROM "app_author" U0 '
            'WHERE U0."name" = %s LIMIT 1)',
            [Find("app_book", filter={"$expr": PreRun(Find(
                "app_author", filter={"name": Slot(1, equal_to)}, projection={"_id": 0}, limit=1,
                columns=(Const(Slot(0)),), names=("a",),
            ), "any")}, projection={"_id": 0, "id": 1}, columns=("id",), names=("id",))],
        )

    def test_not_exists_binds_to_a_constant_filter(self):
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" WHERE NOT EXISTS(SELECT %s AS "a" FROM "app_author" U0 LIMIT 1)'
        )
        self.assertEqual(bind(command.filter, (1,), lambda subquery: []), {"$expr": True})
        self.assertEqual(bind(command.filter, (1,), lambda subquery: [(1,)]), {"$expr": False})


class CorrelatedTests(TranslationTestCase):
    """
    OuterRef: a $lookup whose let passes the outer columns as $$oN variables.
    This is how the translator runs a correlated subquery that the optimizer
    leaves as it is (see tests/unit/test_optimize.py for those it rewrites).
    """
    optimized = False

    def test_exists(self):
        # Author.objects.filter(Exists(Book.objects.filter(author=OuterRef("pk"))))
        self.assertTranslates(
            AUTHOR_IDS + 'EXISTS(SELECT %s AS "a" FROM "app_book" U0 WHERE U0."author_id" = ("app_author"."id") LIMIT 1)',
            [Aggregate("app_author", pipeline=[
                {"$lookup": {
                    "from": "app_book", "let": {"o0": {"$ifNull": ["$id", None]}},
                    "pipeline": [
                        {"$match": equals_outer("$author_id", "$$o0")},
                        {"$limit": 1},
                        {"$project": {"_id": 0, "c0": {"$literal": Slot(0)}}},
                        {"$limit": 1},
                    ],
                    "as": "__sq1",
                }},
                {"$match": {"__sq1.0": {"$exists": True}}},
                {"$project": {"_id": 0, "c0": "$id"}},
            ], columns=("c0",), names=("id",))],
        )

    def test_exclude_across_a_many_to_many(self):
        # Author.objects.exclude(co_written__title="x"): NOT EXISTS over the
        # through table joined to the books.
        command = self.command(
            AUTHOR_IDS + 'NOT (EXISTS(SELECT %s AS "a" FROM "app_book_co_authors" U1 INNER JOIN "app_book" U2 '
            'ON (U1."book_id" = U2."id") WHERE (U2."title" = %s AND U1."author_id" = ("app_author"."id")) LIMIT 1))'
        )
        lookup = command.pipeline[0]["$lookup"]
        self.assertEqual((lookup["from"], lookup["let"]), ("app_book_co_authors", {"o0": {"$ifNull": ["$id", None]}}))
        self.assertEqual(lookup["pipeline"], [
            # The correlated condition is on the through table alone: matched before the join.
            {"$match": equals_outer("$author_id", "$$o0")},
            {"$match": {"book_id": {"$ne": None}}},
            {"$lookup": {"from": "app_book", "localField": "book_id", "foreignField": "id", "as": "__U2"}},
            {"$unwind": "$__U2"},
            {"$match": {"__U2.title": Slot(1, equal_to)}},
            {"$limit": 1},
            {"$project": {"_id": 0, "c0": {"$literal": Slot(0)}}},
            {"$limit": 1},
        ])
        self.assertEqual(command.pipeline[1:], [
            {"$match": {"__sq1.0": {"$exists": False}}},
            {"$project": {"_id": 0, "c0": "$id"}},
        ])

    def test_annotation(self):
        # Author.objects.annotate(last=Subquery(
        #     Book.objects.filter(author=OuterRef("pk")).order_by("-pages").values("title")[:1]))
        self.assertTranslates(
            'SELECT "app_author"."id", (SELECT U0."title" AS "title" FROM "app_book" U0 '
            'WHERE U0."author_id" = ("app_author"."id") ORDER BY U0."pages" DESC LIMIT 1) AS "last" FROM "app_author"',
            [Aggregate("app_author", pipeline=[
                {"$lookup": {
                    "from": "app_book", "let": {"o0": {"$ifNull": ["$id", None]}},
                    "pipeline": [
                        {"$match": equals_outer("$author_id", "$$o0")},
                        {"$sort": {"pages": -1}},
                        {"$limit": 1},
                        {"$project": {"_id": 0, "c0": "$title"}},
                    ],
                    "as": "__sq1",
                }},
                {"$project": {"_id": 0, "c0": "$id", "c1": first_value("$__sq1")}},
            ], columns=("c0", "c1"), names=("id", "last"))],
        )

    def test_filter(self):
        # Author.objects.filter(name=Subquery(Book.objects.filter(author=OuterRef("pk")).values("title")[:1]))
        command = self.command(
            AUTHOR_IDS + '"app_author"."name" = (SELECT U0."title" AS "title" FROM "app_book" U0 '
            'WHERE U0."author_id" = ("app_author"."id") LIMIT 1)'
        )
        title = first_value("$__sq1")
        self.assertEqual(command.pipeline[0]["$lookup"]["pipeline"], [
            {"$match": equals_outer("$author_id", "$$o0")},
            {"$limit": 1},
            {"$project": {"_id": 0, "c0": "$title"}},
        ])
        self.assertEqual(command.pipeline[1:], [
            {"$match": {"$expr": {"$and": [{"$eq": ["$name", title]}, not_null("$name"), not_null(title)]}}},
            {"$project": {"_id": 0, "c0": "$id"}},
        ])

    def test_counted_per_row(self):
        # Author.objects.annotate(n=Subquery(Book.objects.filter(author=OuterRef("pk"))
        #     .values("author").annotate(c=Count("*")).values("c")))
        command = self.command(
            'SELECT "app_author"."id", (SELECT COUNT(*) AS "c" FROM "app_book" U0 WHERE U0."author_id" = '
            '("app_author"."id") GROUP BY U0."author_id") AS "n" FROM "app_author"'
        )
        self.assertEqual(command.pipeline[0]["$lookup"]["pipeline"][1:], [
            {"$group": {"_id": {"$ifNull": ["$author_id", None]}, "a0": {"$sum": 1}}},
            {"$project": {"_id": 0, "c0": "$a0"}},
        ])

    def test_nested_outer_ref(self):
        # Author.objects.filter(Exists(Book.objects.filter(author=OuterRef("pk"),
        #     editor__in=Book.objects.filter(title=OuterRef(OuterRef("name"))).values("author_id"))))
        command = self.command(
            AUTHOR_IDS + 'EXISTS(SELECT %s AS "a" FROM "app_book" V0 WHERE (V0."author_id" = ("app_author"."id") '
            'AND V0."editor_id" IN (SELECT U0."author_id" AS "author_id" FROM "app_book" U0 '
            'WHERE U0."title" = ("app_author"."name"))) LIMIT 1)'
        )
        outer = command.pipeline[0]["$lookup"]
        # The author's name is passed to the middle $lookup, which passes it on.
        self.assertEqual(outer["let"], {"o0": {"$ifNull": ["$id", None]}, "o2": {"$ifNull": ["$name", None]}})
        inner = outer["pipeline"][0]["$lookup"]
        self.assertEqual(inner, {
            "from": "app_book", "let": {"o1": {"$ifNull": ["$$o2", None]}},
            "pipeline": [{"$match": equals_outer("$title", "$$o1")}, {"$project": {"_id": 0, "c0": "$author_id"}}],
            "as": "__sq3",
        })
        # A correlated IN is computed with SQL's rules: FALSE for no rows,
        # UNKNOWN for a NULL operand or a miss when the rows hold a NULL.
        values = {"$map": {"input": "$__sq3", "in": {"$ifNull": ["$$this.c0", None]}}}
        self.assertEqual(outer["pipeline"][1], {"$match": {"$and": [
            equals_outer("$author_id", "$$o0"),
            {"$expr": {"$eq": [{"$cond": [
                {"$eq": [{"$size": values}, 0]}, False,
                {"$cond": [is_null("$editor_id"), None, {"$cond": [
                    {"$in": ["$editor_id", values]}, True, {"$cond": [{"$in": [None, values]}, None, False]},
                ]}]},
            ]}, True]}},
        ]}})
        self.assertEqual(command.pipeline[1], {"$match": {"__sq4.0": {"$exists": True}}})

    def test_correlated_in_a_join_condition_scope(self):
        # A subquery reading a column of a joined table is correlated to it.
        command = self.command(
            'SELECT "app_book"."id" FROM "app_book" INNER JOIN "app_author" ON ("app_book"."author_id" = "app_author"."id") '
            'WHERE EXISTS(SELECT %s AS "a" FROM "app_book" U0 WHERE U0."editor_id" = ("app_author"."id") LIMIT 1)'
        )
        lookups = [stage["$lookup"] for stage in command.pipeline if "$lookup" in stage]
        self.assertEqual(list(lookups[-1]["let"].values()), [{"$ifNull": ["$__app_author.id", None]}])


COMMENTS = 'SELECT "c"."text" FROM "c" WHERE '
COMMENT_PROJECTION = {"_id": 0, "text": 1}
USER_KEYS = Find(
    "u", projection={"_id": 0, "id": 1, "tenant_id": 1}, columns=("tenant_id", "id"), names=("tenant_id", "id"),
)


def row_in(items, rows):
    """The three-valued ``(items) IN rows`` the translator computes in $expr (translate/expressions.py)."""
    columns = [f"$$row.c{i}" for i in range(len(items))]
    equal = {"$and": [{"$and": [not_null(item), {"$eq": [item, column]}]} for item, column in zip(items, columns)]}
    differs = {"$or": [{"$and": [not_null(item), not_null(column), {"$ne": [item, column]}]}
                       for item, column in zip(items, columns)]}
    scores = {"$map": {"input": rows, "as": "row", "in": {"$cond": [equal, 1, {"$cond": [differs, -1, 0]}]}}}
    return {"$arrayElemAt": [[False, None, True], {"$add": [{"$max": [{"$max": scores}, -1]}, 1]}]}


class RowValueTests(TranslationTestCase):
    """
    A composite key against a subquery: ``(a, b) IN (SELECT x, y ...)`` and
    ``(a, b) = (SELECT x, y ... LIMIT 1)``, which Django writes for a
    CompositePrimaryKey when tuple lookups are off.
    """

    def test_uncorrelated_in_is_an_or_of_key_equalities(self):
        # Comment.objects.filter(pk__in=Subquery(User.objects.values("pk")))
        self.assertTranslates(
            COMMENTS + '("c"."tenant_id", "c"."comment_id") IN (SELECT U0."tenant_id", U0."id" FROM "u" U0)',
            [Find("c", filter={"$and": PreRun(USER_KEYS, "rows in", paths=("tenant_id", "comment_id"))},
                  projection=COMMENT_PROJECTION, columns=("text",), names=("text",))],
        )

    def test_rows_in_filter(self):
        shape = PreRun(None, "rows in", paths=("t", "i"))
        self.assertEqual(shape.resolve([(1, 2)]), [{"t": {"$eq": 1}, "i": {"$eq": 2}}])
        # A row holding NULL equals nothing; a row read twice is matched once.
        self.assertEqual(
            shape.resolve([(1, 2), (None, 3), (1, 2.0), (2, {"$gt": 0})]),
            [{"$or": [{"t": {"$eq": 1}, "i": {"$eq": 2}}, {"t": {"$eq": 2}, "i": {"$eq": {"$gt": 0}}}]}],
        )
        self.assertEqual(shape.resolve([(None, None)]), [{"t": {"$in": []}}])

    def test_rows_in_filter_refuses_a_pattern(self):
        import re
        from djongo.exceptions import DataError
        with self.assertRaises(DataError):
            PreRun(None, "rows in", paths=("t", "i")).resolve([(1, re.compile("."))])

    def test_uncorrelated_not_in_keeps_sql_null_rules(self):
        command = self.command(
            COMMENTS + 'NOT (("c"."tenant_id", "c"."comment_id") IN (SELECT U0."tenant_id", U0."id" FROM "u" U0))')
        rows = {"$literal": PreRun(USER_KEYS, "rows")}
        self.assertEqual(command.filter, {"$expr": {"$eq": [row_in(["$tenant_id", "$comment_id"], rows), False]}})
        self.assertEqual(PreRun(None, "rows").resolve([(1, None)]), [{"c0": 1, "c1": None}])

    def test_correlated_equal_reads_a_missing_row_as_nulls(self):
        # Comment.objects.filter(pk=Subquery(User.objects.filter(pk=OuterRef("pk")).values("pk")[:1]))
        command = self.command(
            COMMENTS + '("c"."tenant_id", "c"."comment_id") = (SELECT U0."tenant_id", U0."id" FROM "u" U0 '
            'WHERE (U0."tenant_id" = ("c"."tenant_id") AND U0."id" = ("c"."comment_id")) LIMIT 1)')
        lookup, match, _ = command.pipeline
        self.assertEqual(lookup["$lookup"]["from"], "u")
        self.assertEqual(lookup["$lookup"]["pipeline"][-2:],
                         [{"$limit": 1}, {"$project": {"_id": 0, "c0": "$tenant_id", "c1": "$id"}}])
        field = "$" + lookup["$lookup"]["as"]
        rows = {"$cond": [{"$eq": [{"$size": field}, 0]}, {"$literal": [{}]}, field]}
        self.assertEqual(match, {"$match": {"$expr": {"$eq": [row_in(["$tenant_id", "$comment_id"], rows), True]}}})


class UnsupportedSubqueryTests(TranslationTestCase):

    def test_unsupported_function_inside(self):
        self.assertUnsupported(
            AUTHOR_IDS + '"app_author"."name" IN (SELECT MD5(U0."title") AS "m" FROM "app_book" U0)', "function MD5()",
        )
