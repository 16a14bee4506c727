"""
Plans: a SQL string parsed, optimized and translated once, run many times.

Django sends the same SQL text with different parameters over and over, so
the parse, the optimization and the translation are cached per SQL text in
a bounded LRU cache; only parameter binding happens per execution.

An ``IN (%s, %s, ...)`` list differs in length from one call to the next
(``filter(id__in=ids)``), which would make every length a new SQL text and
its parse grow with the list. ``group_in_lists`` first rewrites each such
list as ``IN %s`` with one parameter holding the values, so one plan serves
every length and the text is scanned once, by a regular expression.
"""
import dataclasses
import functools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from djongo.exceptions import SQLDecodeError

from . import naming, tree
from .commands import DeleteMany
from .optimize import optimize
from .parser import Parser
from .translate import translate

PLAN_CACHE_SIZE = 2048

# The plans a statement keeps for the column lists it was named with; more
# than a few only follow one another's migrations.
NAMED_PLANS_PER_STATEMENT = 8

# The deepest query tree a plan is made of: far beyond what Django writes,
# well within what the recursive optimizer and translators can walk.
MAX_TREE_DEPTH = 160

# Placeholders in the format paramstyle: "%%" is a literal percent sign,
# "%s" a parameter, and Django writes an IN list as "IN (%s, %s, %s)".
_PLACEHOLDERS = re.compile(r"%%|\bIN \(%s(?:, %s)*\)|%s")


@dataclass(frozen=True)
class Plan:
    """
    The commands one SQL statement becomes, and how many parameters it
    takes. ``tables`` names the tables whose recorded columns must be known
    first (naming.py); such a plan has no commands until ``named()`` gives
    it the columns.
    """
    sql: str
    commands: tuple
    param_count: int
    tables: tuple = ()
    # For a plan naming.py must name: the parsed statement, and the plans
    # made of it so far by the columns they were named with (a migration
    # that changes the columns makes a new one).
    statement: Any = field(default=None, compare=False, repr=False)
    named_plans: dict = field(default_factory=dict, compare=False, repr=False)

    def named(self, catalog):
        """Return the Plan of this statement with the columns of ``catalog``, a tuple of (table, names) pairs."""
        plan = self.named_plans.get(catalog)
        if plan is None:
            try:
                commands = translate(optimize(naming.name_columns(self.statement, dict(catalog))))
            except SQLDecodeError as exc:
                raise exc.with_sql(self.sql)
            if len(self.named_plans) >= NAMED_PLANS_PER_STATEMENT:
                self.named_plans.clear()
            plan = self.named_plans[catalog] = Plan(self.sql, tuple(commands), self.param_count)
        return plan

    @functools.cached_property
    def deletes(self):
        """Return the table this plan's DELETE deletes rows of, or None."""
        return next((command.collection for command in self.commands if type(command) is DeleteMany), None)

    def with_on_delete(self, on_delete):
        """
        Return this Plan with ``on_delete``, the OnDelete actions of the
        rows referencing the deleted rows ({table: (OnDelete, ...)}, as
        Catalog.on_delete returns them), in its DELETE.
        """
        commands = tuple(
            dataclasses.replace(command, on_delete=on_delete) if type(command) is DeleteMany else command
            for command in self.commands
        )
        return Plan(self.sql, commands, self.param_count)


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def get_plan(sql):
    """Return the Plan for ``sql``, parsing, optimizing and translating it on first use."""
    try:
        parser = Parser(sql)
        statement = parser.parse()
        levels = tree.depth(statement)
        if levels > MAX_TREE_DEPTH:
            # A chain such as a + b + ... + z nests without parentheses; the
            # optimizer and the translators walk the tree recursively.
            raise SQLDecodeError(f"statement nested {levels} levels deep (at most {MAX_TREE_DEPTH})")
        tables = naming.tables_to_name(statement)
        if tables:
            return Plan(sql, (), parser.param_count, tables, statement)
        commands = translate(optimize(statement))
    except SQLDecodeError as exc:
        raise exc.with_sql(sql)
    return Plan(sql, tuple(commands), parser.param_count)


def group_in_lists(sql, params):
    """
    Return ``sql`` with each ``IN (%s, ..., %s)`` written ``IN %s``, and
    ``params`` with the values of each such list gathered into one tuple.
    Return both unchanged when there is no such list, or when the number of
    placeholders does not match the parameters (the cursor reports that).
    """
    if "IN (%s" not in sql:
        return sql, params
    grouped_sql, layout, count = _in_list_layout(sql)
    if count != len(params):
        return sql, params
    grouped, index = [], 0
    for size in layout:
        if size is None:
            grouped.append(params[index])
            index += 1
        else:
            grouped.append(tuple(params[index:index + size]))
            index += size
    return grouped_sql, tuple(grouped)


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def _in_list_layout(sql):
    """
    Return ``sql`` with its IN lists written ``IN %s``, the layout of its
    parameters (None for one parameter, n for an IN list of n) and their
    number: Django sends the same text many times, so it is scanned once.
    """
    pieces, layout = [], []
    start = 0
    for match in _PLACEHOLDERS.finditer(sql):
        text = match.group()
        if text == "%%":
            continue
        if text == "%s":
            layout.append(None)
            continue
        pieces.append(sql[start:match.start()])
        pieces.append("IN %s")
        start = match.end()
        layout.append(text.count("%s"))
    pieces.append(sql[start:])
    return "".join(pieces), tuple(layout), sum(1 if size is None else size for size in layout)


def cache_info():
    """Return the plan cache's hits, misses and size (functools' CacheInfo)."""
    return get_plan.cache_info()
