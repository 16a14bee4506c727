"""What the rules that make a KeyedJoin share: where its rows sort, and the KeyedJoin itself."""
import dataclasses

from .. import analysis, tree


def keyed_join(select, outer, inner, key, fills, order, first_per_key=False):
    """
    Return the KeyedJoin that answers ``select`` from ``outer`` (its rows,
    the key at position ``key``) and ``inner`` (the key first). ORDER BY,
    LIMIT and OFFSET run on the server unless ``order`` reads a filled
    position; then they apply to the joined rows. The inner statement reads
    only the outer rows' keys when the outer rows are filtered or limited.
    """
    filled = {position for position, _, _ in fills}
    sorted_after = any(position in filled for position, _, _ in order)
    if sorted_after:
        outer = dataclasses.replace(outer, order_by=(), limit=None, offset=None)
    else:
        outer = dataclasses.replace(outer, order_by=select.order_by, limit=select.limit, offset=select.offset)
    by_keys = outer.where is not None or outer.limit is not None
    if by_keys:
        keys = tree.InList(inner.items[0].expr, (tree.ListParam(-1),))
        inner = dataclasses.replace(inner, where=analysis.conjunction([*analysis.conjuncts(inner.where), keys]))
    return tree.KeyedJoin(
        outer, inner, key, tuple(fills), len(select.items), by_keys, first_per_key,
        order=order if sorted_after else (),
        limit=select.limit if sorted_after else None,
        offset=select.offset if sorted_after else None,
    )


def order_positions(select, items, base):
    """
    Return (order, hidden items) for sorting the rows of ``select`` by
    column position after a KeyedJoin: ``order`` holds (position,
    descending, nulls) per ORDER BY item; an ORDER BY on a column of the
    FROM table ``base`` that ``items`` lack adds that column as a hidden
    item after them. Return None when an ORDER BY item is neither.
    """
    order, hidden = [], []
    for item in select.order_by:
        position = _position(select, item.expr)
        if position is None:
            if not (isinstance(item.expr, tree.Column) and item.expr.table == base):
                return None
            position = len(items) + len(hidden)
            hidden.append(tree.SelectItem(item.expr, f"__o{len(hidden)}"))
        order.append((position, item.descending, item.nulls))
    return tuple(order), hidden


def _position(select, expr):
    """Return the select item ``expr`` names (by position, alias or equal expression), or None."""
    position = analysis.order_position(expr, len(select.items))
    if position is None:
        position = analysis.aliased_position(expr, select.items)
    if position is not None:
        return position
    for position, item in enumerate(select.items):
        if item.expr == expr:
            return position
    return None


def order_by_expressions(select):
    """
    Return ``select``'s ORDER BY with each position and alias replaced by
    the expression it names, so that the ORDER BY keeps its meaning when
    the select list changes.
    """
    resolved = []
    for item in select.order_by:
        position = _position(select, item.expr)
        if position is not None:
            item = dataclasses.replace(item, expr=select.items[position].expr)
        resolved.append(item)
    return tuple(resolved)
