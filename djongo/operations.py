"""SQL shapes djongo chooses for Django, and value conversion to and from BSON."""
import datetime
import decimal

from bson.decimal128 import Decimal128
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.dateparse import parse_time

from djongo.sql2mongo.parser import sql_literal


class DatabaseOperations(BaseDatabaseOperations):
    # LIMIT can be left out for "no limit".
    def no_limit_value(self):
        return None

    def quote_name(self, name):
        if name.startswith('"') and name.endswith('"'):
            return name
        return '"%s"' % name.replace('"', '""')

    def max_name_length(self):
        # MongoDB namespaces (database.collection) may be 255 bytes long.
        return 120

    def last_insert_id(self, cursor, table_name, pk_name):
        return cursor.lastrowid

    def return_insert_columns(self, fields):
        if not fields:
            return "", ()
        columns = ", ".join(
            f"{self.quote_name(field.model._meta.db_table)}.{self.quote_name(field.column)}"
            for field in fields
        )
        return f"RETURNING {columns}", ()

    def fetch_returned_insert_rows(self, cursor):
        return cursor.fetchall()

    def bulk_insert_sql(self, fields, placeholder_rows):
        rows = ", ".join(f"({', '.join(row)})" for row in placeholder_rows)
        return f"VALUES {rows}"

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))}"
            for table in tables
        ]
        if reset_sequences:
            statements.extend(self._reset_sequence_sql(table) for table in tables)
        return statements

    def sequence_reset_by_name_sql(self, style, sequences):
        return [self._reset_sequence_sql(sequence["table"]) for sequence in sequences]

    def _reset_sequence_sql(self, table):
        # "auto.seq" is a dotted field path into the __schema__ entry.
        return f'UPDATE "__schema__" SET "auto.seq" = 0 WHERE "name" = {self.quote_value(table)}'

    @staticmethod
    def quote_value(value):
        return sql_literal(value)

    def last_executed_query(self, cursor, sql, params):
        if params:
            return f"{sql} -- params: {tuple(params)!r}"
        return sql

    def combine_expression(self, connector, sub_expressions):
        """Combine sub_expressions with connector, writing ^ and the bitwise connectors as functions."""
        # These connectors have no SQL operator the parser reads. The bitwise
        # ones stay refused by the translator: MongoDB 4.4 has no bitwise
        # aggregation operators.
        function = {
            "^": "POWER",
            "&": "BITAND",
            "|": "BITOR",
            "#": "BITXOR",
            "<<": "BITLEFTSHIFT",
            ">>": "BITRIGHTSHIFT",
        }.get(connector)
        if function is None:
            return super().combine_expression(connector, sub_expressions)
        return f"{function}({', '.join(sub_expressions)})"

    # Date functions: one simple shape, DATE_TRUNC('kind', expression, 'zone' | NULL).

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        return self._trunc_sql(lookup_type, sql, params, tzname)

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        return self._trunc_sql(lookup_type, sql, params, tzname)

    def datetime_cast_date_sql(self, sql, params, tzname):
        return self._trunc_sql("day", sql, params, tzname)

    def _trunc_sql(self, lookup_type, sql, params, tzname):
        zone = self.quote_value(tzname) if tzname and settings.USE_TZ else "NULL"
        return f"DATE_TRUNC({self.quote_value(lookup_type)}, {sql}, {zone})", params

    # Values going to MongoDB ---------------------------------------------

    def adapt_datefield_value(self, value):
        return value

    def adapt_datetimefield_value(self, value):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if timezone.is_aware(value):
            if not settings.USE_TZ:
                raise ValueError("MongoDB backend does not support timezone-aware datetimes when USE_TZ is False.")
            # BSON dates are UTC instants.
            value = timezone.make_naive(value, datetime.timezone.utc)
        return value

    def adapt_timefield_value(self, value):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if timezone.is_aware(value):
            raise ValueError("MongoDB backend does not support timezone-aware times.")
        return value

    def adapt_decimalfield_value(self, value, max_digits=None, decimal_places=None):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return Decimal128(decimal.Decimal(value))

    def adapt_ipaddressfield_value(self, value):
        return value or None

    # Values coming back from MongoDB -------------------------------------

    def get_db_converters(self, expression):
        converters = super().get_db_converters(expression)
        internal_type = expression.output_field.get_internal_type()
        converter = {
            "DateTimeField": self.convert_datetimefield_value,
            "DateField": self.convert_datefield_value,
            "TimeField": self.convert_timefield_value,
            "DecimalField": self.convert_decimalfield_value,
            "BooleanField": self.convert_booleanfield_value,
        }.get(internal_type)
        if converter is not None:
            converters.append(converter)
        return converters

    def convert_datetimefield_value(self, value, expression, connection):
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.timezone.utc)
        return value

    def convert_datefield_value(self, value, expression, connection):
        if isinstance(value, datetime.datetime):
            return value.date()
        return value

    def convert_timefield_value(self, value, expression, connection):
        if isinstance(value, str):
            return parse_time(value)
        return value

    def convert_decimalfield_value(self, value, expression, connection):
        if isinstance(value, Decimal128):
            value = value.to_decimal()
        if isinstance(value, (int, float)):
            value = decimal.Decimal(str(value))
        if value is not None and getattr(expression.output_field, "decimal_places", None) is not None:
            quantum = decimal.Decimal(1).scaleb(-expression.output_field.decimal_places)
            value = value.quantize(quantum)
        return value

    def convert_booleanfield_value(self, value, expression, connection):
        return bool(value) if value in (0, 1) else value
