"""Translate INSERT, UPDATE and DELETE."""
from djongo.exceptions import SQLDecodeError

from .. import tree
from ..commands import DEFAULT, DeleteMany, InsertMany, UpdateMany
from .scope import Scope
from .values import is_value, value
from .where import MATCH_ALL, condition_filter


def translate_insert(insert):
    """Return the InsertMany command of an INSERT ... VALUES statement."""
    rows = []
    for row in insert.rows:
        values = []
        for node in row:
            if isinstance(node, tree.Default):
                values.append(DEFAULT)
            elif is_value(node):
                values.append(value(node))
            else:
                raise SQLDecodeError("INSERT of a computed value")
        rows.append(tuple(values))
    returning = []
    for node in insert.returning:
        if not isinstance(node, tree.Column) or node.table not in (None, insert.table):
            raise SQLDecodeError("RETURNING of something other than a column of the table")
        returning.append(node.name)
    return InsertMany(insert.table, tuple(insert.columns), tuple(rows), tuple(returning))


def translate_update(update):
    """Return the UpdateMany command of an UPDATE statement."""
    scope = Scope(update.table)
    assignments = {}
    for column, node in update.assignments:
        if not is_value(node):
            raise SQLDecodeError("UPDATE ... SET to a computed value")
        assignments[column] = value(node)
    filter_ = MATCH_ALL if update.where is None else condition_filter(update.where, scope)
    return UpdateMany(update.table, filter_, {"$set": assignments})


def translate_delete(delete):
    """Return the DeleteMany command of a DELETE statement."""
    scope = Scope(delete.table)
    filter_ = MATCH_ALL if delete.where is None else condition_filter(delete.where, scope)
    return DeleteMany(delete.table, filter_)
