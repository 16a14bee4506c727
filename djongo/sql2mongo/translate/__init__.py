"""Translate a query tree into MongoDB commands: one module per kind of statement."""
import dataclasses

from djongo.exceptions import SQLDecodeError

from .. import analysis, ddl_tree, tree
from ..commands import Explain, Find, LockedRows
from . import ddl, dml
from .keyed import translate_keyed_join
from .select import translate_select


def translate(statement):
    """Return the list of commands that run ``statement``."""
    try:
        translator = TRANSLATORS[type(statement)]
    except KeyError:
        raise SQLDecodeError(f"{type(statement).__name__} statement") from None
    return translator(statement)


def translate_explain(explain):
    commands = translate(explain.statement)
    return [Explain(commands[0].collection, tuple(commands), explain.format, explain.verbosity)]


def translate_for_update(locking):
    """
    Return the command of ``SELECT ... FOR UPDATE``, which locks the rows of
    its FROM table that it reads (djongo/locks.py): a find marked to lock,
    or, for a statement with joins (``select_related()``, a related
    manager's ``update_or_create()``, a child model's parent), a
    ``LockedRows`` that reads each row's ``_id`` beside its columns.
    """
    select = locking.statement
    commands = translate(select)
    if len(commands) == 1 and type(commands[0]) is Find:
        return [dataclasses.replace(commands[0], lock=locking.mode)]
    if not isinstance(select, tree.Select) or not isinstance(select.source, tree.Table) or select.group_by \
            or select.distinct or any(analysis.contains_aggregate(item.expr) for item in select.items):
        raise SQLDecodeError("SELECT ... FOR UPDATE of a grouped, distinct or compound query")
    with_ids = dataclasses.replace(select, items=(
        *select.items, tree.SelectItem(tree.Column("_id", select.source.ref), LockedRows.ID_COLUMN),
    ))
    [command] = translate(with_ids)
    return [LockedRows(select.source.name, command, locking.mode, command.names[:-1])]


TRANSLATORS = {
    tree.Select: lambda statement: [translate_select(statement)],
    tree.Compound: lambda statement: [translate_select(statement)],
    tree.KeyedJoin: lambda statement: [translate_keyed_join(statement)],
    tree.Insert: lambda statement: [dml.translate_insert(statement)],
    tree.Update: lambda statement: [dml.translate_update(statement)],
    tree.Delete: lambda statement: [dml.translate_delete(statement)],
    ddl_tree.CreateTable: ddl.translate_create_table,
    ddl_tree.DropTable: ddl.translate_drop_table,
    ddl_tree.AlterTable: ddl.translate_alter_table,
    ddl_tree.CreateIndex: ddl.translate_create_index,
    ddl_tree.DropIndex: ddl.translate_drop_index,
    tree.Explain: translate_explain,
    tree.ForUpdate: translate_for_update,
}
