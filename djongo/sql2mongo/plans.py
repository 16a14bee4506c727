"""
Plans: a SQL string parsed, optimized and translated once, run many times.

Django sends the same SQL text with different parameters over and over, so
the parse, the optimization and the translation are cached per SQL text in
bounded LRU caches; only parameter binding happens per execution.

A few statements need facts of the database to be planned: ``SELECT *``
and unqualified columns over joined tables need the tables' recorded
columns (naming.py), a DELETE the ON DELETE actions of the rows
referencing its table. ``parse()`` says what a statement needs (Needs),
the catalog answers (Catalog.facts, one query at most), and ``get_plan()``
takes the answer as one argument (Facts), part of the cache key: a plan is
complete when made, and a schema change makes a new one.

An ``IN (%s, %s, ...)`` list differs in length from one call to the next
(``filter(id__in=ids)``), which would make every length a new SQL text and
its parse grow with the list. ``group_in_lists`` first rewrites each such
list as ``IN %s`` with one parameter holding the values, so one plan serves
every length and the text is scanned once, by a regular expression.
"""
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from djongo.exceptions import SQLDecodeError

from . import naming, tree
from .commands import DeleteMany
from .optimize import optimize
from .parser import Parser
from .translate import translate

PLAN_CACHE_SIZE = 2048

# The deepest query tree a plan is made of: far beyond what Django writes,
# well within what the recursive optimizer and translators can walk.
MAX_TREE_DEPTH = 160

# Placeholders in the format paramstyle: "%%" is a literal percent sign,
# "%s" a parameter, and Django writes an IN list as "IN (%s, %s, %s)".
_PLACEHOLDERS = re.compile(r"%%|\bIN \(%s(?:, %s)*\)|%s")


@dataclass(frozen=True)
class Needs:
    """
    What planning a statement needs to know of the database: the recorded
    columns of ``tables`` (a ``SELECT *`` or an unqualified column that
    only the schema resolves, naming.py), and the ON DELETE actions of the
    rows referencing the table a DELETE deletes from (``deletes``).
    """
    tables: tuple = ()
    deletes: Optional[str] = None


NO_NEEDS = Needs()


@dataclass(frozen=True, eq=False)
class Facts:
    """
    What the database says about the tables a statement needs (Needs),
    as Catalog.facts() reads it: ``columns`` pairs each table with its
    recorded column names (None for a table with no record), ``on_delete``
    is Catalog.on_delete()'s mapping for the deleted table.

    Facts are part of a plan's cache key. ``on_delete`` compares by
    identity: the catalog keeps one mapping per table until the schema
    changes, and its values (a db_default may be a list) need not hash.
    """
    columns: tuple = ()
    on_delete: Any = None

    def __eq__(self, other):
        return (isinstance(other, Facts) and self.columns == other.columns
                and self.on_delete is other.on_delete)

    def __hash__(self):
        return hash((self.columns, id(self.on_delete)))


NO_FACTS = Facts()


@dataclass(frozen=True)
class Parsed:
    """A SQL statement parsed, with its parameter count and what planning it needs (Needs)."""
    sql: str
    statement: Any
    param_count: int
    needs: Needs = NO_NEEDS


@dataclass(frozen=True)
class Plan:
    """The commands one SQL statement becomes, complete, and how many parameters it takes."""
    sql: str
    commands: tuple
    param_count: int


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def parse(sql):
    """Return the Parsed statement of ``sql``, parsing it on first use."""
    try:
        parser = Parser(sql)
        statement = parser.parse()
        levels = tree.depth(statement)
        if levels > MAX_TREE_DEPTH:
            # A chain such as a + b + ... + z nests without parentheses; the
            # optimizer and the translators walk the tree recursively.
            raise SQLDecodeError(f"statement nested {levels} levels deep (at most {MAX_TREE_DEPTH})")
    except SQLDecodeError as exc:
        raise exc.with_sql(sql)
    needs = Needs(
        tables=naming.tables_to_name(statement),
        deletes=statement.table if isinstance(statement, tree.Delete) else None,
    )
    return Parsed(sql, statement, parser.param_count, needs)


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def get_plan(sql, facts=NO_FACTS):
    """
    Return the Plan for ``sql`` given ``facts``, the database's answer to
    its needs (parse(sql).needs, read by Catalog.facts()): optimized and
    translated on first use of the pair, complete when made.
    """
    parsed = parse(sql)
    statement = parsed.statement
    try:
        if parsed.needs.tables:
            statement = naming.name_columns(statement, dict(facts.columns))
        commands = translate(optimize(statement))
    except SQLDecodeError as exc:
        raise exc.with_sql(sql)
    if facts.on_delete:
        # What deleting the rows does to the rows referencing them
        # (ForeignKey's DB_CASCADE, DB_SET_NULL, DB_SET_DEFAULT).
        commands = [
            dataclasses.replace(command, on_delete=facts.on_delete) if type(command) is DeleteMany else command
            for command in commands
        ]
    return Plan(sql, tuple(commands), parsed.param_count)


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
