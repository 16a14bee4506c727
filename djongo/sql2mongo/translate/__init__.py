"""Translate a query tree into MongoDB commands: one module per kind of statement."""
from djongo.exceptions import SQLDecodeError

from .. import tree
from ..commands import Explain
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
}
