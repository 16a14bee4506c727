"""The parser: SQL text in, query tree out (sql2mongo/parser.py, tree.py)."""
from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo import ddl_tree as d
from djongo.sql2mongo import tree as t
from djongo.sql2mongo.commands import LockedRows
from djongo.sql2mongo.dialect import literal as sql_literal
from djongo.sql2mongo.parser import Parser, parse

from .base import TranslationTestCase


def col(name, table=None):
    return t.Column(name, table)


def where_of(condition_sql):
    return parse(f'SELECT "t"."id" FROM "t" WHERE {condition_sql}').where


class ExpressionTests(TranslationTestCase):

    def test_or_and_not_precedence(self):
        self.assertEqual(
            parse('select "a" from "t" where "a" = 1 or "b" = 2 and not "c" = 3').where,
            t.Or((
                t.Comparison("=", col("a"), t.Literal(1)),
                t.And((
                    t.Comparison("=", col("b"), t.Literal(2)),
                    t.Not(t.Comparison("=", col("c"), t.Literal(3))),
                )),
            )),
        )

    def test_exists_compared_with_a_value(self):
        # Django's exact lookup on an Exists: EXISTS(...) = (EXISTS(...)), = %s.
        where = where_of('EXISTS(SELECT 1 AS "a" FROM "u" WHERE "u"."k" = ("t"."id") LIMIT 1) = %s')
        self.assertIsInstance(where, t.Comparison)
        self.assertIsInstance(where.left, t.Exists)
        self.assertEqual((where.op, where.right), ("=", t.Param(0)))
        self.assertTrue(self.command(
            'SELECT "t"."id" FROM "t" WHERE NOT EXISTS(SELECT 1 AS "a" FROM "u" WHERE "u"."k" = ("t"."id")) = %s'
        ))

    def test_parentheses_override_precedence(self):
        self.assertEqual(
            where_of('("t"."a" = 1 OR "t"."b" = 2) AND "t"."c"'),
            t.And((
                t.Or((t.Comparison("=", col("a", "t"), t.Literal(1)), t.Comparison("=", col("b", "t"), t.Literal(2)))),
                t.IsTrue(col("c", "t")),
            )),
        )

    def test_arithmetic_precedence(self):
        self.assertEqual(
            where_of('"t"."a" = 1 + 2 * 3 - -%s'),
            t.Comparison("=", col("a", "t"), t.BinaryOp(
                "-",
                t.BinaryOp("+", t.Literal(1), t.BinaryOp("*", t.Literal(2), t.Literal(3))),
                t.Negative(t.Param(0)),
            )),
        )

    def test_minus_after_an_operand_is_subtraction(self):
        # sqlparse lexes "-1" as a number; after an operand it is a minus sign.
        for sql in ['SELECT "a" -1 FROM "t"', 'SELECT "a"-1 FROM "t"', 'SELECT "a" - 1 FROM "t"']:
            with self.subTest(sql=sql):
                self.assertEqual(parse(sql).items, (t.SelectItem(t.BinaryOp("-", col("a"), t.Literal(1))),))

    def test_literals(self):
        self.assertEqual(
            parse("SELECT 'it''s', 1.5, 42, -7, NULL, TRUE, false FROM \"t\"").items,
            tuple(t.SelectItem(t.Literal(value)) for value in ["it's", 1.5, 42, -7, None, True, False]),
        )

    def test_comparison_operators(self):
        for op, node_op in [("=", "="), ("<>", "<>"), ("!=", "<>"), ("<", "<"), ("<=", "<="), (">", ">"), (">=", ">=")]:
            with self.subTest(op=op):
                self.assertEqual(where_of(f'"t"."a" {op} %s'), t.Comparison(node_op, col("a", "t"), t.Param(0)))

    def test_predicates(self):
        a = col("a", "t")
        for sql, node in [
            ('"t"."a" IN (%s, 2)', t.InList(a, (t.Param(0), t.Literal(2)))),
            ('"t"."a" NOT IN (%s)', t.InList(a, (t.Param(0),), negated=True)),
            ('"t"."a" BETWEEN %s AND %s', t.Between(a, t.Param(0), t.Param(1))),
            ('"t"."a" NOT BETWEEN 1 AND 2', t.Between(a, t.Literal(1), t.Literal(2), negated=True)),
            ('"t"."a" LIKE %s', t.Like(a, t.Param(0))),
            ('"t"."a" NOT LIKE %s', t.Like(a, t.Param(0), negated=True)),
            ('"t"."a" ILIKE %s', t.Like(a, t.Param(0), insensitive=True)),
            ('"t"."a" NOT ILIKE %s', t.Like(a, t.Param(0), negated=True, insensitive=True)),
            ('"t"."a" IS NULL', t.IsNull(a)),
            ('"t"."a" IS NOT NULL', t.IsNull(a, negated=True)),
            ('"t"."a"', t.IsTrue(a)),
            ('NOT "t"."a"', t.Not(t.IsTrue(a))),
            ('"t"."a" IN (SELECT "u"."b" FROM "u")',
             t.InSubquery(a, t.Select((t.SelectItem(col("b", "u")),), t.Table("u")))),
            ('EXISTS (SELECT 1 FROM "u")', t.Exists(t.Select((t.SelectItem(t.Literal(1)),), t.Table("u")))),
            ('NOT EXISTS (SELECT 1 FROM "u")', t.Not(t.Exists(t.Select((t.SelectItem(t.Literal(1)),), t.Table("u"))))),
        ]:
            with self.subTest(sql=sql):
                self.assertEqual(where_of(sql), node)

    def test_between_and_is_not_a_conjunction(self):
        self.assertEqual(
            where_of('"t"."a" BETWEEN 1 AND 2 AND "t"."b"'),
            t.And((t.Between(col("a", "t"), t.Literal(1), t.Literal(2)), t.IsTrue(col("b", "t")))),
        )

    def test_functions_case_and_cast(self):
        self.assertEqual(
            parse('SELECT COUNT(DISTINCT "t"."a"), COUNT(*), MAX("t"."b") FROM "t"').items,
            (
                t.SelectItem(t.Func("COUNT", (col("a", "t"),), distinct=True)),
                t.SelectItem(t.Func("COUNT", (t.Star(),))),
                t.SelectItem(t.Func("MAX", (col("b", "t"),))),
            ),
        )
        self.assertEqual(
            parse('SELECT CASE WHEN "t"."a" > %s THEN 1 ELSE 0 END, CAST("t"."b" AS varchar(10)) FROM "t"').items,
            (
                t.SelectItem(t.Case(((t.Comparison(">", col("a", "t"), t.Param(0)), t.Literal(1)),), t.Literal(0))),
                t.SelectItem(t.Cast(col("b", "t"), "string", 10)),
            ),
        )


class NameTests(TranslationTestCase):

    def test_quoted_names(self):
        select = parse('SELECT "we""ird", "order", "select" AS "from" FROM "my table" WHERE "t"."group" = 1')
        self.assertEqual(select.items, (
            t.SelectItem(col('we"ird')), t.SelectItem(col("order")), t.SelectItem(col("select"), "from"),
        ))
        self.assertEqual(select.source, t.Table("my table"))
        self.assertEqual(select.where, t.Comparison("=", col("group", "t"), t.Literal(1)))

    def test_unquoted_aliases(self):
        select = parse('SELECT T3."name", U0.* FROM "app_author" T3 INNER JOIN "u" AS U0 ON (T3."id" = U0."x")')
        self.assertEqual(select.items, (t.SelectItem(col("name", "T3")), t.SelectItem(t.Star("U0"))))
        self.assertEqual(select.source, t.Table("app_author", "T3"))
        self.assertEqual(select.joins[0].table, t.Table("u", "U0"))

    def test_keywords_are_case_insensitive(self):
        self.assertEqual(
            parse('select "a" from "t" where "a" is not null order by "a" desc limit 1'),
            parse('SELECT "a" FROM "t" WHERE "a" IS NOT NULL ORDER BY "a" DESC LIMIT 1'),
        )


class StatementTests(TranslationTestCase):

    def test_select_clauses(self):
        self.assertEqual(
            parse(
                'SELECT DISTINCT "t"."a" AS "x", COUNT(*) FROM "t" '
                'LEFT OUTER JOIN "u" ON ("t"."u_id" = "u"."id") JOIN "v" ON ("t"."v_id" = "v"."id") '
                'WHERE "t"."a" = %s GROUP BY "t"."a" HAVING COUNT(*) > %s '
                'ORDER BY "t"."a" DESC NULLS LAST, 2 LIMIT %s OFFSET 3'
            ),
            t.Select(
                items=(t.SelectItem(col("a", "t"), "x"), t.SelectItem(t.Func("COUNT", (t.Star(),)))),
                source=t.Table("t"),
                joins=(
                    t.Join("LEFT", t.Table("u"), t.Comparison("=", col("u_id", "t"), col("id", "u"))),
                    t.Join("INNER", t.Table("v"), t.Comparison("=", col("v_id", "t"), col("id", "v"))),
                ),
                where=t.Comparison("=", col("a", "t"), t.Param(0)),
                group_by=(col("a", "t"),),
                having=t.Comparison(">", t.Func("COUNT", (t.Star(),)), t.Param(1)),
                order_by=(t.OrderItem(col("a", "t"), True, "LAST"), t.OrderItem(t.Literal(2))),
                limit=t.Param(2),
                offset=t.Literal(3),
                distinct=True,
            ),
        )

    def test_parameters_are_numbered_in_text_order(self):
        parser = Parser('SELECT %s AS "x" FROM "t" WHERE "t"."a" = %s AND "t"."b" IN (%s, %s) LIMIT %s')
        select = parser.parse()
        self.assertEqual(parser.param_count, 5)
        self.assertEqual(select.items[0].expr, t.Param(0))
        self.assertEqual(select.where.items[1].items, (t.Param(2), t.Param(3)))
        self.assertEqual(select.limit, t.Param(4))

    def test_derived_table(self):
        self.assertEqual(
            parse('SELECT COUNT(*) FROM (SELECT "t"."id" AS "col1" FROM "t" LIMIT 10) subquery').source,
            t.DerivedTable(t.Select((t.SelectItem(col("id", "t"), "col1"),), t.Table("t"), limit=t.Literal(10)), "subquery"),
        )

    def test_join_hints_name_unique_columns(self):
        # djongo's compiler writes the unique columns of each ON after it.
        select = parse(
            'SELECT "b"."id" FROM "b" INNER JOIN "a" ON ("b"."a_id" = "a"."id") /*+ UNIQUE(2) */ '
            'LEFT OUTER JOIN "c" T3 ON ("b"."id" = T3."b_id") /*+ UNIQUE(1, 2) */ WHERE "a"."x" = 1'
        )
        self.assertEqual([join.unique for join in select.joins], [
            (col("id", "a"),), (col("id", "b"), col("b_id", "T3")),
        ])
        # Without a hint nothing is known; other comments are ignored.
        select = parse('SELECT "b"."id" FROM "b" /* note */ INNER JOIN "a" ON ("b"."a_id" = "a"."id")')
        self.assertEqual(select.joins[0].unique, ())

    def test_explain(self):
        select = parse('SELECT "t"."a" FROM "t"')
        self.assertEqual(parse('EXPLAIN SELECT "t"."a" FROM "t"'), t.Explain(select))
        self.assertEqual(parse('EXPLAIN (FORMAT json, VERBOSITY executionStats) SELECT "t"."a" FROM "t"'),
                         t.Explain(select, "JSON", "executionStats"))
        # A compound SELECT may start with a parenthesis too.
        self.assertIsInstance(parse('EXPLAIN (SELECT "t"."a" FROM "t") UNION (SELECT "t"."a" FROM "t")').statement,
                              t.Compound)
        for sql, fragment in [
            ('EXPLAIN (FORMAT xml) SELECT "t"."a" FROM "t"', "EXPLAIN format XML"),
            ('EXPLAIN (VERBOSITY all) SELECT "t"."a" FROM "t"', "EXPLAIN verbosity all"),
            ('EXPLAIN UPDATE "t" SET "a" = 1', "EXPLAIN of UPDATE (only SELECT is explained)"),
        ]:
            with self.subTest(sql=sql):
                self.assertUnsupported(sql, fragment)

    def test_list_parameter(self):
        self.assertEqual(where_of('"t"."a" NOT IN %s AND "t"."b" = %s'), t.And((
            t.InList(col("a", "t"), (t.ListParam(0),), negated=True),
            t.Comparison("=", col("b", "t"), t.Param(1)),
        )))

    def test_compound(self):
        self.assertEqual(
            parse('SELECT "a" FROM "t" UNION ALL SELECT "a" FROM "u" ORDER BY 1 LIMIT 5'),
            t.Compound(
                "UNION",
                (t.Select((t.SelectItem(col("a")),), t.Table("t")), t.Select((t.SelectItem(col("a")),), t.Table("u"))),
                all=True, order_by=(t.OrderItem(t.Literal(1)),), limit=t.Literal(5),
            ),
        )

    def test_parenthesized_operands(self):
        a = t.Select((t.SelectItem(col("a")),), t.Table("t"))
        self.assertEqual(
            parse('(SELECT "a" FROM "t") INTERSECT (SELECT "a" FROM "t" LIMIT 1) LIMIT 2'),
            t.Compound("INTERSECT", (a, t.Select((t.SelectItem(col("a")),), t.Table("t"), limit=t.Literal(1))),
                       limit=t.Literal(2)),
        )
        # One operand left (Django drops empty ones): its ORDER BY and LIMIT are the select's own.
        self.assertEqual(parse('(SELECT "a" FROM "t") ORDER BY 1 LIMIT 2'),
                         t.Select(a.items, a.source, order_by=(t.OrderItem(t.Literal(1)),), limit=t.Literal(2)))
        # ... unless it has its own: then they apply to its rows.
        self.assertEqual(
            parse('(SELECT "a" FROM "t" LIMIT 5) LIMIT 2'),
            t.Compound("UNION", (t.Select(a.items, a.source, limit=t.Literal(5)),), all=True, limit=t.Literal(2)),
        )

    def test_compound_as_an_expression(self):
        # Subquery(qs1.union(qs2)): a parenthesized compound; a parenthesized subquery in arithmetic is not one.
        where = parse('SELECT "a" FROM "t" WHERE ((SELECT "b" FROM "u") UNION (SELECT "b" FROM "v")) IS NULL').where
        self.assertIsInstance(where.expr.select, t.Compound)
        where = parse('SELECT "a" FROM "t" WHERE ((SELECT "b" FROM "u") + %s) = %s').where
        self.assertIsInstance(where.left, t.BinaryOp)

    def test_insert_update_delete(self):
        self.assertEqual(
            parse('INSERT INTO "t" ("a", "b") VALUES (%s, DEFAULT), (DEFAULT, %s) RETURNING "t"."id"'),
            t.Insert("t", ("a", "b"), ((t.Param(0), t.Default()), (t.Default(), t.Param(1))), (col("id", "t"),)),
        )
        self.assertEqual(
            parse('UPDATE "t" SET "a" = %s, "b" = NULL WHERE "t"."id" IN (%s, %s)'),
            t.Update("t", (("a", t.Param(0)), ("b", t.Literal(None))),
                     t.InList(col("id", "t"), (t.Param(1), t.Param(2)))),
        )
        self.assertEqual(parse('DELETE FROM "t"'), t.Delete("t"))

    def test_create_table(self):
        self.assertEqual(
            parse('CREATE TABLE "t" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "s" varchar(10) NULL UNIQUE, '
                  '"n" int DEFAULT %s NOT NULL, CONSTRAINT "t_sn" UNIQUE ("s", "n"))'),
            d.CreateTable("t", (
                d.ColumnDef("id", "int", nullable=False, primary_key=True, autoincrement=True),
                d.ColumnDef("s", "varchar", nullable=True, unique=True),
                d.ColumnDef("n", "int", nullable=False, default=t.Param(0)),
            ), (d.UniqueConstraint("t_sn", ("s", "n")),)),
        )

    def test_alter_table_actions(self):
        self.assertEqual(
            parse('ALTER TABLE "t" ADD COLUMN "a" int NULL, DROP COLUMN "b", RENAME COLUMN "c" TO "d", '
                  'ADD CONSTRAINT "u" UNIQUE ("e"), DROP CONSTRAINT "v", ALTER COLUMN "f" SET NOT NULL'),
            d.AlterTable("t", (
                d.AddColumn(d.ColumnDef("a", "int")),
                d.DropColumn("b"),
                d.RenameColumn("c", "d"),
                d.AddConstraint(d.UniqueConstraint("u", ("e",))),
                d.DropConstraint("v"),
                d.AlterColumn("f", "SET NOT NULL"),
            )),
        )
        self.assertEqual(parse('ALTER TABLE "t" RENAME TO "u"'), d.AlterTable("t", (d.RenameTable("u"),)))

    def test_indexes(self):
        self.assertEqual(
            parse('CREATE UNIQUE INDEX "i" ON "t" ("a", "b" DESC) WHERE "a" > 1'),
            d.CreateIndex("i", "t", (d.IndexColumn("a"), d.IndexColumn("b", True)), True,
                          t.Comparison(">", col("a"), t.Literal(1))),
        )
        self.assertEqual(parse('DROP INDEX "i" ON "t"'), d.DropIndex("i", "t"))

    def test_trailing_semicolon(self):
        self.assertEqual(parse('DROP TABLE "t";'), d.DropTable("t"))

    def test_string_literals_round_trip_through_sql_literal(self):
        for text in ["it's", "a\\%b", "C:\\dir", "''"]:
            with self.subTest(text=text):
                sql = f'"t"."a" = {sql_literal(text)} OR "t"."b" = \'x\''
                self.assertEqual(
                    where_of(sql),
                    t.Or((t.Comparison("=", col("a", "t"), t.Literal(text)), t.Comparison("=", col("b", "t"), t.Literal("x")))),
                )

    def test_sql_literal_refuses_what_sqlparse_cannot_lex(self):
        # sqlparse reads \' as an escaped quote, so 'C:\' would swallow the
        # rest of the statement; such strings are refused instead.
        for text in ["C:\\", "a\\'b"]:
            with self.subTest(text=text), self.assertRaises(ValueError):
                sql_literal(text)

    def test_backslash_before_other_characters_is_kept_for_like(self):
        self.assertEqual(where_of('"t"."a" LIKE \'a\\%\''), t.Like(col("a", "t"), t.Literal("a\\%")))


class SyntaxErrorTests(TranslationTestCase):

    def test_error_carries_position_and_points_at_it(self):
        sql = 'SELECT "t"."id" FROM "t" WHERE "t"."a" = = %s'
        error = self.assertUnsupported(sql, "expected an expression, found '='")
        self.assertEqual(error.position, sql.index("= %s"))
        self.assertIn("\n" + " " * 7 + " " * error.position + "^", str(error))

    def test_unexpected_end(self):
        sql = 'SELECT "t"."id" FROM "t" WHERE'
        error = self.assertUnsupported(sql, "expected an expression, found end of statement")
        self.assertEqual(error.position, len(sql))

    def test_unclosed_parenthesis(self):
        sql = 'SELECT "t"."id" FROM "t" WHERE ("t"."a" = 1'
        self.assertEqual(self.assertUnsupported(sql, "expected ')'").position, len(sql))

    def test_two_statements(self):
        sql = 'SELECT "a" FROM "t"; SELECT 1'
        error = self.assertUnsupported(sql, "expected end of statement, found 'SELECT'")
        self.assertEqual(error.position, 21)

    def test_unknown_statements(self):
        for sql, word in [('TRUNCATE TABLE "t"', "TRUNCATE"), ("BEGIN", "BEGIN"), ('SAVEPOINT "s1"', "SAVEPOINT")]:
            with self.subTest(sql=sql):
                error = self.assertUnsupported(sql, f"statement {word!r}")
                self.assertEqual(error.position, 0)

    def test_other_placeholder_styles(self):
        for sql, placeholder in [
            ('SELECT "a" FROM "t" WHERE "a" = %(name)s', "%(name)s"),
            ('SELECT "a" FROM "t" WHERE "a" = ?', "?"),
            ('SELECT "a" FROM "t" WHERE "a" = :a', ":a"),
        ]:
            with self.subTest(placeholder=placeholder):
                error = self.assertUnsupported(sql, f"placeholder {placeholder!r} (only %s is supported)")
                self.assertEqual(error.position, sql.index(placeholder))

    def test_unknown_hints(self):
        for hint in ('/*+ INDEX(a) */', '/*+ UNIQUE(3) */', '/*+ UNIQUE("a"."id") */', '/*+ UNIQUE(1 */'):
            with self.subTest(hint=hint):
                with self.assertRaises(SQLDecodeError):
                    parse(f'SELECT "b"."id" FROM "b" INNER JOIN "a" ON ("b"."a_id" = "a"."id") {hint}')
        # A hint anywhere else is not understood either.
        with self.assertRaises(SQLDecodeError):
            parse('SELECT /*+ UNIQUE(1) */ "b"."id" FROM "b"')
        # Nor after an ON that is not an equality of two columns.
        with self.assertRaises(SQLDecodeError):
            parse('SELECT "b"."id" FROM "b" INNER JOIN "a" ON ("b"."a_id" > "a"."id") /*+ UNIQUE(2) */')

    def test_postgres_cast(self):
        self.assertUnsupported('SELECT "t"."a"::text FROM "t"', "'::' cast")

    def test_bad_row_counts(self):
        self.assertUnsupported('SELECT "a" FROM "t" LIMIT -1', "expected a row count")
        self.assertUnsupported('SELECT "a" FROM "t" LIMIT 1.5', "expected a row count")
        self.assertUnsupported('SELECT "a" FROM "t" LIMIT "t"."a"', "expected a row count")

    def test_mixed_compound_operators(self):
        self.assertUnsupported(
            'SELECT "a" FROM "t" UNION SELECT "a" FROM "u" EXCEPT SELECT "a" FROM "v"', "mixed compound operators",
        )

    def test_not_without_a_predicate(self):
        self.assertUnsupported('SELECT "a" FROM "t" WHERE "a" NOT 1', "expected end of statement")

    def test_row_value_in_subquery(self):
        where = parse('SELECT "a" FROM "t" WHERE ("a", "b") NOT IN (SELECT "x", "y" FROM "u")').where
        self.assertEqual(where.expr, t.Row((t.Column("a"), t.Column("b"))))
        self.assertTrue(where.negated)
        self.assertFalse(where.scalar)

    def test_row_value_equal_to_subquery(self):
        where = parse('SELECT "a" FROM "t" WHERE ("a", "b") = (SELECT "x", "y" FROM "u" LIMIT 1)').where
        self.assertIsInstance(where, t.InSubquery)
        self.assertTrue(where.scalar)

    def test_row_values_elsewhere(self):
        self.assertUnsupported('SELECT "a" FROM "t" WHERE ("a", "b") = (1, 2)', "row value (a, b)")
        self.assertUnsupported('SELECT "a" FROM "t" WHERE ("a", "b") < (SELECT "x", "y" FROM "u" LIMIT 1)',
                               "row value (a, b)")
        self.assertUnsupported('SELECT ("a", "b") FROM "t"', "row value (a, b)")

    def test_row_value_equal_to_subquery_of_many_rows(self):
        # SQLite compares with the first of many rows, PostgreSQL fails: neither is guessed.
        self.assertUnsupported('SELECT "a" FROM "t" WHERE ("a", "b") = (SELECT "x", "y" FROM "u")', "without LIMIT 1")

    def test_row_value_against_a_subquery_of_another_width(self):
        self.assertUnsupported('SELECT "a" FROM "t" WHERE ("a", "b") IN (SELECT "x" FROM "u")', "another width")

    def test_error_is_a_django_database_error(self):
        from django.db import DatabaseError
        with self.assertRaises(DatabaseError):
            parse("NONSENSE")
        self.assertTrue(issubclass(SQLDecodeError, DatabaseError))


class LimitTests(TranslationTestCase):
    """Statements nested too deeply are refused with SQLDecodeError, never RecursionError."""

    def test_nesting_up_to_the_limit_parses(self):
        self.assertEqual(parse("SELECT " + "(" * 60 + "1" + ")" * 60 + ' AS "a" FROM "t"').items[0].expr,
                         t.Literal(1))
        self.assertIsInstance(where_of("NOT " * 60 + '"t"."a" = 1'), t.Not)
        self.assertEqual(parse("SELECT " + "- " * 60 + '1 AS "a" FROM "t"').items[0].expr, t.Literal(1))

    def test_nesting_beyond_the_limit(self):
        for sql in [
            "SELECT " + "(" * 70 + "1" + ")" * 70 + ' AS "a" FROM "t"',
            'SELECT "t"."id" FROM "t" WHERE ' + "NOT " * 1000 + '"t"."a" = 1',
            "SELECT " + "- " * 1000 + '1 AS "a" FROM "t"',
            "SELECT " + "UPPER(" * 70 + '"t"."a"' + ")" * 70 + ' AS "a" FROM "t"',
            "SELECT " + "CASE WHEN 1 = 1 THEN " * 70 + "1" + " END" * 70 + ' AS "a" FROM "t"',
        ]:
            with self.subTest(sql=sql[:30]):
                self.assertUnsupported(sql, "nested more than 64 levels deep")

    def test_a_long_chain_deepens_the_tree_without_parentheses(self):
        # a + b + ... parses in a loop but nests one level per operator,
        # and the optimizer and translators walk the tree recursively.
        self.assertUnsupported("SELECT " + " + ".join(['"t"."a"'] * 300) + ' AS "a" FROM "t"', "levels deep (at most 160)")
        command = self.command("SELECT " + " + ".join(['"t"."a"'] * 150) + ' AS "a" FROM "t"')
        self.assertEqual(str(command.pipeline).count("$add"), 149)

    def test_tree_depth_is_counted_without_recursion(self):
        node = t.Literal(1)
        for _ in range(5000):
            node = t.Negative(node)
        self.assertEqual(t.depth(node), 5001)

    def test_numbers_sql_does_not_have(self):
        self.assertUnsupported('SELECT 0x1F AS "a" FROM "t"', "numeric literal '0x1F'")


class ForUpdateTests(TranslationTestCase):
    """SELECT ... FOR UPDATE: a find marked to lock the rows it reads (djongo/locks.py)."""

    SELECT = 'SELECT "t"."id", "t"."n" FROM "t" WHERE "t"."id" = %s LIMIT 21 FOR UPDATE'

    def test_modes(self):
        for suffix, mode in [("", "wait"), (" NOWAIT", "nowait"), (" SKIP LOCKED", "skip locked")]:
            with self.subTest(suffix=suffix):
                statement = parse(self.SELECT + suffix)
                self.assertIsInstance(statement, t.ForUpdate)
                self.assertEqual(statement.mode, mode)
                self.assertEqual(self.command(self.SELECT + suffix).lock, mode)

    def test_right_after_the_table(self):
        # select_for_update() of a whole table: FOR is no alias of "t".
        for suffix, mode in [("", "wait"), (" NOWAIT", "nowait"), (" SKIP LOCKED", "skip locked")]:
            with self.subTest(suffix=suffix):
                statement = parse('SELECT "t"."id" FROM "t" FOR UPDATE' + suffix)
                self.assertEqual(statement.statement.source, t.Table("t"))
                self.assertEqual(statement.mode, mode)

    def test_a_plain_select_locks_nothing(self):
        self.assertIsNone(self.command(self.SELECT.replace(" FOR UPDATE", "")).lock)

    def test_explain_locks_nothing(self):
        self.assertIsInstance(parse("EXPLAIN " + self.SELECT), t.Explain)

    def test_refused_forms(self):
        self.assertUnsupported(self.SELECT + ' OF "t"', "FOR UPDATE OF")
        self.assertUnsupported(self.SELECT.replace("FOR UPDATE", "FOR NO KEY UPDATE"), "FOR NO")
        self.assertUnsupported(self.SELECT.replace("FOR UPDATE", "FOR SHARE"), "FOR SHARE")
        self.assertUnsupported('SELECT COUNT(*) AS "n" FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id") FOR UPDATE',
                               "FOR UPDATE of a grouped")

    def test_with_joins_the_from_tables_ids_are_read_beside_the_columns(self):
        command = self.command(
            'SELECT "t"."id", "u"."id" FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id") FOR UPDATE SKIP LOCKED'
        )
        self.assertIsInstance(command, LockedRows)
        self.assertEqual((command.collection, command.mode, command.names), ("t", "skip locked", ("id", "id")))
        self.assertEqual(command.command.names[-1], LockedRows.ID_COLUMN)
        self.assertEqual(command.command.pipeline[-1]["$project"]["c2"], "$_id")
