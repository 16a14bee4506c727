"""
Count children per parent by grouping the children once, not by a ``$lookup`` per parent.

``Author.objects.annotate(n=Count("book")).order_by("-n")[:5]``::

    SELECT author.id, author.name, COUNT(book.id) AS n
    FROM author LEFT OUTER JOIN book ON (author.id = book.author_id)
    GROUP BY author.id, author.name ORDER BY 3 DESC LIMIT 5

looks up every author's books and then groups them. When ``author.id`` is
unique (Django's hint says so), each group is one author and its books, so
the same rows come from two plain commands that djongo joins itself (a
KeyedJoin):

- the parents: ``SELECT author.id, author.name, NULL FROM author``, with
  the WHERE, and with ORDER BY and LIMIT when they read only parent columns;
- the children grouped once: ``SELECT book.author_id, COUNT(book.id) FROM
  book GROUP BY book.author_id``, restricted to the parents' keys
  (``author_id IN <keys>``) when the parents are filtered or limited.

Each parent takes its group's values, or, without children, what the
aggregate gives for the one NULL row LEFT JOIN adds: 0 for COUNT(column),
1 for COUNT(*), NULL for the others. An ORDER BY on an aggregate, and then
LIMIT and OFFSET, are applied to the joined rows. The children's collection
is read once, whatever the number of parents.

It applies to the statement itself (a KeyedJoin runs as its own command),
with one LEFT join from the FROM table's unique column, GROUP BY listing
that column and only FROM columns, every other select item a FROM column or
an aggregate of a plain child column, no HAVING, no DISTINCT, a WHERE on
the FROM table alone, and an ORDER BY of select items or FROM columns.
"""
from .. import analysis, tree
from .joins import equated_columns, is_unique
from .keyed import keyed_join, order_positions

# What an aggregate of a child column is on the NULL row LEFT JOIN adds for a parent without children.
NO_CHILDREN = {"COUNT": 0}


def group_children_first(select):
    """Return a KeyedJoin grouping the children before joining, or ``select`` when that could change the rows."""
    if (len(select.joins) != 1 or select.having is not None or select.distinct or not select.group_by
            or not isinstance(select.source, tree.Table)):
        return select
    join = select.joins[0]
    base = select.source.ref
    pair = equated_columns(join, {base})
    if join.kind != "LEFT" or pair is None or not is_unique(join, pair[0]) or not isinstance(join.table, tree.Table):
        return select
    parent_key, child_key = pair
    child = join.table.ref
    refs = analysis.table_refs(select)
    if parent_key not in select.group_by or any(
            not (isinstance(expr, tree.Column) and expr.table == base) for expr in select.group_by):
        return select
    if select.where is not None and analysis.referenced_tables(select.where, refs) - {base}:
        return select
    outer_items, fills, aggregates = [], [], []
    for position, item in enumerate(select.items):
        expr = item.expr
        if isinstance(expr, tree.Column) and expr.table == base and expr in select.group_by:
            outer_items.append(item)
            continue
        default = _no_children_value(expr, child)
        if default is None:
            return select
        outer_items.append(tree.SelectItem(tree.Literal(None), item.alias))
        aggregates.append(tree.SelectItem(expr, f"a{len(aggregates)}"))
        fills.append((position, len(aggregates), default))
    positions = order_positions(select, outer_items, base)
    if positions is None:
        return select
    order, hidden = positions
    outer_items.extend(hidden)
    if parent_key in (item.expr for item in outer_items):
        key = [item.expr for item in outer_items].index(parent_key)
    else:
        key = len(outer_items)
        outer_items.append(tree.SelectItem(parent_key, "__key"))
    outer = tree.Select(items=tuple(outer_items), source=select.source, where=select.where)
    inner = tree.Select(
        items=(tree.SelectItem(child_key, "__key"), *aggregates), source=join.table, group_by=(child_key,),
    )
    return keyed_join(select, outer, inner, key, fills, order)


def _no_children_value(expr, child):
    """
    Return the Literal an aggregate of ``child``'s plain column gives over
    the NULL row, or None when ``expr`` is not such an aggregate.
    """
    if not analysis.is_aggregate(expr) or len(expr.args) != 1 or expr.order_by:
        return None
    arg = expr.args[0]
    if isinstance(arg, tree.Star):
        return tree.Literal(1) if expr.name == "COUNT" and not expr.distinct else None
    if not (isinstance(arg, tree.Column) and arg.table == child):
        return None
    return tree.Literal(NO_CHILDREN.get(expr.name))
