"""
The schema editor: the DDL templates whose SQL the DDL translator parses.

Django's default templates are kept where they already have a simple,
parseable shape; the ones below are changed so that each statement names
everything the MongoDB command needs (DROP INDEX names its table, since
MongoDB indexes live in collections).
"""
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


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

    def quote_value(self, value):
        return self.connection.ops.quote_value(value)

    def prepare_default(self, value):
        return self.quote_value(value)
