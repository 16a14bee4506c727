"""Translate INSERT, UPDATE and DELETE."""
from bson.decimal128 import Decimal128
from bson.int64 import Int64

from djongo.exceptions import DataError, SQLDecodeError

from .. import dialect, tree, uuids
from ..binding import DEFAULT, Build, PreRun, Slot
from ..commands import BulkUpdate, DeleteMany, InsertMany, UpdateEach, UpdateMany
from . import expressions
from .scope import Scope
from .select import SelectTranslator
from .subqueries import Subqueries
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
            elif is_made(node):
                values.append(made_value(node))
            else:
                values.append(_computed_value(node))
        rows.append(tuple(values))
    returning = []
    for node in insert.returning:
        if not isinstance(node, tree.Column) or node.table not in (None, insert.table):
            raise SQLDecodeError("RETURNING of something other than a column of the table")
        returning.append(node.name)
    conflict = _conflict_options(insert)
    return InsertMany(insert.table, tuple(insert.columns), tuple(rows), tuple(returning), **conflict)


def _conflict_options(insert):
    """Return InsertMany's options for the statement's ON CONFLICT clause."""
    on_conflict = insert.on_conflict
    if on_conflict is None:
        return {}
    if on_conflict.updates is None:
        if on_conflict.target:
            # Which conflicts to skip would depend on which index a row
            # breaks; Django never writes this form.
            raise SQLDecodeError("ON CONFLICT (columns) DO NOTHING")
        return {"skip_conflicts": True}
    for _, source in on_conflict.updates:
        if source not in insert.columns:
            raise SQLDecodeError(f"ON CONFLICT DO UPDATE SET from EXCLUDED.{source}, a column the INSERT does not set")
    return {"upsert_keys": tuple(on_conflict.target), "upsert_updates": tuple(on_conflict.updates)}


def _computed_value(node):
    """
    Compute an inserted expression such as ``PI()`` or ``LOWER(%s)`` with
    the database, as ``SELECT expression`` run before the insert.
    """
    select = tree.Select((tree.SelectItem(node),))
    try:
        command = SelectTranslator(select).command()
    except SQLDecodeError as exc:
        raise SQLDecodeError(f"INSERT of a computed value ({exc.construct})") from exc
    return PreRun(command, "value")


def is_made(node):
    """Is ``node`` a call of a function whose values djongo makes (uuids.py)?"""
    return isinstance(node, tree.Func) and node.name in uuids.NAMES


def _maker(node):
    maker = uuids.MADE.get((node.name, len(node.args)))
    if maker is None:
        raise SQLDecodeError(f"function {node.name}() with {len(node.args)} arguments")
    return maker


def made_value(node):
    """
    Return the template of a value djongo makes as the statement runs
    (``UUIDV4()``, ``UUIDV7(%s)``): a Build, called anew for each row and
    each execution.
    """
    maker = _maker(node)
    if not all(is_value(arg) for arg in node.args):
        raise SQLDecodeError(f"{node.name}() of a computed value outside UPDATE ... SET")
    return Build(maker, tuple(value(arg) for arg in node.args))


def translate_update(update):
    """Return the command of an UPDATE statement."""
    scope = _scope(update.table)
    filter_, id_pipeline = _where(update.where, scope)
    assignments, numbers = _marked_numbers(update.assignments)
    if any(is_made(node) for node in assignments.values()):
        return _update_each(update.table, filter_, assignments, scope, id_pipeline)
    array_changes = _array_changes(assignments)
    if array_changes:
        if not all(is_value(node) for node in assignments.values()):
            raise SQLDecodeError("ARRAY_APPEND or ARRAY_REMOVE with a computed value in the same UPDATE")
        update_ = dict(array_changes)
        if assignments:
            update_["$set"] = {column: value(node) for column, node in assignments.items()}
        return UpdateMany(update.table, filter_, update_, id_pipeline)
    if all(is_value(node) for node in assignments.values()):
        update_ = {"$set": {column: value(node) for column, node in assignments.items()}}
        return UpdateMany(update.table, filter_, update_, id_pipeline)
    operators = _update_operators(update, assignments, numbers)
    if operators is not None:
        return UpdateMany(update.table, filter_, operators, id_pipeline)
    bulk = _bulk_update(update.table, filter_, assignments, id_pipeline)
    if bulk is not None:
        return bulk
    computed = {}
    for column, node in assignments.items():
        computed[column] = expressions.translate(node, scope)
    if scope.subqueries.pending:
        # A correlated subquery is a $lookup, which no update pipeline runs:
        # the new values are computed with an aggregation and written per
        # document, as for values djongo makes.
        return UpdateEach(update.table, filter_, computed, (), id_pipeline, tuple(scope.subqueries.take_pending()))
    # An update with an aggregation pipeline computes each document's new
    # values from its current ones, atomically per document (MongoDB 4.2+:
    # https://www.mongodb.com/docs/manual/tutorial/update-documents-with-aggregation-pipeline/).
    # $addFields is the documented name of the $set stage.
    return UpdateMany(update.table, filter_, [{"$addFields": computed}], id_pipeline)


def _update_each(table, filter_, assignments, scope, id_pipeline):
    """
    Return the UpdateEach of an UPDATE that sets a column to a value djongo
    makes for each row (``SET uid = UUIDV4()``): no update MongoDB runs
    gives each document a value of its own, so the documents are read,
    with the other new values and the makers' arguments computed as the
    update pipeline would, and written one by one.
    """
    computed, made = {}, []
    for column, node in assignments.items():
        if is_made(node):
            arguments = [expressions.translate(arg, scope) for arg in node.args]
            made.append((column, _maker(node), arguments))
        else:
            computed[column] = expressions.translate(node, scope)
    return UpdateEach(table, filter_, computed, tuple(made), id_pipeline, tuple(scope.subqueries.take_pending()))


# SET n = n + v, n = n - v and n = n * v as update operators, which change
# each document atomically where it is stored
# (https://www.mongodb.com/docs/manual/reference/operator/update/inc/,
# https://www.mongodb.com/docs/manual/reference/operator/update/mul/).
# They give SQL's result only on a number: $inc and $mul take a missing
# field as 0 and refuse NULL, where SQL's NULL + 1 is NULL. So they are used
# only for columns whose new value the compiler wrapped in NOT_NULL_NUMBER()
# (it does for NOT NULL numeric fields, djongo/compiler.py).
STEP_OPERATORS = {"+": "$inc", "-": "$inc", "*": "$mul"}


def _marked_numbers(assignments):
    """
    Return ({column: expression}, the columns the compiler marked as
    holding numbers, never NULL) of ``assignments``, each
    ``NOT_NULL_NUMBER(expression)`` mark taken off its expression.
    """
    unmarked, numbers = {}, set()
    for column, node in assignments:
        if isinstance(node, tree.Func) and node.name == dialect.NOT_NULL_NUMBER:
            if len(node.args) != 1:
                raise SQLDecodeError(f"{dialect.NOT_NULL_NUMBER}() of {len(node.args)} arguments")
            node = node.args[0]
            numbers.add(column)
        unmarked[column] = node
    return unmarked, numbers


def _update_operators(update, assignments, numbers):
    """
    Return the update document of an UPDATE whose assignments are each a
    value or a step (``n = n + v``, ``n - v``, ``v + n``, ``n * v``,
    ``v * n``) of a column that holds numbers, or None if one is neither.
    """
    sets, steps = {}, []
    for column, node in assignments.items():
        if is_value(node):
            sets[column] = value(node)
            continue
        step = _step(update.table, column, node) if column in numbers else None
        if step is None:
            return None
        operator, amount = step
        steps.append((column, operator, value(amount)))
    columns, operators, amounts = zip(*steps)
    if not any(isinstance(amount, Slot) for amount in amounts):
        return update_document(sets, columns, operators, amounts)
    return Build(update_document, (sets, columns, operators, list(amounts)))


def _step(table, column, node):
    """Return (operator, amount node) when ``node`` is ``column`` stepped by a value, else None."""
    if not isinstance(node, tree.BinaryOp) or node.op not in STEP_OPERATORS:
        return None

    def is_column(side):
        return isinstance(side, tree.Column) and side.name == column and side.table in (None, table)

    if is_column(node.left) and is_value(node.right):
        return node.op, node.right
    if node.op != "-" and is_column(node.right) and is_value(node.left):
        return node.op, node.left
    return None


def update_document(sets, columns, operators, amounts):
    """
    Return the update document setting ``sets`` and stepping each of
    ``columns`` by its operator (+, - or *) and amount.
    """
    document = {"$set": dict(sets)} if sets else {}
    for column, operator, amount in zip(columns, operators, amounts):
        if amount is None:
            # n + NULL, n - NULL and n * NULL are NULL.
            document.setdefault("$set", {})[column] = None
            continue
        if operator == "-":
            amount = _negative(amount)
        document.setdefault(STEP_OPERATORS[operator], {})[column] = amount
    return document


def _negative(amount):
    if isinstance(amount, Decimal128):
        return Decimal128(-amount.to_decimal())
    if isinstance(amount, (int, float, Int64)) and not isinstance(amount, bool):
        return type(amount)(-amount)
    raise DataError(f"subtraction of {type(amount).__name__} {amount!r} from a number")


# The array changes of ArrayReferenceField's managers and their update operators:
# $addToSet with $each adds the values an array lacks, $pull with $in removes
# every occurrence (https://www.mongodb.com/docs/manual/reference/operator/update/addToSet/,
# https://www.mongodb.com/docs/manual/reference/operator/update/pull/).
ARRAY_CHANGES = {dialect.ARRAY_APPEND: ("$addToSet", "$each"), dialect.ARRAY_REMOVE: ("$pull", "$in")}


def _array_changes(assignments):
    """
    Take the ``column = ARRAY_APPEND(column, %s)`` and ``ARRAY_REMOVE``
    assignments out of ``assignments``; return their update operators.
    """
    changes = {}
    for column, node in list(assignments.items()):
        if not (isinstance(node, tree.Func) and node.name in ARRAY_CHANGES):
            continue
        if (len(node.args) != 2 or not isinstance(node.args[0], tree.Column) or node.args[0].name != column
                or not is_value(node.args[1])):
            raise SQLDecodeError(f"{node.name}() other than SET column = {node.name}(column, values)")
        operator, modifier = ARRAY_CHANGES[node.name]
        changes.setdefault(operator, {})[column] = {modifier: value(node.args[1], _as_list)}
        del assignments[column]
    return changes


def _as_list(values):
    if not isinstance(values, list):
        raise SQLDecodeError("ARRAY_APPEND or ARRAY_REMOVE of something other than a list")
    return values


def _bulk_update(table, filter_, assignments, id_pipeline):
    """
    Return a BulkUpdate for Django's bulk_update() shape, else None: every
    computed column is ``CASE WHEN key = value THEN value ... [ELSE value] END``
    on the same key column. One targeted update per key is both portable and
    faster than evaluating a long CASE in every document.
    """
    key_column = None
    columns = []
    fixed = {}
    for column, node in assignments.items():
        if is_value(node):
            fixed[column] = value(node)
            continue
        if not isinstance(node, tree.Case) or node.operand is not None:
            return None
        cases = []
        for when, then in node.whens:
            if not (isinstance(when, tree.Comparison) and when.op == "=" and isinstance(when.left, tree.Column)
                    and is_value(when.right) and is_value(then)):
                return None
            if key_column not in (None, when.left.name):
                return None
            key_column = when.left.name
            cases.append((value(when.right), value(then)))
        default = node.default if node.default is not None else tree.Literal(None)
        if not is_value(default):
            return None
        columns.append((column, tuple(cases), value(default)))
    return BulkUpdate(table, filter_, key_column, tuple(columns), fixed, id_pipeline)


def translate_delete(delete):
    """Return the DeleteMany command of a DELETE statement."""
    scope = _scope(delete.table)
    filter_, id_pipeline = _where(delete.where, scope)
    return DeleteMany(delete.table, filter_, id_pipeline)


def _scope(table):
    scope = Scope(table)
    scope.subqueries = Subqueries(scope, SelectTranslator)
    return scope


def _where(where, scope):
    """
    Return (filter, id pipeline) of a WHERE. A correlated subquery needs a
    $lookup, which only an aggregation can run: the pipeline then finds the
    _ids of the rows to change, and the write matches those.
    """
    filter_ = MATCH_ALL if where is None else condition_filter(where, scope)
    pending = scope.subqueries.take_pending(apart=True)
    if not pending:
        return filter_, None
    return MATCH_ALL, [*pending, {"$match": filter_}, {"$project": {"_id": 1}}]
