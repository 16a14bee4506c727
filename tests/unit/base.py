"""
The base class of the translation tests: SQL (and parameters) in, MongoDB
commands out.

Parsing and translation are pure, so no server and no Django settings are
needed. The SQL in the tests is the SQL Django 5.2 compiles for this
backend: names quoted as "name", %s placeholders, LIKE/ILIKE with backslash
escapes, and the schema editor's DDL templates.
"""
import unittest

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo.binding import bind
from djongo.sql2mongo.commands import Aggregate, CountDocuments, DeleteMany, Find, InsertMany, UpdateMany
from djongo.sql2mongo.parser import Parser
from djongo.sql2mongo.plans import Plan, get_plan
from djongo.sql2mongo.translate import translate

# The MongoDB filter that matches no document (djongo's "always UNKNOWN/FALSE").
MATCH_NONE = {"$expr": False}


def bound_part(command, params, part=None):
    """Bind ``params`` into the template ``part`` of ``command`` (filter, pipeline, update or rows)."""
    if part is None:
        if isinstance(command, Aggregate):
            part = "pipeline"
        elif isinstance(command, UpdateMany):
            part = "update"
        elif isinstance(command, InsertMany):
            part = "rows"
        elif isinstance(command, (Find, CountDocuments, DeleteMany)):
            part = "filter"
        else:
            raise AssertionError(f"no template to bind in {command!r}")
    template = getattr(command, part)
    if part == "rows":
        return [bind(list(row), params) for row in template]
    return bind(template, params)


def literal_plan(sql):
    """Return the Plan of ``sql`` translated as parsed, without the optimizer's rewrites."""
    parser = Parser(sql)
    commands = translate(parser.parse())
    return Plan(sql, tuple(commands), parser.param_count)


class TranslationTestCase(unittest.TestCase):
    maxDiff = None
    # Tests of a translate/ module's own rules set this to False: they then
    # see the tree as parsed, not as the optimizer would rewrite it.
    optimized = True

    def plan(self, sql):
        return get_plan(sql) if self.optimized else literal_plan(sql)

    def commands(self, sql):
        return self.plan(sql).commands

    def command(self, sql):
        """Return the only command ``sql`` translates to."""
        commands = self.plan(sql).commands
        self.assertEqual(len(commands), 1, f"expected one command, got {commands!r}")
        return commands[0]

    def assertTranslates(self, sql, expected_commands):
        """``sql`` becomes exactly ``expected_commands`` (whole dataclasses, Slots included)."""
        self.assertEqual(self.plan(sql).commands, tuple(expected_commands))

    def assertBinds(self, sql, params, expected, part=None):
        """
        Binding ``params`` into the first command of ``sql`` gives ``expected``:
        the filter of a find, count or delete, the pipeline of an aggregate,
        the update of an update (or ``part``, e.g. "filter"), the rows of an insert.
        """
        plan = self.plan(sql)
        self.assertEqual(plan.param_count, len(params), "the test passes the wrong number of parameters")
        self.assertEqual(bound_part(plan.commands[0], tuple(params), part), expected)

    def assertUnsupported(self, sql, fragment):
        """``sql`` is refused with an SQLDecodeError naming ``fragment`` and carrying the full SQL."""
        with self.assertRaises(SQLDecodeError) as context:
            get_plan(sql)
        error = context.exception
        self.assertIn(fragment, str(error))
        self.assertEqual(error.sql, sql)
        self.assertIn(sql, str(error))
        return error
