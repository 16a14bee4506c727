"""
Decorrelate EXISTS: run the subquery once for all rows instead of once per row.

Django writes ``filter(Exists(Book.objects.filter(author=OuterRef("pk"), pages=999)))`` as::

    WHERE EXISTS(SELECT 1 FROM book U0 WHERE (U0.author_id = (author.id) AND U0.pages = 999) LIMIT 1)

Run literally, that is a ``$lookup`` per author. When the subquery reads the
outer statement through one equality and nothing else, the same rows are::

    WHERE author.id IS NOT NULL AND author.id IN (SELECT U0.author_id FROM book U0
                                                  WHERE U0.pages = 999 AND U0.author_id IS NOT NULL)

whose subquery is uncorrelated: it runs once, before the statement, and its
values become an ``$in`` filter that an index serves.

Why the result is the same, in SQL's three-valued logic: EXISTS is never
UNKNOWN. Its equality holds only for a non-NULL inner value, so leaving NULL
values out of the list changes nothing, and then IN is UNKNOWN only for a
NULL outer value, where the added ``IS NOT NULL`` makes the whole condition
FALSE, as EXISTS is. Under NOT the condition is therefore TRUE for a NULL
outer value, as NOT EXISTS is. ``LIMIT n`` (n > 0) does not change whether
rows exist.

Not rewritten: a subquery with grouping, aggregates, HAVING, OFFSET, a
LIMIT that is not a positive number, more than one correlated condition, a
correlated condition that is not an equality of an inner and an outer
column, or a correlation inside an OR.
"""
import dataclasses

from .. import analysis, tree


def decorrelate(select):
    """Return ``select`` with each EXISTS in its WHERE decorrelated where the rows stay the same."""
    if select.where is None:
        return select
    where = _rewrite(select.where)
    return select if where is select.where else dataclasses.replace(select, where=where)


def _rewrite(condition):
    """Return ``condition`` with its decorrelatable EXISTS replaced, or ``condition`` itself."""
    if isinstance(condition, tree.Exists):
        return semi_join(condition.select) or condition
    if isinstance(condition, (tree.And, tree.Or)):
        items = tuple(_rewrite(item) for item in condition.items)
        if all(new is old for new, old in zip(items, condition.items)):
            return condition
        return type(condition)(items)
    if isinstance(condition, tree.Not):
        item = _rewrite(condition.item)
        return condition if item is condition.item else tree.Not(item)
    return condition


def semi_join(select):
    """
    Return ``outer IS NOT NULL AND outer IN (SELECT inner ...)``, the
    uncorrelated condition equal to ``EXISTS (select)``, or None.
    """
    if not isinstance(select, tree.Select) or not _plain(select):
        return None
    refs = analysis.table_refs(select)
    correlated, others = [], []
    for conjunct in analysis.conjuncts(select.where):
        (correlated if analysis.reads_outside(conjunct, refs) else others).append(conjunct)
    if len(correlated) != 1 or any(analysis.is_correlated(join.table.select) for join in select.joins
                                   if isinstance(join.table, tree.DerivedTable)):
        return None
    if any(analysis.reads_outside(join.on, refs) for join in select.joins):
        return None
    pair = analysis.outer_equality(correlated[0], refs)
    if pair is None:
        return None
    inner, outer = pair
    values = dataclasses.replace(
        select,
        items=(tree.SelectItem(inner),),
        where=analysis.conjunction([*others, tree.IsNull(inner, negated=True)]),
        order_by=(), limit=None, distinct=False,
    )
    return tree.And((tree.IsNull(outer, negated=True), tree.InSubquery(outer, values)))


def _plain(select):
    """Is ``select`` free of what changes whether it has rows: grouping, aggregates, OFFSET, LIMIT 0?"""
    if select.group_by or select.having is not None or select.offset is not None:
        return False
    if any(analysis.contains_aggregate(item.expr) for item in select.items):
        return False
    limit = select.limit
    return limit is None or (isinstance(limit, tree.Literal) and isinstance(limit.value, int) and limit.value > 0)
