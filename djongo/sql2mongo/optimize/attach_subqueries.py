"""
Compute a correlated subquery of the select list for all rows at once.

``Author.objects.annotate(latest=Subquery(Book.objects.filter(author=OuterRef("pk"))
.order_by("-id").values("title")[:1]))[:50]``::

    SELECT author.id, (SELECT U0.title FROM book U0 WHERE U0.author_id = (author.id)
                       ORDER BY U0.id DESC LIMIT 1) AS latest
    FROM author ORDER BY author.id LIMIT 50

runs the subquery once per author. When it reads the author through one
equality and the statement uses its value only as an output column, the same
rows come from two commands that djongo joins itself (a KeyedJoin): the 50
authors, then one query over the books of those authors (``U0.author_id IN
<keys>``) that keeps, per author, the first book in the subquery's order
(``$sort`` then ``$group`` with ``$first``). An author without books gets
NULL, as the scalar subquery gives.

The subquery may also be an aggregate: ``SELECT COUNT(*) FROM book U0 WHERE
U0.author_id = (author.id)`` becomes one grouped query, and an author
without books gets the aggregate of no rows (0 for COUNT, NULL for the
others); or it may already be grouped by its correlated column (Django's
``values("author").annotate(...)``), and then no group gives NULL.

It applies to the statement itself, without grouping or DISTINCT, to a
select item that is the subquery itself, when nothing but ORDER BY reads
that item (an ORDER BY on it sorts the joined rows, and LIMIT and OFFSET
then apply to them). The rest of the subquery must be uncorrelated. The key
set restricts the subquery when the statement has a WHERE or a LIMIT;
otherwise the subquery reads all its rows once.
"""
import dataclasses

from .. import analysis, tree
from .keyed import keyed_join, order_by_expressions, order_positions

# The aggregate of no rows, for a subquery that is one bare aggregate.
OF_NO_ROWS = {"COUNT": 0}


def attach_subqueries(select):
    """Return a KeyedJoin computing the first attachable select-list subquery for all rows, or ``select``."""
    if (select.group_by or select.having is not None or select.distinct or select.source is None
            or any(analysis.contains_aggregate(item.expr) for item in select.items)):
        return select
    refs = analysis.table_refs(select)
    for position, item in enumerate(select.items):
        if isinstance(item.expr, tree.Subquery) and isinstance(item.expr.select, tree.Select):
            attached = _attach(select, position, refs)
            if attached is not None:
                return attached
    return select


def _attach(select, position, refs):
    subquery = select.items[position].expr
    if any(subquery in tree.walk(part) for part in (select.where, *select.group_by)):
        return None
    if any(subquery in tree.walk(join.on) for join in select.joins):
        return None
    inner = _keyed_subquery(subquery.select, refs)
    if inner is None:
        return None
    inner, outer_key, default, first_per_key = inner
    items = list(select.items)
    items[position] = tree.SelectItem(tree.Literal(None), items[position].alias)
    positions = order_positions(select, items, select.source.ref)
    if positions is None:
        return None
    order, hidden = positions
    items.extend(hidden)
    key = len(items)
    items.append(tree.SelectItem(outer_key, "__key"))
    outer = dataclasses.replace(select, items=tuple(items))
    return keyed_join(select, outer, inner, key, ((position, 1, default),), order, first_per_key)


def _keyed_subquery(select, refs):
    """
    Return (inner select, outer key column, default, first per key) for a
    subquery correlated by one equality whose column it can be grouped by,
    or None.
    """
    if len(select.items) != 1 or select.offset is not None or select.distinct:
        return None
    if select.limit is not None and not (isinstance(select.limit, tree.Literal) and select.limit.value == 1):
        return None
    inner_refs = analysis.table_refs(select)
    correlated, others = [], []
    for conjunct in analysis.conjuncts(select.where):
        (correlated if analysis.reads_outside(conjunct, inner_refs) else others).append(conjunct)
    untouched = [item.expr for item in select.items] + [join.on for join in select.joins]
    untouched += [*select.group_by, select.having, *(order.expr for order in select.order_by)]
    if len(correlated) != 1 or any(part is not None and analysis.reads_outside(part, inner_refs) for part in untouched):
        return None
    if isinstance(select.source, tree.DerivedTable) and analysis.is_correlated(select.source.select):
        return None
    pair = analysis.outer_equality(correlated[0], inner_refs)
    if pair is None or pair[1].table not in refs:
        return None
    inner_key, outer_key = pair
    expr = select.items[0].expr
    key_item = tree.SelectItem(inner_key, "__key")
    where = analysis.conjunction(others)
    if select.group_by:
        # Grouped by the correlated column: one row per key, none for a key without rows.
        if select.group_by != (inner_key,) or select.having is not None:
            return None
        inner = dataclasses.replace(select, items=(key_item, select.items[0]), where=where, order_by=(), limit=None)
        return inner, outer_key, tree.Literal(None), False
    if analysis.contains_aggregate(expr):
        if not (analysis.is_aggregate(expr) and select.having is None):
            return None
        inner = dataclasses.replace(
            select, items=(key_item, select.items[0]), where=where, group_by=(inner_key,), order_by=(), limit=None,
        )
        return inner, outer_key, tree.Literal(OF_NO_ROWS.get(expr.name)), False
    if select.limit is None or select.having is not None:
        return None
    inner = dataclasses.replace(
        select, items=(key_item, select.items[0]), where=where, order_by=order_by_expressions(select), limit=None,
    )
    return inner, outer_key, tree.Literal(None), True
