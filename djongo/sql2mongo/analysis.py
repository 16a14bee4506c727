"""
What a query tree says about itself: its nodes, conjuncts, aggregates, the
tables a condition reads and the columns a subquery takes from the
statement around it.

The optimizer and the translators both ask these questions; the answers
are facts of the tree, so they are computed here once, without knowing how
the statement will run.
"""
from djongo.exceptions import SQLDecodeError

from . import dialect, tree

# Aggregate functions: a call of one of these folds many rows into one value.
AGGREGATES = frozenset({
    "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP",
    "STRING_AGG", "ANY_VALUE", "BIT_AND", "BIT_OR", "BIT_XOR", dialect.SUM_NOT_NULL,
})

SELECTS = (tree.Select, tree.Compound)
SUBQUERY_NODES = (tree.Subquery, tree.InSubquery, tree.Exists)


def columns(node):
    """Yield the Column nodes inside ``node``, not entering subqueries."""
    return (item for item in tree.walk(node) if isinstance(item, tree.Column))


def subqueries(node):
    """Yield the SELECTs nested directly inside ``node`` (a condition or an expression)."""
    for item in tree.walk(node):
        if isinstance(item, SUBQUERY_NODES):
            yield item.select


def is_aggregate(node):
    return isinstance(node, tree.Func) and node.name in AGGREGATES


def aggregates(nodes):
    """Yield the outermost aggregate calls inside ``nodes``."""
    for node in nodes:
        if node is None:
            continue
        if is_aggregate(node):
            yield node
        elif isinstance(node, tree.Window):
            # SUM(x) OVER (...) folds the rows of a window, not of a group;
            # its arguments and keys may hold the group's aggregates.
            yield from aggregates(window_operands(node))
        else:
            yield from aggregates(tree.children(node))


def window_operands(window):
    """Return the expressions a window reads: its function's arguments, its PARTITION BY and ORDER BY."""
    return (*window.func.args, *window.partition_by, *(order.expr for order in window.order_by))


def windows(nodes):
    """Yield the window expressions (``f(...) OVER (...)``) inside ``nodes``, not entering subqueries."""
    for node in nodes:
        for item in tree.walk(node):
            if isinstance(item, tree.Window):
                yield item


def contains_aggregate(node):
    return next(aggregates([node]), None) is not None


def conjuncts(condition):
    """Return the conditions ``condition`` ANDs together (itself when it is not an AND)."""
    if condition is None:
        return ()
    if isinstance(condition, tree.And):
        return tuple(item for part in condition.items for item in conjuncts(part))
    return (condition,)


def conjunction(conditions):
    """Return the AND of ``conditions``: None for none, the condition itself for one."""
    conditions = tuple(conditions)
    if not conditions:
        return None
    if len(conditions) == 1:
        return conditions[0]
    return tree.And(conditions)


# Tables and correlation ------------------------------------------------------

def tables(select):
    """Return the Table and DerivedTable nodes of ``select``'s FROM and JOINs, FROM first."""
    found = [] if select.source is None else [select.source]
    found.extend(join.table for join in select.joins)
    return found


def table_refs(select):
    """Return the names columns of ``select`` use for its own tables (aliases where given)."""
    return {table.ref for table in tables(select)}


def owner(column, refs):
    """
    Return the table reference ``column`` belongs to among ``refs``, None
    for an unqualified column, or False when it belongs to none of them
    (it refers to a table of an enclosing statement).
    """
    if column.table is None:
        return None
    return column.table if column.table in refs else False


def outer_columns(select):
    """
    Return the columns inside ``select``, its subqueries included, that refer
    to tables of the statements around it: a correlated subquery's
    references (Django's OuterRef).
    """
    if isinstance(select, tree.Compound):
        return tuple(column for part in select.selects for column in outer_columns(part))
    refs = table_refs(select)
    found = []
    for part in clauses(select):
        for column in columns(part):
            if owner(column, refs) is False:
                found.append(column)
        for inner in subqueries(part):
            found.extend(column for column in outer_columns(inner) if owner(column, refs) is False)
    if isinstance(select.source, tree.DerivedTable):
        found.extend(outer_columns(select.source.select))
    return tuple(dict.fromkeys(found))


def is_correlated(select):
    """Return whether ``select`` reads a column of a statement around it."""
    return bool(outer_columns(select))


def referenced_tables(node, refs):
    """
    Return the references among ``refs`` that ``node`` (a condition or an
    expression) reads, through its subqueries too; None stands for an
    unqualified column.
    """
    found = set()
    for column in columns(node):
        found.add(owner(column, refs))
    for inner in subqueries(node):
        found.update(owner(column, refs) for column in outer_columns(inner))
    found.discard(False)
    return found


def reads_outside(node, refs):
    """Return whether ``node`` reads a column of a statement around the SELECT whose tables are ``refs``."""
    if any(owner(column, refs) is False for column in columns(node)):
        return True
    return any(owner(column, refs) is False for inner in subqueries(node) for column in outer_columns(inner))


def join_equality(join):
    """
    Return (column of another table, column of the joined table) when
    ``join``'s ON is one equality of a column of each, else None.
    """
    on = join.on
    if not (isinstance(on, tree.Comparison) and on.op == "="
            and isinstance(on.left, tree.Column) and isinstance(on.right, tree.Column)):
        return None
    ref = join.table.ref
    near, far = on.left, on.right
    if near.table == ref:
        near, far = far, near
    if far.table != ref or near.table == ref:
        return None
    return near, far


def order_position(expr, count):
    """
    Return the 0-based position of the select item an ORDER BY expression
    names by number (``ORDER BY 2``) in a list of ``count`` items, or None
    when it is no number. A number outside the list is refused, as SQL does.
    """
    if not (isinstance(expr, tree.Literal) and isinstance(expr.value, int) and not isinstance(expr.value, bool)):
        return None
    if not 1 <= expr.value <= count:
        raise SQLDecodeError(f"ORDER BY position {expr.value}")
    return expr.value - 1


def aliased_position(expr, items):
    """Return the position of the select item of ``items`` whose alias the ORDER BY expression names, or None."""
    if isinstance(expr, tree.Column) and expr.table is None:
        for position, item in enumerate(items):
            if item.alias == expr.name:
                return position
    return None


def outer_equality(condition, refs):
    """
    Return (inner column, outer column) when ``condition`` is an equality of
    a column of the SELECT whose tables are ``refs`` and a column of a
    statement around it (Django's ``inner = (OuterRef)``), else None.
    """
    if not (isinstance(condition, tree.Comparison) and condition.op == "="):
        return None
    left, right = condition.left, condition.right
    if not (isinstance(left, tree.Column) and isinstance(right, tree.Column)):
        return None
    if owner(left, refs) is False:
        left, right = right, left
    if owner(left, refs) is False or owner(right, refs) is not False:
        return None
    return left, right


def subquery_reads(node, refs):
    """Return whether a subquery inside ``node`` reads a column of the tables ``refs`` (it is correlated to them)."""
    return any(
        owner(column, refs) is not False for inner in subqueries(node) for column in outer_columns(inner)
    )


def has_correlated_subquery(select):
    """Return whether a subquery anywhere in ``select`` reads a column of ``select``'s own tables."""
    refs = table_refs(select)
    return any(subquery_reads(part, refs) for part in clauses(select))


def clauses(select):
    """Yield the clauses of ``select`` that hold expressions and conditions."""
    yield from (item.expr for item in select.items)
    yield from (join.on for join in select.joins)
    yield select.where
    yield from select.group_by
    yield select.having
    yield from (order.expr for order in select.order_by)
