"""
Django's SQL compilers, with what only they know added to the SQL.

Django finds the compilers by name in the module that
``DatabaseOperations.compiler_module`` names. Three facts of the models are
lost in plain SQL, and djongo adds them while Django still holds the fields:

- **NOT NULL.** A SQL database refuses NULL in a NOT NULL column with an
  IntegrityError, and Django relies on it (``save()`` of a required field
  left None). MongoDB stores whatever it is given, so djongo makes the
  check when Django compiles an INSERT or an UPDATE. Statements sent as raw
  SQL are not checked.
- **Numbers never NULL.** An UPDATE that assigns an expression to a NOT
  NULL numeric column marks the value, as in
  ``UPDATE "t" SET "n" = NOT_NULL_NUMBER(("t"."n" + %s))``, so that
  ``n = n + 1`` becomes MongoDB's ``$inc``, which treats a missing field
  as 0 and refuses NULL where SQL's ``NULL + 1`` is NULL.
- **Unique join columns.** Each JOIN is followed by a hint, such as
  ``/*+ UNIQUE(2) */``, naming by position the columns of its ON equality
  that are unique (a primary key, a ``unique=True`` field, the target of a
  ForeignKey) and compared with a single value (not an
  ArrayReferenceField's array). The optimizer (djongo/sql2mongo/optimize/) relies on it to
  know that a join finds at most one row, as Django itself relies on
  primary keys being unique; the unique indexes that migrations create
  hold the data to it. SQL without hints is planned without that knowledge.

And one fact of the column's type: an integer column stores an integer.
djongo divides exactly (``$divide`` returns a double), so an UPDATE that
assigns a quotient to an integer column (django-treebeard's ``depth =
LENGTH(path) / steplen``) casts it to the column's integer type, truncating
as PostgreSQL's and SQLite's integer division do, rather than storing a
double that reads back as a float.
"""
from django.db import DataError, IntegrityError
from django.db.models import BigIntegerField, IntegerField
from django.db.models.expressions import CombinedExpression, DatabaseDefault, Func
from django.db.models.functions import Cast
from django.db.models.sql import compiler
from django.db.models.sql.compiler import SQLAggregateCompiler, SQLDeleteCompiler
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI
from django.db.models.sql.datastructures import Join

from djongo.executor import reads
from djongo.operations import NUMBER_FIELDS, ForeignValueError
from djongo.sql2mongo import dialect

# DatabaseOperations.compiler() looks each of these up by name.
__all__ = [
    "SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler",
]


def quoted(compiler_, name):
    """
    Quote ``name`` as ``compiler_`` does in the SQL it writes: Django 6.1
    quotes aliases too and deprecates quote_name_unless_alias(), which
    Django 5.2's compiler alone has.
    """
    quote = getattr(compiler_, "quote_name", None) or compiler_.quote_name_unless_alias
    return quote(name)


def has_placeholder(field):
    """
    Return whether ``field`` writes its own SQL placeholder for a value:
    get_placeholder() until Django 6.0, get_placeholder_sql() since 6.1.
    """
    return getattr(field, "get_placeholder", None) is not None or getattr(field, "get_placeholder_sql", None) is not None


def not_null_violation(field):
    """Return the IntegrityError of a NULL written to ``field``'s NOT NULL column, worded as SQLite words it."""
    return IntegrityError(f"NOT NULL constraint failed: {field.model._meta.db_table}.{field.column}")


class SQLCompiler(compiler.SQLCompiler):

    def execute_sql(self, result_type=MULTI, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        # QuerySet.iterator(chunk_size=n) reads n rows at a time: the server
        # sends its batches of that size too, rather than pymongo's default.
        token = reads.batch_size.set(chunk_size if chunked_fetch else None)
        try:
            return super().execute_sql(result_type, chunked_fetch, chunk_size)
        finally:
            reads.batch_size.reset(token)

    def apply_converters(self, rows, converters):
        """
        Convert each row's values as Django does; a value another program
        wrote in a shape its field cannot read (operations.odd_value) names
        the row too, by the primary key, when the query reads it.
        """
        connection = self.connection
        converters = list(converters.items())
        for row in map(list, rows):
            for position, (functions, expression) in converters:
                value = row[position]
                try:
                    for function in functions:
                        value = function(value, expression, connection)
                except ForeignValueError as exc:
                    raise ForeignValueError(f"{exc}{self._row_named(row)}") from None
                row[position] = value
            yield row

    def _row_named(self, row):
        """Return " (the row whose <pk column> is <value>)" for ``row``, or "" when the query does not read the key."""
        meta = self.query.get_meta()
        for position, (expression, _, _) in enumerate(self.select or ()):
            target = getattr(expression, "target", None)
            if target is not None and target is meta.pk and getattr(expression, "alias", None) == self.query.base_table:
                return f" (the row whose {target.column} is {row[position]!r})"
        return ""



def join_as_djongo(join, compiler_, connection):
    """
    Return the SQL of a JOIN clause with its ``/*+ UNIQUE(...) */`` hint
    (unique_columns_hint()): Django compiles each table of a FROM clause
    through its vendor dispatch (``as_djongo``), so the hint follows the
    very clause it describes.
    """
    sql, params = join.as_sql(compiler_, connection)
    hint = unique_columns_hint(join)
    return (f"{sql} {hint}" if hint else sql), params


def install():
    """Set ``as_djongo`` on Django's Join, which writes each JOIN clause."""
    Join.as_djongo = join_as_djongo


def unique_columns_hint(join):
    """
    Return the ``/*+ UNIQUE(...) */`` hint after ``join``'s ON ``parent =
    child``, naming by position (1 for parent, 2 for child) the columns
    through which a row of the other side finds at most one row, or ''. A
    unique column qualifies when the other side's column holds one value:
    an ArrayReferenceField's array meets one row per element. The hint
    names positions rather than columns so that the SQL text holds each
    column as often as Django wrote it.
    """
    fields = join.join_fields or ()
    # Only an ON that is the one equality: a generic relation's content type
    # or a FilteredRelation's condition adds to it.
    if (len(fields) != 1 or join.filtered_relation is not None
            or join.join_field.get_extra_restriction(join.table_alias, join.parent_alias) is not None):
        return ""
    parent, child = fields[0]
    unique = [
        position for position, field, other in ((1, parent, child), (2, child, parent))
        if getattr(field, "unique", False) and not getattr(other, "holds_many_keys", False)
    ]
    return dialect.hint(dialect.UNIQUE, unique)


def naming_the_column(field, prepare):
    """Return ``prepare()``, a value prepared for ``field``, with a DataError naming the column."""
    try:
        return prepare()
    except DataError as error:
        raise DataError(f"{field.model._meta.db_table}.{field.column}: {error}") from error


class SQLInsertCompiler(compiler.SQLInsertCompiler):

    def pre_save_val(self, field, obj):
        value = super().pre_save_val(field, obj)
        # MongoDB keeps no column defaults: a field left to its db_default
        # stores the default's value. Django 6 leaves such a column out of
        # the INSERT for the database to fill in; Django 5.2 wrote the value.
        if isinstance(value, DatabaseDefault):
            return field.db_default
        return value

    def prepare_value(self, field, value):
        return naming_the_column(field, lambda: super(SQLInsertCompiler, self).prepare_value(field, value))

    def assemble_as_sql(self, fields, value_rows):
        # The values are those of get_db_prep_save(): a NULL here is a NULL stored.
        for position, field in enumerate(fields):
            if field is not None and not field.null and any(row[position] is None for row in value_rows):
                raise not_null_violation(field)
        if all(field is not None and not has_placeholder(field) for field in fields) and not any(
                hasattr(value, "as_sql") for row in value_rows for value in row):
            # Every value is a parameter: one %s each, the values as they
            # are. bulk_create() of many rows spends much of its time here.
            placeholders = ["%s"] * len(fields)
            return [placeholders] * len(value_rows), value_rows
        return super().assemble_as_sql(fields, value_rows)


class SQLUpdateCompiler(compiler.SQLUpdateCompiler):

    def as_sql(self):
        for field, _model, value in self.query.values:
            if not field.null and self._prepared(field, value) is None:
                raise not_null_violation(field)
        self.query.values = [(field, model, not_null_number(field, integer_quotient(field, value)))
                             for field, model, value in self.query.values]
        try:
            sql, params = super().as_sql()
        except DataError:
            # A nullable column's value (the others were prepared above):
            # prepare them again, on this error path only, to name it.
            for field, _model, value in self.query.values:
                if field.null:
                    self._prepared(field, value)
            raise
        return sql, params

    def _prepared(self, field, value):
        """Return the value stored for ``value`` (see _stored_value), a DataError naming the column."""
        return naming_the_column(field, lambda: _stored_value(field, value, self.connection))


def _stored_value(field, value, connection):
    """
    Return the value an UPDATE stores in ``field``'s column for ``value``,
    as Django's compiler prepares it (a field may turn None into ''), or
    ``value`` itself when it is an expression the database computes.
    """
    if hasattr(value, "resolve_expression"):
        return value
    if hasattr(value, "prepare_database_save"):
        if not field.remote_field:
            return value  # Django's as_sql() refuses a model instance here
        value = value.prepare_database_save(field)
    try:
        return field.get_db_prep_save(value, connection=connection)
    except (TypeError, ValueError):
        # Django's own preparation in as_sql() raises it again, as it words it.
        return value


# The fields whose values are stored as BSON integers, and the cast that
# keeps a computed value one: $toLong for the 64-bit ones, $toInt else.
INTEGER_CASTS = {
    "AutoField": IntegerField, "SmallAutoField": IntegerField, "IntegerField": IntegerField,
    "SmallIntegerField": IntegerField, "PositiveIntegerField": IntegerField,
    "PositiveSmallIntegerField": IntegerField, "BigAutoField": BigIntegerField,
    "BigIntegerField": BigIntegerField, "PositiveBigIntegerField": BigIntegerField,
}


def integer_quotient(field, value):
    """
    Return ``value``, an UPDATE's value for ``field``, cast to the column's
    integer type when the column holds integers and the value divides:
    MongoDB's $divide returns a double
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/divide/),
    and $toInt and $toLong truncate one toward zero
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/toInt/).
    """
    cast = INTEGER_CASTS.get(field.get_internal_type())
    if cast is None or not divides(value) or (isinstance(value, Cast) and isinstance(value.output_field, cast)):
        return value
    return Cast(value, cast())


def divides(expression):
    """Return whether ``expression`` is, or holds, a division."""
    if not hasattr(expression, "get_source_expressions"):
        return False
    if isinstance(expression, CombinedExpression) and expression.connector == "/":
        return True
    return any(divides(source) for source in expression.get_source_expressions())




class NotNullNumber(Func):
    """
    ``NOT_NULL_NUMBER(expression)``: the new value of a NOT NULL numeric
    column, which the translator may then write as ``$inc`` or ``$mul``
    (djongo/sql2mongo/translate/dml.py). Django compiles it as it compiles
    every expression of an UPDATE, so the mark is part of the value's own
    SQL wherever Django writes it.
    """
    function = dialect.NOT_NULL_NUMBER
    arity = 1

    def __repr__(self):
        # Django names the value in its errors ("Window expressions are not
        # allowed in this query (salary=<Window: ...>)"): the mark is djongo's
        # and stays out of them.
        return repr(self.get_source_expressions()[0])


def not_null_number(field, value):
    """
    Return ``value``, an UPDATE's new value of ``field``, marked
    NOT_NULL_NUMBER() when it is an expression and ``field`` a NOT NULL
    number, else unchanged.
    """
    if (hasattr(value, "resolve_expression") and not field.null
            and field.get_internal_type() in NUMBER_FIELDS):
        return NotNullNumber(value, output_field=field)
    return value
