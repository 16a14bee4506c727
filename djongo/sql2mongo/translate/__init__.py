"""Translate a query tree into MongoDB commands: one module per kind of statement."""
import dataclasses

from djongo.exceptions import SQLDecodeError

from .. import tree
from ..commands import Explain, Find
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
    Return the find of ``SELECT ... FOR UPDATE``, marked to lock the rows it
    reads (djongo/locks.py). Only the rows of one table are locked: a
    statement that joins, groups or combines tables is refused.
    """
    commands = translate(locking.statement)
    if len(commands) != 1 or type(commands[0]) is not Find:
        raise SQLDecodeError("SELECT ... FOR UPDATE of more than one table's rows (a join, grouping or subquery)")
    return [dataclasses.replace(commands[0], lock=locking.mode)]


TRANSLATORS = {
    tree.Select: lambda statement: [translate_select(statement)],
    tree.Compound: lambda statement: [translate_select(statement)],
    tree.KeyedJoin: lambda statement: [translate_keyed_join(statement)],
    tree.Insert: lambda statement: [dml.translate_insert(statement)],
    tree.Update: lambda statement: [dml.translate_update(statement)],
    tree.Delete: lambda statement: [dml.translate_delete(statement)],
    tree.CreateTable: ddl.translate_create_table,
    tree.DropTable: ddl.translate_drop_table,
    tree.AlterTable: ddl.translate_alter_table,
    tree.CreateIndex: ddl.translate_create_index,
    tree.DropIndex: ddl.translate_drop_index,
    tree.Explain: translate_explain,
    tree.ForUpdate: translate_for_update,
}
