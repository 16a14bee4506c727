"""What the rules that make a KeyedJoin share: where its rows sort after the join."""
import dataclasses

from .. import tree


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
    if isinstance(expr, tree.Literal) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
        return expr.value - 1 if 1 <= expr.value <= len(select.items) else None
    for position, item in enumerate(select.items):
        if isinstance(expr, tree.Column) and expr.table is None and item.alias == expr.name:
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
