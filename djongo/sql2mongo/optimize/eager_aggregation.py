"""
Group the FROM table by its join key before joining, then finish the groups.

``Book.objects.values("author__country").annotate(n=Count("id"), p=Sum("pages"))``::

    SELECT author.country, COUNT(book.id), SUM(book.pages)
    FROM book INNER JOIN author ON (book.author_id = author.id) GROUP BY author.country

looks up an author for every book. Every book of one author joins the same
author rows, so the books can be summed per ``author_id`` first, and only
those partial rows joined::

    SELECT author.country, SUM(g.p0), SUM(g.p1)
    FROM (SELECT book.author_id AS k, COUNT(book.id) AS p0, SUM(book.pages) AS p1
          FROM book GROUP BY book.author_id) g
    INNER JOIN author ON (g.k = author.id) GROUP BY author.country

one ``$lookup`` per author instead of one per book (eager aggregation; Yan
and Larson, VLDB 1995). The answer is the same whether or not
``author.id`` is unique, because each partial row stands for books that all
meet the same authors. A NULL key joins nothing, as before. COUNT is
finished with SUM, and, without GROUP BY, with COALESCE(SUM(...), 0): the
count of no rows is 0.

It applies when every join is INNER with one column equality, only one of
them reads the FROM table, the aggregates are COUNT, SUM, MIN or MAX
(without DISTINCT) of the FROM table's columns, nothing else reads the FROM
table except the join key, WHERE conditions read either the FROM table
alone (they move inside) or the other tables alone, and the grouping reads
another table (otherwise there is nothing to gain).
"""
import dataclasses

from .. import analysis, dialect, tree
from .joins import equated_columns

DECOMPOSABLE = frozenset({"COUNT", "SUM", "MIN", "MAX", dialect.SUM_NOT_NULL})
PARTIAL = "__partial"


def eager_aggregation(select):
    """Return ``select`` with the FROM table grouped by its join key before the join, where the answer is the same."""
    if not select.joins or select.distinct or not isinstance(select.source, tree.Table):
        return select
    if analysis.is_correlated(select):
        # Its conditions on the statement around it would end up inside the derived table.
        return select
    grouped = bool(select.group_by)
    aggregates = list(dict.fromkeys(analysis.aggregates(
        [item.expr for item in select.items] + [select.having] + [order.expr for order in select.order_by])))
    if not aggregates or any(join.kind != "INNER" for join in select.joins):
        return select
    base = select.source.ref
    refs = analysis.table_refs(select)
    key = _join_key(select, base, refs)
    if key is None:
        return select
    for func in aggregates:
        if func.name not in DECOMPOSABLE or func.distinct or len(func.args) != 1:
            return select
        if not isinstance(func.args[0], tree.Star) and analysis.referenced_tables(func.args[0], refs) != {base}:
            return select
    inside, outside = [], []
    for condition in analysis.conjuncts(select.where):
        tables = analysis.referenced_tables(condition, refs)
        if tables == {base}:
            inside.append(condition)
        elif base in tables or None in tables:
            return select
        else:
            outside.append(condition)
    # Outside the aggregates, the FROM table may be read only through its join key.
    outer_parts = [*select.group_by, *(order.expr for order in select.order_by)]
    outer_parts += [item.expr for item in select.items]
    if select.having is not None:
        outer_parts.append(select.having)
    if any(_reads_base_outside(part, base, key, refs) for part in outer_parts):
        return select
    if not any(analysis.referenced_tables(part, refs) - {base, None} for part in select.group_by):
        return select
    key_column = tree.Column("k", PARTIAL)
    items = [tree.SelectItem(key, "k")]
    finals = {}
    for index, func in enumerate(aggregates):
        name = f"p{index}"
        items.append(tree.SelectItem(func, name))
        partial = tree.Column(name, PARTIAL)
        # The partial sums of a NOT NULL column are never NULL either.
        final = tree.Func("SUM" if func.name in ("COUNT", "SUM") else func.name, (partial,))
        if func.name == "COUNT" and not grouped:
            final = tree.Func("COALESCE", (final, tree.Literal(0)))
        finals[func] = final
    partials = tree.Select(
        items=tuple(items), source=select.source, where=analysis.conjunction(inside), group_by=(key,),
    )
    replace = lambda node: _replaced(node, finals, key, key_column)  # noqa: E731
    joins = tuple(
        dataclasses.replace(join, on=replace(join.on)) for join in select.joins
    )
    return dataclasses.replace(
        select,
        items=tuple(dataclasses.replace(item, expr=replace(item.expr)) for item in select.items),
        source=tree.DerivedTable(partials, PARTIAL),
        joins=joins,
        where=analysis.conjunction(outside),
        group_by=tuple(replace(expr) for expr in select.group_by),
        having=None if select.having is None else replace(select.having),
        order_by=tuple(dataclasses.replace(order, expr=replace(order.expr)) for order in select.order_by),
    )


def _join_key(select, base, refs):
    """Return the FROM table's column that the one join reading it equates, or None."""
    key = None
    seen = {base}
    for join in select.joins:
        pair = equated_columns(join, seen)
        if pair is None:
            return None
        seen.add(join.table.ref)
        if pair[0].table == base:
            if key is not None:
                return None
            key = pair[0]
    return key


def _reads_base_outside(node, base, key, refs):
    """Does ``node`` read a column of the FROM table other than ``key``, outside its aggregates?"""
    if node is None:
        return False
    if analysis.is_aggregate(node):
        return False
    if isinstance(node, tree.Column):
        return analysis.owner(node, refs) in (base, None) and node != key
    if any(analysis.owner(column, refs) in (base, None)
           for inner in analysis.subqueries(node) for column in analysis.outer_columns(inner)):
        return True
    return any(_reads_base_outside(child, base, key, refs) for child in tree.children(node))


def _replaced(node, finals, key, key_column):
    """Return ``node`` with each aggregate replaced by its finish and the join key by the partial rows' key."""
    def replacement(item):
        if item in finals:
            return finals[item]
        return key_column if item == key else item

    return tree.transform(node, replacement)
