"""
Name the columns of hand-written SQL that leaves them to the schema.

Django always names a table's columns, qualified when a statement has joins.
SQL a user writes for ``raw()`` or ``cursor.execute()`` may say ``SELECT *``,
or name a column without its table over joined tables. Which columns those
are depends on the tables' columns, which MongoDB does not know: the schema
editor records them in ``__columns__``. ``tables_to_name()`` says which
tables' records a statement needs (plans.Needs), the cursor reads them
(Catalog.facts) and ``name_columns()`` rewrites the statement with every
column named, as SQLite resolves it: ``*`` becomes each table's columns in
FROM and JOIN order, and an unqualified column the one table that has it.
This is the one place ``*`` is resolved against the schema.

A statement without joins needs no qualifying: its one table owns every
unqualified column. ``SELECT *`` of one table that djongo has no record of
(a collection another program made) is left as it is: the executor then
reads each document's own fields (executor/reads.py, _select_all).
"""
import dataclasses
import functools

from djongo.exceptions import SQLDecodeError

from . import analysis, tree
from .optimize import map_selects


def tables_to_name(statement):
    """Return the tables whose columns ``statement`` needs named, in a stable order."""
    found = {}
    for select in _selects(statement):
        if _needs_naming(select, nested=select is not statement):
            found.update(dict.fromkeys(table.name for table in analysis.tables(select)))
    return tuple(found)


def name_columns(statement, catalog):
    """
    Return ``statement`` with ``*`` expanded and unqualified columns
    qualified in its SELECTs with joins; ``catalog`` maps each table of
    ``tables_to_name(statement)`` to its column names in table order, or
    to None when the table has no recorded columns.
    """
    # Module functions and partials rather than closures that call
    # themselves: such a closure is a reference cycle, garbage left to the
    # cycle collector on every parse.
    if isinstance(statement, (tree.Select, tree.Compound)):
        return _rewrite(statement, catalog, nested=False)
    return map_selects(statement, functools.partial(_rewrite, catalog=catalog))


def _rewrite(select, catalog, nested=True):
    """Return ``select`` and the SELECTs nested in it with their columns named."""
    select = map_selects(select, functools.partial(_rewrite, catalog=catalog))
    if isinstance(select, tree.Select) and _needs_naming(select, nested):
        select = _named(select, catalog, nested)
    return select


def _selects(node):
    """Yield every SELECT in ``node``, ``node`` itself included."""
    found = []
    if isinstance(node, (tree.Select, tree.Compound)):
        _collect(node, found)
    else:
        map_selects(node, functools.partial(_collect, found=found))
    return [select for select in found if isinstance(select, tree.Select)]


def _collect(select, found):
    """Append ``select`` and the SELECTs nested in it to ``found``; return ``select``."""
    found.append(select)
    map_selects(select, functools.partial(_collect, found=found))
    return select


def _needs_naming(select, nested):
    if isinstance(select.source, tree.Table) and any(isinstance(item.expr, tree.Star) for item in select.items):
        return True
    if not select.joins or not all(isinstance(table, tree.Table) for table in analysis.tables(select)):
        return False
    if any(isinstance(item.expr, tree.Star) for item in select.items):
        return True
    aliases = _aliases(select)
    return any(
        column.table is None and column.name not in aliases
        for part in analysis.clauses(select) for column in analysis.columns(part)
    )


def _aliases(select):
    return {item.alias for item in select.items if item.alias}


def _named(select, catalog, nested):
    tables = analysis.tables(select)
    unrecorded = [table.name for table in tables if catalog.get(table.name) is None]
    if unrecorded:
        if not nested and not select.joins:
            return select  # the documents' own fields (executor/reads.py, _select_all)
        raise SQLDecodeError(
            f"SELECT * or an unqualified column over {unrecorded[0]}, a table with no recorded columns "
            "(a collection djongo's migrations did not create): name its columns"
        )
    owners = {}  # column name -> the refs of the tables that have it
    for table in tables:
        for name in catalog[table.name]:
            owners.setdefault(name, []).append(table.ref)
    aliases = _aliases(select)

    # A statement of one table owns every unqualified column, recorded or
    # not: only its * needs the schema.
    alone = not nested and not select.joins

    def qualify(column):
        if alone or column.table is not None or column.name in aliases:
            return column
        refs = owners.get(column.name, [])
        if len(refs) > 1:
            raise SQLDecodeError(f"ambiguous column name {column.name!r}: it is a column of {', '.join(refs)}")
        if not refs:
            raise SQLDecodeError(
                f"column {column.name!r}, which none of the joined tables {', '.join(t.ref for t in tables)} has"
            )
        return tree.Column(column.name, refs[0])

    items = []
    for item in select.items:
        if isinstance(item.expr, tree.Star):
            wanted = [table for table in tables if item.expr.table in (None, table.ref)]
            if not wanted:
                raise SQLDecodeError(f"{item.expr.table}.*, which is not a table of FROM or JOIN")
            items.extend(
                tree.SelectItem(tree.Column(name, table.ref)) for table in wanted for name in catalog[table.name]
            )
        else:
            items.append(dataclasses.replace(item, expr=_map_columns(item.expr, qualify)))
    return dataclasses.replace(
        select,
        items=tuple(items),
        joins=tuple(dataclasses.replace(join, on=_map_columns(join.on, qualify)) for join in select.joins),
        where=_map_columns(select.where, qualify),
        group_by=tuple(_map_columns(expr, qualify) for expr in select.group_by),
        having=_map_columns(select.having, qualify),
        order_by=tuple(
            dataclasses.replace(order, expr=_map_columns(order.expr, qualify)) for order in select.order_by
        ),
    )


def _map_columns(node, function):
    """Return ``node`` with each Column outside its subqueries replaced by ``function(column)``."""
    return tree.transform(node, lambda item: function(item) if isinstance(item, tree.Column) else item)
