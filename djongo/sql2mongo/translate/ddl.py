"""
Translate DDL: tables become collections, keys and unique columns become
unique indexes, and auto-increment columns get a ``__schema__`` sequence.

Our schema editor (``djongo/schema.py``) chooses the SQL templates, so only
the shapes it emits need parsing here.
"""
from djongo.exceptions import SQLDecodeError

from .. import analysis, ddl_tree, tree, uuids
from ..commands import (
    AddChecks, CreateCollection, CreateIndex, CreateSequence, DropCheck, DropCollection, DropField, DropIndex, NoOp,
    RenameCollection, RenameField, UpdateEach, UpdateMany,
)
from . import expressions
from .scope import Scope
from .values import is_value, value
from .where import condition_filter

# The BSON type of each column type our schema editor writes
# (DatabaseWrapper.data_types), for partial unique indexes on nullable columns.
BSON_TYPES = {
    "int": ["int", "long"], "long": ["int", "long"], "bool": "bool", "string": "string",
    "date": "date", "datetime": "date", "time": "string", "decimal": "decimal",
    "double": "double", "uuid": "binData", "binary": "binData", "objectid": "objectId",
    "duration": ["int", "long"], "json": ["object", "array", "string", "int", "long", "double", "bool"],
    # EmbeddedField and ArrayField (djongo.models).
    "object": "object", "array": "array",
}


def translate_create_table(create):
    checks = [_check(create.table, ddl_tree.CheckConstraint(f"{create.table}_{column.name}_check", column.check))
              for column in create.columns if column.check is not None]
    checks += [_check(create.table, constraint) for constraint in create.constraints
               if isinstance(constraint, ddl_tree.CheckConstraint)]
    # The collection is created with its validator; AddChecks records the
    # checks, and finds the validator already set.
    commands = []
    autos = [column.name for column in create.columns if column.autoincrement]
    if len(autos) > 1:
        raise SQLDecodeError("more than one AUTOINCREMENT column")
    if autos:
        # The counter first: a collection that exists has its counter, even
        # when a crash stopped its CREATE TABLE half-way (MigrationRecorder
        # creates django_migrations only when the collection is missing).
        commands.append(CreateSequence(create.table, autos[0]))
    commands.append(CreateCollection(
        create.table, validator([violation for _, _, violation in checks]) if checks else None,
        if_absent=create.if_not_exists,
    ))
    columns = {column.name: column for column in create.columns}
    for column in create.columns:
        _check_default(column)
        # A db_default, a value or an expression, needs no storage: MongoDB
        # has no column defaults, and DatabaseFeatures.
        # supports_default_keyword_in_insert is False, so Django writes the
        # default into every INSERT.
        if column.primary_key or column.unique:
            commands.append(_column_index(create.table, column))
    for constraint in create.constraints:
        if isinstance(constraint, ddl_tree.CheckConstraint):
            continue
        commands.append(_constraint_index(create.table, constraint, columns))
    if checks:
        commands.append(AddChecks(create.table, tuple(checks)))
    return commands


def _column_check(table, column):
    # A column's CHECK has no name in SQL; PostgreSQL calls it
    # <table>_<column>_check, and introspection lists it under that name.
    return AddChecks(table, (_check(table, ddl_tree.CheckConstraint(f"{table}_{column.name}_check", column.check)),))


def _check(table, constraint):
    """
    Return the (name, columns, violation) of a CHECK constraint.

    A row passes a CHECK whose condition is TRUE or NULL, and fails only
    where it is FALSE. The filter of NOT (condition) matches exactly the
    rows where the condition is FALSE (where.py keeps SQL's three-valued
    logic), so it is the check's violation, and the validator refuses the
    documents it matches (``validator()``).
    """
    if constraint.name is None:
        raise SQLDecodeError("CHECK constraint without a name")
    columns, has_params = _columns_read(constraint.condition)
    if has_params:
        # Django writes a CHECK's values into its SQL (quote_value), and the
        # validator is set when the statement runs, with no parameters at
        # hand for CREATE TABLE's: a placeholder here is not Django's SQL.
        raise SQLDecodeError(f"a parameter in CHECK constraint {constraint.name!r}")
    scope = Scope(table)
    violation = condition_filter(tree.Not(constraint.condition), scope)
    return constraint.name, columns, violation


def _columns_read(condition):
    """
    Return the names of the columns ``condition`` reads, in the order they
    appear, and whether it holds a parameter placeholder.
    """
    nodes = list(tree.walk(condition, into_selects=True))
    names = dict.fromkeys(item.name for item in nodes if isinstance(item, tree.Column))
    return tuple(names), any(isinstance(item, (tree.Param, tree.ListParam)) for item in nodes)


def validator(violations):
    """
    Return the collection validator that refuses every document one of the
    ``violations`` filters matches (the CHECK constraints of a table), or
    an empty one, which accepts every document, when there is none.

    A validator is a query filter; MongoDB refuses an insert or update whose
    resulting document does not match it, with error 121
    (DocumentValidationFailure):
    https://www.mongodb.com/docs/manual/core/schema-validation/specify-query-expression-rules/
    """
    return {"$nor": list(violations)} if violations else {}


def _column_index(table, column):
    suffix = "pk" if column.primary_key else "uniq"
    return CreateIndex(
        table, ((column.name, 1),), f"{table}_{column.name}_{suffix}", unique=True,
        partial_filter=_non_null_filter(column),
    )


def _non_null_filter(column):
    """
    Return the partial filter that keeps NULLs out of a unique index.

    SQL lets any number of rows hold NULL in a UNIQUE column, while a MongoDB
    unique index counts null as a value. A partial index on the column's
    type skips nulls
    (https://www.mongodb.com/docs/manual/core/index-partial/#partial-index-with-unique-constraint).
    """
    if not column.nullable or column.primary_key:
        return None
    try:
        bson_type = BSON_TYPES[column.type]
    except KeyError:
        raise SQLDecodeError(f"UNIQUE on a nullable column of type {column.type!r}") from None
    return {column.name: {"$type": bson_type}}


def _constraint_index(table, constraint, columns=None):
    """
    Return the unique index of a table constraint. Within CREATE TABLE the
    column types are known, so nullable columns get the partial filter that
    lets rows with a NULL in them repeat, as SQL does.
    """
    name = constraint.name or f"{table}_{'_'.join(constraint.columns)}_{'pk' if constraint.primary_key else 'uniq'}"
    partial = {}
    if columns and not constraint.primary_key:
        for column_name in constraint.columns:
            column = columns.get(column_name)
            if column is not None:
                partial.update(_non_null_filter(column) or {})
    keys = tuple((column, 1) for column in constraint.columns)
    return CreateIndex(table, keys, name, unique=True, partial_filter=partial or None)


def translate_drop_table(drop):
    return [DropCollection(drop.table)]


def translate_alter_table(alter):
    commands = []
    for action in alter.actions:
        translator = ACTIONS.get(type(action))
        if translator is None:
            raise SQLDecodeError(f"ALTER TABLE {type(action).__name__}")
        commands.extend(translator(alter.table, action))
    return commands


def _add_column(table, action):
    column = action.column
    if column.primary_key or column.autoincrement:
        raise SQLDecodeError("ALTER TABLE ADD COLUMN of a primary key")
    _check_default(column)
    # Existing documents get the default, or null: every row has every column.
    missing = {column.name: {"$exists": False}}
    made = _made_default(column)
    if made is not None:
        # Each existing document gets a UUID of its own.
        commands = [UpdateEach(table, missing, made=(made,))]
    elif column.default is not None and not is_value(column.default):
        # An expression default (Now(), Pi() + 1): Django allows none that
        # reads a column (Expression.allowed_default), so one update
        # pipeline computes it for every document.
        computed = expressions.translate(column.default, Scope(table))
        commands = [UpdateMany(table, missing, [{"$addFields": {column.name: computed}}])]
    else:
        default = None if column.default is None else value(column.default)
        commands = [UpdateMany(table, missing, {"$set": {column.name: default}})]
    if column.unique:
        commands.append(_column_index(table, column))
    if column.check is not None:
        commands.append(_column_check(table, column))
    return commands


def _check_default(column):
    """
    Refuse a DEFAULT that reads a column or runs a subquery: SQL allows
    neither (nor does Django, Expression.allowed_default), and no value
    would stand for it.
    """
    if column.default is None or is_value(column.default):
        return
    if any(True for _ in analysis.columns(column.default)) or any(True for _ in analysis.subqueries(column.default)):
        raise SQLDecodeError(f"column DEFAULT of {column.name!r} reading a column or a subquery")


def _made_default(column):
    """
    Return UpdateEach's (field, maker, arguments) for a column whose DEFAULT
    is a value djongo makes (``DEFAULT (UUIDV4())``), else None.
    """
    default = column.default
    if not (isinstance(default, tree.Func) and default.name in uuids.NAMES):
        return None
    maker = uuids.MADE.get((default.name, len(default.args)))
    if maker is None or not all(isinstance(arg, tree.Literal) for arg in default.args):
        raise SQLDecodeError(f"column DEFAULT {default.name}() with {len(default.args)} arguments")
    return column.name, maker, [{"$literal": arg.value} for arg in default.args]


def _drop_column(table, action):
    return [DropField(table, action.name)]


def _rename_column(table, action):
    return [RenameField(table, action.old, action.new)]


def _rename_table(table, action):
    return [RenameCollection(table, action.new)]


def _add_constraint(table, action):
    if isinstance(action.constraint, ddl_tree.CheckConstraint):
        return [AddChecks(table, (_check(table, action.constraint),))]
    return [_constraint_index(table, action.constraint)]


def _drop_check(table, action):
    return [DropCheck(table, action.name)]


def _drop_constraint(table, action):
    return [DropIndex(table, action.name)]


def _alter_column(table, action):
    # Documents carry no column types or NOT NULL flags, and defaults are
    # applied by Django, so these changes need no data change.
    return [NoOp(table, f"ALTER COLUMN {action.name} {action.change}")]


ACTIONS = {
    ddl_tree.AddColumn: _add_column,
    ddl_tree.DropColumn: _drop_column,
    ddl_tree.RenameColumn: _rename_column,
    ddl_tree.RenameTable: _rename_table,
    ddl_tree.AddConstraint: _add_constraint,
    ddl_tree.DropConstraint: _drop_constraint,
    ddl_tree.DropCheck: _drop_check,
    ddl_tree.AlterColumn: _alter_column,
}


# Every BSON type but null, by alias, for ``IS NOT NULL`` in a partial
# filter; not the deprecated undefined, dbPointer, symbol and
# javascriptWithScope, which no SQL value becomes.
# https://www.mongodb.com/docs/manual/reference/operator/query/type/#available-types
NON_NULL_TYPES = [
    "double", "string", "object", "array", "binData", "objectId", "bool", "date", "regex",
    "javascript", "int", "timestamp", "long", "decimal", "minKey", "maxKey",
]


def translate_create_index(create):
    partial = None
    if create.where is not None:
        partial = _partial_filter(condition_filter(create.where, Scope(create.table)))
    keys = tuple((column.name, -1 if column.descending else 1) for column in create.columns)
    return [CreateIndex(create.table, keys, create.name, create.unique, partial)]


def translate_drop_index(drop):
    return [DropIndex(drop.table, drop.name)]


def _partial_filter(filter_):
    """
    Return the query filter ``filter_`` of CREATE INDEX ... WHERE as a
    partial filter. A partial filter takes equality, ``$exists: true``,
    comparisons, ``$type``, ``$and``, ``$or`` and ``$in``
    (https://www.mongodb.com/docs/manual/core/index-partial/), not the
    ``$ne: null`` of ``IS NOT NULL``, which becomes a ``$type`` test of
    every type but null.
    """
    if isinstance(filter_, list):
        return [_partial_filter(item) for item in filter_]
    if not isinstance(filter_, dict):
        return filter_
    return {
        key: {"$type": NON_NULL_TYPES} if value == {"$ne": None} else _partial_filter(value)
        for key, value in filter_.items()
    }
