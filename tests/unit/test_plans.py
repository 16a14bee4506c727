"""The plan cache: one parse and translation per SQL text (sql2mongo/plans.py)."""
from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import Find
from djongo.sql2mongo.plans import PLAN_CACHE_SIZE, Facts, Plan, cache_info, get_plan, group_in_lists, parse

from .base import TranslationTestCase, bound_part

SQL = 'SELECT "app_author"."id" FROM "app_author" WHERE "app_author"."age" > %s'


class PlanTests(TranslationTestCase):

    def setUp(self):
        get_plan.cache_clear()

    def tearDown(self):
        get_plan.cache_clear()

    def test_plan_holds_sql_commands_and_parameter_count(self):
        self.assertEqual(get_plan(SQL), Plan(SQL, (Find(
            "app_author", filter={"age": {"$gt": Slot(0)}}, projection={"_id": 0, "id": 1},
            columns=("id",), names=("id",),
        ),), 1))

    def test_same_sql_text_gives_the_same_plan_object(self):
        first = get_plan(SQL)
        self.assertIs(get_plan(SQL), first)
        self.assertIs(get_plan("".join(SQL)), first)  # an equal string, not the same object
        info = cache_info()
        self.assertEqual((info.hits, info.misses, info.currsize), (2, 1, 1))

    def test_different_text_is_a_different_plan(self):
        other = SQL.replace(" > ", " >  ")
        self.assertIsNot(get_plan(other), get_plan(SQL))
        self.assertEqual(get_plan(other).commands, get_plan(SQL).commands)

    def test_cache_is_bounded(self):
        self.assertEqual(cache_info().maxsize, PLAN_CACHE_SIZE)
        self.assertGreater(PLAN_CACHE_SIZE, 0)
        first_sql = 'SELECT "t"."id" FROM "t" LIMIT 0'
        first = get_plan(first_sql)
        for n in range(1, PLAN_CACHE_SIZE + 1):
            get_plan(f'SELECT "t"."id" FROM "t" LIMIT {n}')
        self.assertEqual(cache_info().currsize, PLAN_CACHE_SIZE)
        # The least recently used plan was evicted and is built anew.
        again = get_plan(first_sql)
        self.assertIsNot(again, first)
        self.assertEqual(again, first)

    def test_recently_used_plan_survives(self):
        kept_sql = 'SELECT "t"."id" FROM "t" LIMIT 0'
        kept = get_plan(kept_sql)
        for n in range(1, PLAN_CACHE_SIZE + 1):
            get_plan(f'SELECT "t"."id" FROM "t" LIMIT {n}')
            if n % 100 == 0:
                get_plan(kept_sql)
        self.assertIs(get_plan(kept_sql), kept)

    def test_parameter_counts(self):
        for sql, count in [
            ('SELECT "t"."a" FROM "t"', 0),
            (SQL, 1),
            ('SELECT %s AS "a" FROM "app_author" WHERE "app_author"."name" = %s LIMIT 1', 2),
            ('SELECT "t"."a" FROM "t" WHERE "t"."a" IN (%s, %s, %s) OR "t"."b" BETWEEN %s AND %s', 5),
            ('INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, DEFAULT), (%s, %s)', 5),
            ('UPDATE "t" SET "a" = %s, "b" = NULL WHERE "t"."id" = %s', 2),
            ('DELETE FROM "t" WHERE "t"."id" IN (%s, %s)', 2),
            ('ALTER TABLE "t" ADD COLUMN "a" int DEFAULT %s NOT NULL', 1),
            ('ALTER TABLE "t" ALTER COLUMN "a" SET DEFAULT %s', 1),
            ('SELECT "t"."a" FROM "t" WHERE "t"."b" = \'%s\'', 0),  # in a string, %s is text
        ]:
            with self.subTest(sql=sql):
                self.assertEqual(get_plan(sql).param_count, count)

    def test_parameter_inside_a_string_is_text(self):
        self.assertEqual(get_plan('SELECT "t"."a" FROM "t" WHERE "t"."b" = \'%s\'').commands[0].filter,
                         {"b": "%s"})

    def test_errors_carry_the_sql_and_are_not_cached(self):
        bad = 'SELECT "t"."id" FROM "t" RIGHT JOIN "u" ON ("t"."x" = "u"."id")'
        for _ in range(2):
            with self.assertRaises(SQLDecodeError) as context:
                get_plan(bad)
            self.assertEqual(context.exception.sql, bad)
        self.assertEqual(cache_info().currsize, 0)

    def test_translation_errors_get_the_sql_attached(self):
        # Raised by the translator, which does not see the SQL text.
        sql = 'SELECT "t"."a" FROM "t" GROUP BY "t"."a" HAVING BITAND("t"."a", %s) > %s'
        error = self.assertUnsupported(sql, "Unsupported SQL: function BITAND()")
        self.assertIsNone(error.position)
        self.assertTrue(error.construct.startswith("function BITAND()"), error.construct)


class InListTests(TranslationTestCase):
    """One plan for every length of IN list (plans.group_in_lists)."""

    def test_lists_become_one_parameter(self):
        sql = 'SELECT "t"."a" FROM "t" WHERE ("t"."a" IN (%s, %s, %s) AND "t"."b" = %s AND "t"."c" NOT IN (%s))'
        self.assertEqual(group_in_lists(sql, (1, 2, 3, "x", 4)), (
            'SELECT "t"."a" FROM "t" WHERE ("t"."a" IN %s AND "t"."b" = %s AND "t"."c" NOT IN %s)',
            ((1, 2, 3), "x", (4,)),
        ))

    def test_every_length_shares_one_plan(self):
        get_plan.cache_clear()
        for length in (1, 2, 50, 5000):
            sql = 'SELECT "t"."a" FROM "t" WHERE "t"."id" IN (%s)' % ", ".join(["%s"] * length)
            key, params = group_in_lists(sql, tuple(range(length)))
            self.assertEqual(params, (tuple(range(length)),))
            self.assertEqual(get_plan(key).param_count, 1)
        self.assertEqual(cache_info().currsize, 1)

    def test_literal_percent_signs_and_other_text_are_kept(self):
        sql = 'SELECT "t"."a" FROM "t" WHERE ("t"."b" LIKE \'a%%\' AND "t"."a" IN (%s, %s) AND "t"."c" = %s)'
        self.assertEqual(group_in_lists(sql, (1, 2, 3)), (
            'SELECT "t"."a" FROM "t" WHERE ("t"."b" LIKE \'a%%\' AND "t"."a" IN %s AND "t"."c" = %s)',
            ((1, 2), 3),
        ))
        # A subquery, literals and JOIN ( are not lists of placeholders.
        for sql, params in [
            ('SELECT "t"."a" FROM "t" WHERE "t"."a" IN (SELECT "u"."a" FROM "u" WHERE "u"."b" = %s)', (1,)),
            ('SELECT "t"."a" FROM "t" WHERE "t"."a" IN (1, 2)', ()),
        ]:
            self.assertEqual(group_in_lists(sql, params), (sql, params))

    def test_a_wrong_number_of_parameters_is_left_to_the_cursor(self):
        sql = 'SELECT "t"."a" FROM "t" WHERE "t"."a" IN (%s, %s)'
        self.assertEqual(group_in_lists(sql, (1,)), (sql, (1,)))
        self.assertEqual(group_in_lists(sql, (1, 2, 3)), (sql, (1, 2, 3)))

    def test_a_list_parameter_binds_with_sqls_null_rules(self):
        sql = 'SELECT "t"."a" FROM "t" WHERE "t"."a" IN %s'
        self.assertBinds(sql, [(1, 2)], {"a": {"$in": [1, 2]}})
        # x IN (1, NULL) is TRUE only for 1.
        self.assertBinds(sql, [(1, None)], {"a": {"$in": [1]}})
        self.assertBinds(sql, [()], {"a": {"$in": []}})
        negated = 'SELECT "t"."a" FROM "t" WHERE "t"."a" NOT IN %s'
        self.assertBinds(negated, [(1, 2)], {"a": {"$nin": [1, 2, None]}})
        # x NOT IN (1, NULL) is never TRUE.
        self.assertBinds(negated, [(1, None)], {"a": {"$in": []}})
        # NOT (x IN ...) is the same as NOT IN.
        self.assertBinds('SELECT "t"."a" FROM "t" WHERE NOT ("t"."a" IN %s)', [(1,)], {"a": {"$nin": [1, None]}})

    def test_a_list_parameter_is_a_value_never_an_operator(self):
        sql = 'SELECT "t"."a" FROM "t" WHERE "t"."a" IN %s'
        self.assertBinds(sql, [({"$gt": ""},)], {"a": {"$in": [{"$gt": ""}]}})

    def test_a_list_parameter_in_a_computed_condition(self):
        sql = 'SELECT ("t"."a" + 1) IN %s AS "x" FROM "t"'
        plan = get_plan(sql)
        computed = bound_part(plan.commands[0], ((1, None),))[0]["$project"]["c0"]
        # TRUE when found; UNKNOWN when not, because of the NULL.
        found = computed["$cond"][2]["$cond"][0]
        self.assertEqual(found, {"$in": [{"$add": ["$a", {"$literal": 1}]}, {"$literal": [1]}]})
        self.assertEqual(computed["$cond"][2]["$cond"][2], None)
        computed = bound_part(plan.commands[0], ((1, 2),))[0]["$project"]["c0"]
        self.assertEqual(computed["$cond"][2]["$cond"][2], False)


class GarbageTests(TranslationTestCase):
    """Making a plan leaves no reference cycles: Django's select_related tests check that a query leaves none."""

    def test_planning_the_captured_orm_statements_leaves_no_cycles(self):
        import gc
        from tests.plan_text import read_statements

        statements = read_statements()
        self.assertGreater(len(statements), 500)
        self.addCleanup(gc.enable)
        self.addCleanup(gc.set_debug, 0)
        get_plan.cache_clear()
        parse.cache_clear()
        self.addCleanup(get_plan.cache_clear)
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        for sql in statements:
            try:
                needs = parse(sql).needs
                get_plan(sql, Facts(tuple((table, ("id", "name")) for table in needs.tables)))
            except SQLDecodeError:
                pass
        gc.collect()
        garbage = sorted({type(thing).__qualname__ for thing in gc.garbage})
        gc.garbage.clear()
        self.assertEqual(garbage, [])
