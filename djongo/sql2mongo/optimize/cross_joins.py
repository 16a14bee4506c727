"""
Join the tables of ``FROM a, b`` on the WHERE conditions that relate them.

``QuerySet.extra(tables=["b"], where=["a.b_id = b.id"])`` writes a comma
join, every pair of rows, filtered by WHERE::

    SELECT a.* FROM a , b WHERE (a.b_id = b.id)

The parser reads ``, b`` as ``INNER JOIN b ON TRUE``. A WHERE conjunct that
reads the joined table and only tables before it filters the pairs the
same way in ON as in WHERE, since an INNER join keeps just the pairs its ON
accepts, and the joins after it neither change those tables' columns nor
bring back a row a condition dropped. Moved into ON, the condition makes
the ``$lookup`` fetch only the matching documents instead of the whole
collection for every row (https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/).
"""
import dataclasses

from .. import analysis, tree

# The ON of a comma join, as the parser writes it.
TRUE = tree.IsTrue(tree.Literal(True))


def cross_joins(select):
    """Return ``select`` with the WHERE conditions on each comma-joined table moved into its ON."""
    if not any(join.on == TRUE and join.kind == "INNER" for join in select.joins):
        return select
    conditions = list(analysis.conjuncts(select.where))
    refs = analysis.table_refs(select)
    earlier = {select.source.ref} if select.source is not None else set()
    joins = []
    for join in select.joins:
        ref = join.table.ref
        if join.on == TRUE and join.kind == "INNER":
            moved = [condition for condition in conditions if _reads_only(condition, ref, earlier, refs)]
            if moved:
                conditions = [condition for condition in conditions if condition not in moved]
                join = dataclasses.replace(join, on=analysis.conjunction(moved))
        joins.append(join)
        earlier.add(ref)
    return dataclasses.replace(select, joins=tuple(joins), where=analysis.conjunction(conditions))


def _reads_only(condition, ref, earlier, refs):
    """Does ``condition`` read table ``ref`` and no table but ``earlier`` ones beside it, without subqueries?"""
    if any(True for _ in analysis.subqueries(condition)) or analysis.contains_aggregate(condition):
        return False
    read = analysis.referenced_tables(condition, refs)
    return ref in read and read <= earlier | {ref}
