"""
djongo's SQL dialect (sql2mongo/dialect.py) as a contract between its writers
and its readers: what each writer writes plans, and so does every statement
the ORM wrote in the integration tests (fixtures/orm_plans.txt).
"""
import unittest

import django.db.models  # noqa: F401 - before the backend's modules, as Django imports them
from django.conf import settings

from djongo.operations import DatabaseOperations
from djongo.sql2mongo import dialect
from djongo.sql2mongo.plans import get_plan, group_in_lists, parse
from djongo.sql2mongo.translate import dates
from tests.plan_text import read_statements

if not settings.configured:  # DatabaseOperations reads USE_TZ
    settings.configure(USE_TZ=True)

FROM = ' FROM "t"'
OPERATIONS = DatabaseOperations(connection=None)


def plans(sql):
    """
    Plan ``sql`` as the cursor does; return the plan, or, for a statement
    that needs recorded columns no unit test has, the parsed statement.
    """
    key = group_in_lists(sql, ())[0]
    parsed = parse(key)
    return parsed if parsed.needs.tables else get_plan(key)


class WritersTests(unittest.TestCase):
    """What DatabaseOperations and the compiler write, fed to the parser and the translators."""

    def assertPlans(self, expression, params=()):
        sql = f'SELECT {expression} AS "x"{FROM}'
        with self.subTest(sql=sql):
            self.assertTrue(plans(sql).commands)

    def test_date_functions_of_every_kind_and_zone(self):
        for zone in (None, "UTC", "Europe/Paris", "UTC+05:30"):
            for kind in sorted(dates.EXTRACT_KINDS):
                self.assertPlans(OPERATIONS.datetime_extract_sql(kind, '"t"."d"', (), zone)[0])
            for kind in sorted(dates.TRUNC_KINDS):
                self.assertPlans(OPERATIONS.datetime_trunc_sql(kind, '"t"."d"', (), zone)[0])
            for kind in sorted(dates.TIME_TRUNCS):
                self.assertPlans(OPERATIONS.time_trunc_sql(kind, '"t"."t"', (), zone)[0])
            self.assertPlans(OPERATIONS.datetime_cast_date_sql('"t"."d"', (), zone)[0])
            self.assertPlans(OPERATIONS.datetime_cast_time_sql('"t"."d"', (), zone)[0])
        for kind in sorted(dates.TIME_EXTRACT_KINDS):
            self.assertPlans(OPERATIONS.time_extract_sql(kind, '"t"."t"', ())[0])

    def test_text_of_numbers_and_dates(self):
        for internal_type in ("IntegerField", "DecimalField", "DateTimeField", "DateField"):
            cast = OPERATIONS.lookup_cast("startswith", internal_type) % '"t"."d"'
            sql = f'SELECT "t"."id"{FROM} WHERE {cast} LIKE %s'
            with self.subTest(sql=sql):
                self.assertTrue(plans(sql).commands)

    def test_duration_arithmetic(self):
        duration = OPERATIONS.format_for_duration_arithmetic('"t"."span"')
        for connector in ("+", "-"):
            self.assertPlans(OPERATIONS.combine_duration_expression(connector, ['"t"."d"', duration]))

    def test_hints(self):
        join = 'SELECT "t"."id" FROM "t" INNER JOIN "u" ON ("t"."u_id" = "u"."id") '
        for positions in ([1], [2], [1, 2]):
            self.assertTrue(plans(join + dialect.hint(dialect.UNIQUE, positions)).commands)
        update = f'UPDATE "t" SET "n" = {dialect.NOT_NULL_NUMBER}(("t"."n" + %s)) WHERE "t"."id" = %s'
        self.assertTrue(plans(update).commands)
        self.assertEqual(dialect.hint(dialect.UNIQUE, []), "")

    def test_literals_read_back_as_written(self):
        for value in (None, True, False, 0, -7, 2.5, "", "it's", "100%", "a\\b"):
            sql = f'SELECT "t"."id"{FROM} WHERE "t"."a" = {dialect.literal(value)}'
            with self.subTest(value=value):
                plan = plans(sql.replace("%", "%%"))
                self.assertEqual(plan.param_count, 0)


class CorpusTests(unittest.TestCase):
    """The SQL the ORM wrote in the integration tests (scripts/capture-sql records it)."""

    def test_every_statement_plans(self):
        statements = read_statements()
        self.assertGreater(len(statements), 500)
        failed = {}
        for sql in statements:
            try:
                plans(sql)
            except Exception as exc:  # every failure is listed, not only the first
                failed[sql] = f"{type(exc).__name__}: {exc}"
        self.assertEqual(failed, {})
