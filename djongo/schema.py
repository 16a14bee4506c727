"""
The schema editor: the DDL templates whose SQL the DDL translator parses.

Django's default templates are kept where they already have a simple,
parseable shape; the ones below are changed so that each statement names
everything the MongoDB command needs (DROP INDEX names its table, since
MongoDB indexes live in collections).
"""
import json
import logging

from django.db import NotSupportedError, ProgrammingError
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import deletion

from djongo.catalog import NO_ACTION
from djongo.sql2mongo.bsonvalues import to_bson

logger = logging.getLogger("djongo")

# Django 6.1's on_delete options that the database applies (DB_CASCADE,
# DB_SET_NULL, DB_SET_DEFAULT); none before.
DATABASE_ON_DELETE = getattr(deletion, "DatabaseOnDelete", ())


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    sql_delete_table = "DROP TABLE %(table)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s"
    sql_delete_index = "DROP INDEX %(name)s ON %(table)s"
    sql_create_index = "CREATE INDEX %(name)s ON %(table)s (%(columns)s)%(include)s%(condition)s"
    sql_create_unique_index = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(include)s%(condition)s"
    sql_create_unique = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s UNIQUE (%(columns)s)"
    sql_delete_unique = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
    sql_create_pk = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s PRIMARY KEY (%(columns)s)"
    sql_delete_pk = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
    sql_delete_fk = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
    sql_create_column_inline_fk = None
    # CHECK constraints become the collection's validator (translate/ddl.py).
    # Dropping one says CHECK, as MySQL does, so that the statement need not
    # look up whether the name is an index or a check.
    sql_check_constraint = "CHECK (%(check)s)"
    sql_create_check = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s CHECK (%(check)s)"
    sql_delete_check = "ALTER TABLE %(table)s DROP CHECK %(name)s"

    def quote_value(self, value):
        return self.connection.ops.quote_value(value)

    def _create_unique_sql(self, model, fields, *args, **kwargs):
        """
        Return the statement that makes ``fields`` unique after the table
        exists (AlterUniqueTogether, AddConstraint, a field made unique).

        SQL lets any number of rows hold NULL in a unique column, while a
        MongoDB unique index counts null as a value; CREATE TABLE gives a
        nullable column's index a partial filter on its type (translate/
        ddl.py), but ALTER TABLE ... ADD CONSTRAINT names no column types.
        So over nullable columns the constraint is written as a unique
        index on the rows where they are all NOT NULL, the rows a SQL
        unique constraint compares.
        """
        statement = super()._create_unique_sql(model, fields, *args, **kwargs)
        nullable = [field.column for field in fields if field.null]
        if statement is None or not nullable or statement.template != self.sql_create_unique:
            return statement
        statement.template = self.sql_create_unique_index
        statement.parts["include"] = ""
        statement.parts["condition"] = " WHERE " + " AND ".join(
            f"{self.quote_name(column)} IS NOT NULL" for column in nullable
        )
        return statement

    def prepare_default(self, value):
        return self.quote_value(value)

    def _check_sql(self, name, check):
        """
        Return the CHECK clause of a CheckConstraint in CREATE TABLE, or None
        where the server does not enforce CHECK constraints.
        """
        # Django asks the feature before ALTER TABLE ... ADD/DROP CHECK, not
        # before the clause it writes into CREATE TABLE. On a server that
        # ignores validators the check is left out, as Django's warning
        # models.W027 says ("A constraint won't be created"), rather than
        # recorded as if it held.
        if not self.connection.features.supports_table_check_constraints:
            return None
        return super()._check_sql(name, check)

    # Column records ----------------------------------------------------------
    # MongoDB keeps no column definitions, so after each change of a table's
    # columns the editor records them in __columns__ for introspection
    # (djongo/sequences.py). Dropping or renaming a column or a table updates
    # the records in the executor, whichever SQL asked for it.

    def create_model(self, model):
        records = self._column_records(model._meta.local_concrete_fields)  # may refuse: before any change
        if self._left_by_a_crash(model._meta.db_table, records):
            # Complete what the interrupted CREATE TABLE began: its counter
            # is kept and an index that exists already is left as it is
            # (executor/ddl.py, indexes.py), so the statement runs again whole.
            # create_model() makes a many-to-many field's table inside itself:
            # the template is put back by the call that set it.
            outermost = "sql_create_table" not in vars(self)
            self.sql_create_table = "CREATE TABLE IF NOT EXISTS %(table)s (%(definition)s)"
            try:
                super().create_model(model)
            finally:
                if outermost:
                    del self.sql_create_table
        else:
            super().create_model(model)
        if not self.collect_sql:
            self._catalog().set_columns(model._meta.db_table, records, unrecorded=True)

    def _left_by_a_crash(self, table, records):
        """
        Return whether ``table`` exists as a ``migrate`` killed inside this
        CREATE TABLE left it, so that the migration can run again (False
        when it does not exist); raise ProgrammingError naming the conflict
        when it exists otherwise.

        PostgreSQL and SQLite run a migration in a transaction, and a crash
        leaves nothing behind. A standalone MongoDB has none: the
        collection, its counter, its indexes and its column records are
        made one after the other. The table is the one this statement makes
        when the columns recorded for it are this model's and the migration
        that made it is not recorded yet, or when no columns are recorded
        (the last step) and it holds no document. A table of a recorded
        migration is left to CREATE TABLE, which fails as Django expects
        (``migrate --fake-initial`` is the way to adopt it).
        """
        if self.collect_sql:  # sqlmigrate: nothing runs
            return False
        catalog = self._catalog()
        if not catalog.exists(table):
            return False
        recorded, unrecorded = catalog.columns_and_unrecorded(table)
        if recorded is None:
            if self.connection.connection.database[table].find_one({}, {"_id": 1}) is None:
                logger.info("table %s exists, empty and with no recorded columns: completing its CREATE TABLE", table)
                return True
            raise ProgrammingError(
                f"table {table!r} already exists, holds documents and has no recorded columns: it was not left "
                "by an interrupted migration (docs/migrations.md)"
            )
        if not unrecorded:
            return False
        if recorded == records:
            logger.info("table %s exists with this model's columns: completing its CREATE TABLE", table)
            return True
        mismatched = [
            name for name in dict.fromkeys([column["name"] for column in recorded + records])
            if _named(recorded, name) != _named(records, name)
        ]
        raise ProgrammingError(
            f"table {table!r} already exists with other columns than this migration creates "
            f"(columns that differ: {', '.join(mismatched)}): it was not left by an interrupted run of this "
            "migration (docs/migrations.md)"
        )

    def add_field(self, model, field):
        records = self._column_records([field])
        super().add_field(model, field)
        self._record_columns(model._meta.db_table, records, replace=False)

    def alter_field(self, model, old_field, new_field, strict=False):
        records = self._column_records([new_field])
        super().alter_field(model, old_field, new_field, strict)
        if not records and self._column_record(old_field) is not None:
            self._catalog().drop_column(model._meta.db_table, old_field.column)
        else:
            self._record_columns(model._meta.db_table, records, replace=False)

    def _column_records(self, fields):
        return [record for record in map(self._column_record, fields) if record is not None]

    def _record_columns(self, table, records, replace=True):
        """Record the column ``records``: all of ``table``'s, or, without ``replace``, some."""
        if self.collect_sql:  # sqlmigrate: nothing runs, so nothing changes
            return
        catalog = self._catalog()
        if replace:
            catalog.set_columns(table, records)
        else:
            for record in records:
                catalog.set_column(table, record)

    def _catalog(self):
        self.connection.ensure_connection()
        return self.connection.connection.catalog

    def _column_record(self, field):
        """Return what introspection needs to know of ``field``'s column, or None if it has none."""
        if field.column is None or field.db_parameters(connection=self.connection)["type"] is None:
            return None
        target = field
        while target.is_relation:  # a foreign key's column holds the target's values
            target = target.target_field
        field_type = target.get_internal_type()
        if target is not field:
            field_type = RELATED_COLUMN_TYPES.get(field_type, field_type)
        record = {
            "name": field.column,
            "type": field_type,
            "null": bool(field.null),
            "max_length": getattr(target, "max_length", None),
            "precision": getattr(target, "max_digits", None),
            "scale": getattr(target, "decimal_places", None),
            "collation": _plain(getattr(field, "db_collation", None)),
            "default": self._default_text(field),
        }
        reference = self._reference(field)
        if reference is not None:
            record["references"] = reference
        return record

    def _reference(self, field):
        """
        Return what the catalog records of the foreign key ``field``: the
        table and column it references and what deleting a referenced row
        does (catalog.py), or None if ``field`` is no foreign key column.

        Django writes this into a FOREIGN KEY constraint, with the ON DELETE
        clause of a DB_* on_delete, only where supports_foreign_keys; MongoDB
        has no such constraint, so djongo records it here and applies the
        ON DELETE itself (executor/deletes.py, run_delete_many). As in SQL,
        db_constraint=False means no constraint, so nothing is recorded.
        """
        if not (field.many_to_one or field.one_to_one) or not getattr(field, "db_constraint", False):
            return None
        on_delete = field.remote_field.on_delete
        action = on_delete.operation if isinstance(on_delete, DATABASE_ON_DELETE) else NO_ACTION
        if getattr(field, "holds_many_keys", False):  # ArrayReferenceField: an array of keys, no foreign key
            if action != NO_ACTION:
                raise NotSupportedError(
                    f"{field.model.__name__}.{field.name}: {on_delete} on an ArrayReferenceField, whose column "
                    "holds many keys; its own on_delete (PULL, the default) removes a deleted row's key"
                )
            return None
        target = field.target_field
        reference = {"table": target.model._meta.db_table, "column": target.column, "on_delete": action}
        if action == "SET DEFAULT":
            reference["default"] = self._default_value(field)
        return reference

    def _default_value(self, field):
        """Return ``field``'s db_default as BSON stores it (None without one, as SQL's SET DEFAULT writes NULL)."""
        if not field.has_db_default():
            return None
        sql, params = self.db_default_sql(field)
        if sql == "NULL" and not params:
            return None
        if sql == "%s" and len(params) == 1:
            return to_bson(params[0])
        raise NotSupportedError(
            f"{field.model.__name__}.{field.name}: DB_SET_DEFAULT needs a constant db_default, not {field.db_default}"
        )

    def _default_text(self, field):
        """Return the SQL text of ``field``'s db_default, as other backends introspect it, or None."""
        if not field.has_db_default():
            return None
        sql, params = self.db_default_sql(field)
        return sql % tuple(map(self._default_literal, params))

    def _default_literal(self, value):
        try:
            return self.quote_value(value)
        except ValueError:
            # A value SQL writes as a typed literal (a UUID, a date, JSON):
            # its text, quoted, as PostgreSQL shows '...'::uuid without the cast.
            text = json.dumps(value, default=str) if isinstance(value, (dict, list)) else str(value)
            return self.quote_value(text)


def _named(records, name):
    """Return the column record of ``records`` named ``name``, or None."""
    return next((record for record in records if record["name"] == name), None)


def _plain(text):
    # A setting may be a lazy object, which BSON cannot encode; a lazy None
    # is not None, and only isinstance() sees through it.
    return str(text) if isinstance(text, str) else None


# A foreign key to an auto field holds plain integers: no counter of its own.
RELATED_COLUMN_TYPES = {
    "AutoField": "IntegerField",
    "BigAutoField": "BigIntegerField",
    "SmallAutoField": "SmallIntegerField",
}
