"""
Start a chain of INNER joins from the table whose every join finds at most one row.

A ``$lookup`` from a row into a unique column (a primary key) finds at most
one document through an index; a ``$lookup`` into a column that many rows
share (``book.author_id`` seen from an author) fetches them all, once per
row. ``Book.objects.filter(tags__name="t7")`` is written from the book::

    FROM book INNER JOIN book_tags ON (book.id = book_tags.book_id)
              INNER JOIN tag ON (book_tags.tag_id = tag.id) WHERE tag.name = %s

INNER joins commute, so the same rows come from the link table outward,
where both joins are lookups into unique columns::

    FROM book_tags INNER JOIN tag ON (book_tags.tag_id = tag.id)
                   INNER JOIN book ON (book.id = book_tags.book_id) WHERE tag.name = %s

and the filter on ``tag`` then reduces ``book_tags`` before any lookup (see
reduce_joins.py). The rows come back in no particular order, which SQL
allows when there is no ORDER BY; an ORDER BY is applied as before.

It applies when every join is INNER with one column equality, some table
other than FROM has a WHERE condition of its own (so the join filters), and
FROM is not already such a root while another table is. Without Django's
unique-column hints nothing is reordered.
"""
import dataclasses

from .. import analysis
from .joins import edges


def reorder_joins(select):
    """Return ``select`` with its INNER joins rooted at a table from which each join finds at most one row."""
    if not select.joins or any(join.kind != "INNER" for join in select.joins):
        return select
    graph = edges(select)
    if graph is None or _all_to_one(graph, select.source.ref) is not None:
        return select
    refs = set(graph)
    filtered = {
        ref for condition in analysis.conjuncts(select.where)
        for ref in analysis.referenced_tables(condition, refs)
    }
    if not filtered - {select.source.ref, None}:
        return select
    for ref in graph:
        order = _all_to_one(graph, ref)
        if order is not None:
            tables = {table.ref: table for table in analysis.tables(select)}
            return dataclasses.replace(
                select, source=tables[ref],
                joins=tuple(dataclasses.replace(join, table=tables[table_ref]) for table_ref, join in order),
            )
    return select


def _all_to_one(graph, root):
    """
    Return the joins in the order a walk from ``root`` meets them, as (table
    ref, join) pairs, when every join on the way finds at most one row; else None.
    """
    order, seen, pending = [], {root}, [root]
    while pending:
        ref = pending.pop(0)
        for edge in graph[ref]:
            far = edge.far.table
            if far in seen:
                continue
            if not edge.far_unique:
                return None
            seen.add(far)
            order.append((far, edge.join))
            pending.append(far)
    return order
