"""
Write ORs of equalities on one column as an IN list.

Django 6.1's ``fetch_mode(FETCH_PEERS)`` reads the related rows of a whole
batch at once; where tuple lookups are off (djongo, as SQLite) it writes
the batch's keys as one equality each::

    SELECT author.* FROM author WHERE (author.id = 1 OR author.id = 2 OR author.id = 3)

which is the same condition, in SQL's three-valued logic too, as::

    SELECT author.* FROM author WHERE author.id IN (1, 2, 3)

A NULL on either side makes both UNKNOWN unless another member matches.
The IN list becomes one ``$in`` filter, one index scan, instead of an
``$or`` whose clauses MongoDB plans one by one
(https://www.mongodb.com/docs/manual/reference/operator/query/or/#-or-versus--in).
Equalities on other columns, and other conditions, stay in the OR beside
the list, in their place.
"""
import dataclasses

from .. import tree


def in_lists(select):
    """Return ``select`` with each OR of equalities on one column in its conditions written as IN."""
    where, having = _rewritten(select.where), _rewritten(select.having)
    if where is select.where and having is select.having:
        return select
    return dataclasses.replace(select, where=where, having=having)


def _rewritten(condition):
    """Return ``condition`` with its ORs rewritten, innermost first; subqueries are left to their own pass."""
    return tree.transform_up(condition, lambda item: _merged(item) if isinstance(item, tree.Or) else item)


def _merged(node):
    """Return the OR ``node`` with its equalities on a shared column merged into one IN list each."""
    values = {}  # column -> the values it is compared with, in order
    for item in node.items:
        pair = _equality(item)
        if pair is not None:
            values.setdefault(pair[0], []).append(pair[1])
    merged = {column for column, found in values.items() if len(found) > 1}
    if not merged:
        return node
    items = []
    for item in node.items:
        pair = _equality(item)
        if pair is None or pair[0] not in merged:
            items.append(item)
        elif pair[0] in values:
            items.append(tree.InList(pair[0], tuple(values.pop(pair[0]))))
    return items[0] if len(items) == 1 else tree.Or(tuple(items))


def _equality(item):
    """Return (column, value) when ``item`` is ``column = value`` (either way round), a value being a parameter or a literal."""
    if not isinstance(item, tree.Comparison) or item.op != "=":
        return None
    for column, value in ((item.left, item.right), (item.right, item.left)):
        if isinstance(column, tree.Column) and isinstance(value, (tree.Param, tree.Literal)):
            return column, value
    return None
