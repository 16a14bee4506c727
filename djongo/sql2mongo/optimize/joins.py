"""
Facts about a SELECT's joins that the join rules share: which columns an
ON condition equates, which of them are unique, how a joined table is
reached from the FROM table, and whether a condition rejects the NULL row
a LEFT JOIN adds.
"""
from dataclasses import dataclass

from .. import analysis, tree


@dataclass(frozen=True)
class Edge:
    """A join ``near.column = far.column``, seen from the table it starts at."""
    join: tree.Join
    near: tree.Column
    far: tree.Column
    far_unique: bool  # does each near value find at most one far row?


def equated_columns(join, refs):
    """
    Return (column of an earlier table, column of the joined table) when
    ``join``'s ON is one equality of two such columns, else None.
    """
    pair = analysis.join_equality(join)
    if pair is None or pair[0].table not in refs:
        return None
    return pair


def is_unique(join, column):
    """Did Django declare ``column`` (of ``join``'s ON) unique?"""
    return column in join.unique


def edges(select):
    """
    Return the join graph of ``select`` as {table ref: [Edge, ...]} in both
    directions, or None when a join is not one equality of plain columns
    between plain tables.
    """
    if not isinstance(select.source, tree.Table):
        return None
    refs = {select.source.ref}
    graph = {select.source.ref: []}
    for join in select.joins:
        if not isinstance(join.table, tree.Table):
            return None
        pair = equated_columns(join, refs)
        if pair is None:
            return None
        near, far = pair
        refs.add(join.table.ref)
        graph.setdefault(join.table.ref, [])
        graph[near.table].append(Edge(join, near, far, is_unique(join, far)))
        graph[far.table].append(Edge(join, far, near, is_unique(join, near)))
    return graph


def path_to(select, ref):
    """Return the joins leading from the FROM table to table ``ref``, nearest first, or None."""
    by_ref = {join.table.ref: join for join in select.joins}
    refs = {select.source.ref} | set(by_ref)
    path = []
    while ref in by_ref:
        join = by_ref[ref]
        pair = equated_columns(join, refs)
        if pair is None:
            return None
        path.append((join, pair))
        ref = pair[0].table
    if ref != select.source.ref:
        return None
    return list(reversed(path))


def referenced_by_others(select, ref, besides=()):
    """Return whether any part of ``select`` other than the conditions ``besides`` reads table ``ref``."""
    refs = analysis.table_refs(select)
    parts = [item.expr for item in select.items]
    parts += [join.on for join in select.joins if join.table.ref != ref]
    parts += [condition for condition in analysis.conjuncts(select.where) if condition not in besides]
    parts += [*select.group_by, select.having, *(order.expr for order in select.order_by)]
    return any(ref in analysis.referenced_tables(part, refs) for part in parts if part is not None)


def rejects_nulls(condition, ref):
    """
    Return whether ``condition`` cannot be TRUE when every column of table
    ``ref`` is NULL, as on the row a LEFT JOIN adds when nothing matches.
    Only forms whose answer is certain say yes.
    """
    def strict(node):
        return isinstance(node, tree.Column) and node.table == ref

    if isinstance(condition, tree.And):
        return any(rejects_nulls(item, ref) for item in condition.items)
    if isinstance(condition, tree.Or):
        return all(rejects_nulls(item, ref) for item in condition.items)
    if isinstance(condition, tree.Not):
        inner = condition.item
        if isinstance(inner, tree.IsNull):
            return not inner.negated and strict(inner.expr)
        # NOT of UNKNOWN is UNKNOWN: these are UNKNOWN for a NULL operand.
        return _unknown_for_null(inner, strict)
    if isinstance(condition, tree.IsNull):
        return condition.negated and strict(condition.expr)
    if isinstance(condition, tree.IsBoolean):
        return not condition.negated and strict(condition.expr)
    if isinstance(condition, tree.IsTrue):
        return strict(condition.expr)
    if isinstance(condition, tree.InSubquery):
        # NULL NOT IN (no rows) is TRUE.
        return not condition.negated and strict(condition.expr)
    return _unknown_for_null(condition, strict)


def _unknown_for_null(condition, strict):
    """Is ``condition`` UNKNOWN (or FALSE) whenever its strict column operand is NULL, negated or not?"""
    if isinstance(condition, tree.Comparison):
        return strict(condition.left) or strict(condition.right)
    if isinstance(condition, (tree.Like, tree.Regex, tree.Between)):
        return strict(condition.expr)
    if isinstance(condition, tree.InList):
        # x NOT IN () is TRUE even for NULL, and a list parameter may be empty.
        maybe_empty = not condition.items or any(isinstance(item, tree.ListParam) for item in condition.items)
        return strict(condition.expr) and not (condition.negated and maybe_empty)
    return False
