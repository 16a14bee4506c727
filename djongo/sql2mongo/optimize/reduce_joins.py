"""
Filter the FROM table by what its joins will require, before any ``$lookup``.

A condition on a joined table can only hold for FROM rows whose join key
matches a joined row that satisfies it. So next to::

    FROM book INNER JOIN author ON (book.author_id = author.id)
    WHERE (book.title ILIKE %s OR author.name ILIKE %s)

the FROM table can first be narrowed by a condition the WHERE implies::

    book.title ILIKE %s OR book.author_id IN (SELECT author.id FROM author WHERE author.name ILIKE %s)

which reads the book alone: it is matched before the ``$lookup`` stages, its
subquery runs once, and the lookups then run only for the rows that can be
in the answer. The join and the original WHERE stay as they are, so the
rows are the same whatever the data holds (repeated keys, missing authors):
the added condition is implied by the WHERE, never a replacement for it.

For a table further down a chain the key set is found through each join on
the way, as nested IN subqueries. A condition is reduced through INNER
joins, and through LEFT joins when it cannot be TRUE on the NULL row that a
LEFT JOIN adds. A condition that reads a statement around this one is left
alone (its subquery would become correlated).

The keys travel in the command, so each subquery reads at most
``KEYS_LIMIT`` rows: one that finds that many is not selective enough to
be worth it, and its condition, only implied, matches every row when it
runs (``$nin: []``), leaving the filtering to the joins as before.
"""
import dataclasses

from .. import analysis, tree
from .joins import path_to, rejects_nulls

# The most rows a reduction's subquery reads; reaching it drops the reduction.
KEYS_LIMIT = 10_000


def reduce_joins(select):
    """Return ``select`` with conditions on the FROM table added that its WHERE implies through the joins."""
    if not select.joins or select.where is None or not isinstance(select.source, tree.Table):
        return select
    refs = analysis.table_refs(select)
    base = select.source.ref
    added = []
    for condition in analysis.conjuncts(select.where):
        if analysis.referenced_tables(condition, refs) <= {base, None}:
            continue
        implied = _implied(select, condition, refs)
        if implied is not None:
            added.append(implied)
    if not added:
        return select
    return dataclasses.replace(select, where=analysis.conjunction([*analysis.conjuncts(select.where), *added]))


def _implied(select, condition, refs):
    """Return a condition on the FROM table alone that ``condition`` implies, or None."""
    if analysis.reads_outside(condition, refs):
        return None
    tables = analysis.referenced_tables(condition, refs)
    base = select.source.ref
    if tables <= {base}:
        return condition
    if isinstance(condition, tree.Or):
        parts = [_implied(select, item, refs) for item in condition.items]
        return None if None in parts else tree.Or(tuple(parts))
    if isinstance(condition, tree.And):
        parts = [part for part in (_implied(select, item, refs) for item in condition.items) if part is not None]
        return analysis.conjunction(parts)
    if len(tables) != 1 or None in tables:
        return None
    (ref,) = tables
    path = path_to(select, ref)
    if path is None:
        return None
    if any(join.kind != "INNER" for join, _ in path) and not rejects_nulls(condition, ref):
        return None
    keys = condition
    for join, (near, far) in reversed(path):
        select = tree.Select(
            items=(tree.SelectItem(far),), source=join.table, where=keys, limit=tree.Literal(KEYS_LIMIT),
        )
        keys = tree.InSubquery(near, select, implied=True)
    return keys
