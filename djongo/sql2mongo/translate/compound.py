"""
Translate compound SELECTs (UNION, INTERSECT, EXCEPT) into a Combine command.

Each SELECT becomes its own command and djongo combines their rows:
MongoDB's ``$unionWith`` (4.4) covers UNION only, and it has no stage for
INTERSECT or EXCEPT; running every operand the same way keeps one set of
rules (SQL's duplicate elimination, MongoDB's sort order) for all three.
ORDER BY, LIMIT and OFFSET of the compound apply to the combined rows.
"""
from djongo.exceptions import SQLDecodeError

from .. import analysis, tree
from ..commands import Combine, CountRows
from .values import row_count


def select_command(select, new_translator):
    """
    Return the command that runs ``select``, a Select or a Compound;
    ``new_translator(select)`` returns the SelectTranslator of one SELECT.
    """
    if isinstance(select, tree.Compound):
        return translate_compound(select, new_translator)
    if counts_compound(select):
        combine = translate_compound(select.source.select, new_translator)
        return CountRows(combine.collection, combine)
    return new_translator(select).command()


def counts_compound(select):
    """Is ``select`` Django's count() of a compound query, ``SELECT COUNT(*) FROM (compound) alias``?"""
    return (
        isinstance(select.source, tree.DerivedTable) and isinstance(select.source.select, tree.Compound)
        and select.counts_rows() and not select.joins and select.where is None and not select.group_by
        and select.having is None and not select.distinct and select.limit is None and select.offset is None
    )


def translate_compound(compound, new_translator):
    """
    Return the Combine command that runs ``compound``; ``new_translator(select)``
    returns the SelectTranslator of one operand.
    """
    parts = tuple(_part(select, new_translator) for select in compound.selects)
    names = parts[0].names
    for part in parts[1:]:
        if len(part.names) != len(names):
            raise SQLDecodeError(
                f"{compound.op} of SELECTs with {len(names)} and {len(part.names)} columns"
            )
    order = tuple(_order_key(item, names, compound.op) for item in compound.order_by)
    return Combine(
        parts[0].collection, compound.op, compound.all, parts, order,
        row_count(compound.offset), row_count(compound.limit), names,
    )


def _part(select, new_translator):
    if isinstance(select, tree.Compound):
        return translate_compound(select, new_translator)
    if any(isinstance(item.expr, tree.Star) for item in select.items):
        # A document's fields have no fixed order: the columns of SELECT *
        # could not be lined up with the other operands'.
        raise SQLDecodeError("SELECT * in a compound SELECT")
    translator = new_translator(select)
    command = translator.command()
    if translator.scope.variables:
        # Operands run on their own, before the statement around them.
        raise SQLDecodeError("a correlated subquery in a compound SELECT")
    return command


def _order_key(order, names, op):
    """Return (column index, descending, nulls) for an ORDER BY item of a compound SELECT."""
    expr = order.expr
    try:
        position = analysis.order_position(expr, len(names))
    except SQLDecodeError as exc:
        raise SQLDecodeError(f"{exc.construct} of a {op}") from None
    if position is not None:
        return (position, order.descending, order.nulls)
    # SQL names a compound's columns after the first SELECT's; a table
    # prefix cannot refer to anything there.
    if isinstance(expr, tree.Column) and expr.table is None and expr.name in names:
        return (names.index(expr.name), order.descending, order.nulls)
    raise SQLDecodeError(f"ORDER BY of a {op} on anything but one of its columns")
