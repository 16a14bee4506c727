"""
Django's SQL compilers, with the NOT NULL check that MongoDB does not make.

A SQL database refuses NULL in a NOT NULL column with an IntegrityError,
and Django relies on it (``save()`` of a required field left None). MongoDB
stores whatever it is given, so djongo makes the check where Django still
knows each column's field: when it compiles an INSERT or an UPDATE.
Statements sent as raw SQL are not checked.

Django finds the compilers by name in the module that
``DatabaseOperations.compiler_module`` names.
"""
from django.db import IntegrityError
from django.db.models.sql import compiler
from django.db.models.sql.compiler import SQLAggregateCompiler, SQLCompiler, SQLDeleteCompiler

# DatabaseOperations.compiler() looks each of these up by name.
__all__ = [
    "SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler", "SQLUpdateCompiler",
]


def not_null_violation(field):
    """Return the IntegrityError of a NULL written to ``field``'s NOT NULL column, worded as SQLite words it."""
    return IntegrityError(f"NOT NULL constraint failed: {field.model._meta.db_table}.{field.column}")


class SQLInsertCompiler(compiler.SQLInsertCompiler):

    def prepare_value(self, field, value):
        value = super().prepare_value(field, value)
        if value is None and not field.null:
            raise not_null_violation(field)
        return value


class SQLUpdateCompiler(compiler.SQLUpdateCompiler):

    def as_sql(self):
        for field, _model, value in self.query.values:
            if value is None and not field.null:
                raise not_null_violation(field)
        return super().as_sql()
