"""
Turn a join used only to filter into a semi-join: ``IN (SELECT ...)``.

``Book.objects.filter(author__name="Ann")`` joins the author only to test
its name::

    SELECT book.* FROM book INNER JOIN author ON (book.author_id = author.id) WHERE author.name = %s

When ``author.id`` is unique (Django's hint says so), each book meets at most
one author, so the join neither repeats nor adds rows and the same rows are::

    SELECT book.* FROM book WHERE book.author_id IN (SELECT author.id FROM author WHERE author.name = %s)

The subquery runs once and feeds an ``$in`` filter: no ``$lookup`` at all,
and the statement may become a plain ``find``. A book whose author is
missing (MongoDB enforces no foreign key) matches neither form.

It applies to a join that no other part of the statement reads except WHERE
conditions on the joined table alone, at least one of them:

- an INNER join whose ON column on the joined side is unique;
- a LEFT join likewise, when one of those conditions cannot be TRUE on the
  NULL row LEFT JOIN adds for a row without a match (then LEFT acts as INNER);
- either kind, even without a unique column, under SELECT DISTINCT with no
  grouping: DISTINCT drops the repeats the join would make.

A LEFT join to a unique column that nothing reads at all is dropped: every
row keeps exactly one match or its NULL row. Joins are considered from the
last one back, so that a chain shortens from its far end.
"""
import dataclasses

from .. import analysis, tree
from .joins import equated_columns, is_unique, referenced_by_others, rejects_nulls


def eliminate_joins(select):
    """Return ``select`` with its filter-only joins turned into IN subqueries."""
    changed = True
    while changed and select.joins:
        changed = False
        for join in reversed(select.joins):
            rewritten = _eliminate(select, join)
            if rewritten is not None:
                select, changed = rewritten, True
                break
    return select


def _eliminate(select, join):
    if not isinstance(join.table, tree.Table):
        return None
    ref = join.table.ref
    others = [other for other in select.joins if other is not join]
    earlier = {table.ref for table in analysis.tables(select)} - {ref}
    pair = equated_columns(join, earlier)
    if pair is None or any(ref in analysis.referenced_tables(other.on, earlier | {ref}) for other in others):
        return None
    near, far = pair
    refs = analysis.table_refs(select)
    filters = [
        condition for condition in analysis.conjuncts(select.where)
        if analysis.referenced_tables(condition, refs) == {ref} and not analysis.reads_outside(condition, refs)
    ]
    if referenced_by_others(select, ref, besides=filters):
        return None
    grouped = select.group_by or select.having is not None or any(
        analysis.contains_aggregate(item.expr) for item in select.items)
    repeats_harmless = select.distinct and not grouped
    if not filters:
        if join.kind == "LEFT" and is_unique(join, far):
            return dataclasses.replace(select, joins=tuple(others))
        return None
    if not (is_unique(join, far) or repeats_harmless):
        return None
    if join.kind == "LEFT" and not any(rejects_nulls(condition, ref) for condition in filters):
        return None
    keys = tree.Select(
        items=(tree.SelectItem(far),), source=join.table, where=analysis.conjunction(filters),
    )
    kept = [condition for condition in analysis.conjuncts(select.where) if condition not in filters]
    where = analysis.conjunction([*kept, tree.InSubquery(near, keys)])
    return dataclasses.replace(select, joins=tuple(others), where=where)
