"""SQL shapes djongo chooses for Django, and value conversion to and from BSON."""
import datetime
import decimal
import json
import re
import uuid

from bson.decimal128 import Decimal128
from bson.objectid import ObjectId
from django.conf import settings
from django.db import DatabaseError, DataError, OperationalError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.constants import OnConflict
from django.db.models.expressions import Col
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from djongo import baseline
from djongo.cursor import translate_errors
from djongo.sequences import reset_sql
from djongo.sql2mongo import dialect
from djongo.sql2mongo.bsonvalues import JSON_NULL
from djongo.sql2mongo.parser import EXPLAIN_VERBOSITIES
from djongo.sql2mongo.translate import dates


# The lookups that compare text (Django's pattern lookups, iexact and the
# regular expressions), and the fields whose values are numbers in MongoDB.
TEXT_LOOKUPS = frozenset({
    "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex",
})
NUMBER_FIELDS = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "FloatField", "DecimalField",
})


def _shown(value):
    """Return ``value`` as last_executed_query() shows it."""
    if isinstance(value, (list, tuple)):  # the list of IN %s
        return "(%s)" % ", ".join(map(_shown, value))
    try:
        return dialect.literal(value)
    except ValueError:
        return repr(value)


# A statement of sql_flush() (unstyled): DELETE FROM "table".
FLUSHED_TABLE = re.compile(r'DELETE FROM "((?:[^"]|"")+)"')

# The significant digits of BSON's Decimal128 (IEEE 754 decimal128).
DECIMAL128_DIGITS = 34


class DatabaseOperations(BaseDatabaseOperations):
    compiler_module = "djongo.compiler"

    # Cast(x, CharField()) without max_length casts to djongo's string type.
    cast_char_field_without_max_length = "string"
    # Cast(x, CharField(max_length=n)) cuts the text to n characters, as
    # varchar(n) does on PostgreSQL (translate/functions.cast).
    cast_data_types = {"CharField": "string(%(max_length)s)"}
    # QuerySet.explain() and EXPLAIN through a cursor: the MongoDB commands
    # a SELECT runs and the server's explain output for each.
    explain_prefix = "EXPLAIN"

    def __init__(self, connection):
        super().__init__(connection)
        self._column_types = {}
        self._flush_to_baseline = None  # the tables of the flush sql_flush() left to execute_sql_flush()

    def prepare_join_on_clause(self, lhs_table, lhs_field, rhs_table, rhs_field):
        """
        Cast one side of a join between a text column and a column of
        another kind, as PostgreSQL's backend does: a GenericRelation keeps
        its object ids as text ("5") and MongoDB compares text with numbers
        as unequal values. Numbers of any width compare as numbers already,
        and an ArrayReferenceField's array is matched element by element.
        """
        lhs, rhs = super().prepare_join_on_clause(lhs_table, lhs_field, rhs_table, rhs_field)
        types = {self._column_type(lhs_field), self._column_type(rhs_field)}
        if "string" in types and len(types) == 2 and None not in types and not any(
                getattr(field, "holds_many_keys", False) for field in (lhs_field, rhs_field)):
            rhs = Cast(rhs, lhs_field)
        return lhs, rhs

    def _column_type(self, field):
        """Return ``field.db_type()``, worked out once per field: every JOIN asks again."""
        try:
            return self._column_types[field]
        except KeyError:
            column_type = self._column_types[field] = field.db_type(self.connection)
            return column_type

    def explain_query_prefix(self, format=None, verbosity=None, **options):
        """
        Return ``EXPLAIN`` with its options: ``format`` TEXT or JSON, and
        ``verbosity``, MongoDB's explain verbosity (queryPlanner by default,
        executionStats or allPlansExecution:
        https://www.mongodb.com/docs/manual/reference/command/explain/).
        """
        prefix = super().explain_query_prefix(format, **options)
        settings = []
        if format:
            settings.append(f"FORMAT {format.upper()}")
        if verbosity:
            if verbosity not in EXPLAIN_VERBOSITIES:
                raise ValueError(f"Unknown verbosity {verbosity!r}. Allowed: {', '.join(EXPLAIN_VERBOSITIES)}")
            settings.append(f"VERBOSITY {verbosity}")
        return f"{prefix} ({', '.join(settings)})" if settings else prefix

    def lookup_cast(self, lookup_type, internal_type=None):
        """
        Compare text lookups on numbers, dates and UUIDs with their text, as
        SQL databases do (``id__iexact="8"``, ``pub_date__startswith="2005"``,
        ``uid__icontains="5678-1234"``): a MongoDB regular expression
        matches strings only.
        """
        if lookup_type in TEXT_LOOKUPS:
            if internal_type in NUMBER_FIELDS:
                return "CAST(%s AS string)"
            if internal_type == "DateTimeField":
                return dialect.call(dialect.DATETIME_TEXT, "%s")
            if internal_type == "DateField":
                return dialect.call(dialect.DATE_TEXT, "%s")
            if internal_type == "UUIDField":
                return dialect.call(dialect.UUID_TEXT, "%s")
        return "%s"

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

    def returning_columns(self, fields):
        """
        Return the RETURNING clause naming ``fields``' columns, and its
        parameters. The executor answers it with the written rows.
        """
        if not fields:
            return "", ()
        columns = ", ".join(
            f"{self.quote_name(field.model._meta.db_table)}.{self.quote_name(field.column)}"
            for field in fields
        )
        return f"RETURNING {columns}", ()

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        """
        Write PostgreSQL's ON CONFLICT clause for bulk_create(ignore_conflicts)
        and bulk_create(update_conflicts); the executor makes it an insert
        that skips duplicate keys, or upserts keyed on ``unique_fields``.
        """
        if on_conflict == OnConflict.IGNORE:
            return "ON CONFLICT DO NOTHING"
        if on_conflict == OnConflict.UPDATE:
            target = ", ".join(map(self.quote_name, unique_fields))
            updates = ", ".join(
                f"{self.quote_name(column)} = EXCLUDED.{self.quote_name(column)}" for column in update_fields
            )
            return f"ON CONFLICT({target}) DO UPDATE SET {updates}"
        return super().on_conflict_suffix_sql(fields, on_conflict, update_fields, unique_fields)

    def fetch_returned_rows(self, cursor, returning_params=()):
        """Return the rows a statement with a RETURNING clause wrote."""
        return cursor.fetchall()

    # Django 5.2 asks for these under their former names; Django 6.0 renamed
    # them ("Database backend API" in its release notes).
    return_insert_columns = returning_columns

    def fetch_returned_insert_rows(self, cursor):
        return self.fetch_returned_rows(cursor)

    def bulk_insert_sql(self, fields, placeholder_rows):
        texts = {}  # the rows are mostly the same list of placeholders
        rows = ", ".join(
            texts.get(id(row)) or texts.setdefault(id(row), f"({', '.join(row)})") for row in placeholder_rows
        )
        return f"VALUES {rows}"

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not reset_sequences and baseline.of(self.connection.settings_dict["NAME"]) is not None:
            # The flush between tests (TransactionTestCase, and TestCase
            # without server transactions; only they pass
            # reset_sequences=False) of a test database: it returns the
            # tables written to since the last flush to the state migrate
            # left (baseline.py), which execute_sql_flush() does. It lists
            # no statement, so that Django's flush command sends no
            # post_migrate: the rows its receivers would make are back
            # already, as after a rollback on PostgreSQL.
            self._flush_to_baseline = list(tables)
            return []
        statements = [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))}"
            for table in tables
        ]
        if reset_sequences:
            statements.extend(reset_sql(table) for table in tables)
        return statements

    def execute_sql_flush(self, sql_list):
        tables, self._flush_to_baseline = self._flush_to_baseline, None
        if tables is not None and not sql_list:
            self.connection.ensure_connection()
            with self.connection.wrap_database_errors, translate_errors(self.connection.connection):
                baseline.flush(self.connection.connection, tables)
            return
        super().execute_sql_flush(sql_list)
        # The flush between tests (TransactionTestCase, and TestCase without
        # server transactions) leaves tables empty: their ids start again
        # at 1, as on SQLite, whose test suites expect it.
        tables = [match.group(1).replace('""', '"') for match in map(FLUSHED_TABLE.fullmatch, sql_list) if match]
        if tables:
            with self.connection.wrap_database_errors, translate_errors(self.connection.connection):
                # A test database gets back the rows migrate left, so that
                # post_migrate finds them (baseline.py).
                restored = set(baseline.restore(self.connection.connection, tables))
                self.connection.connection.sequences.restart_if_empty(
                    [table for table in tables if table not in restored],
                )

    def sequence_reset_by_name_sql(self, style, sequences):
        return [reset_sql(sequence["table"]) for sequence in sequences]


    @staticmethod
    def quote_value(value):
        if value is JSON_NULL:
            return "NULL"  # stored as BSON null, as MongoDB has one null
        return dialect.literal(value)

    def last_executed_query(self, cursor, sql, params):
        """
        Return ``sql`` with its parameters filled in, as other backends show
        it in connection.queries (and django-debug-toolbar): as SQL
        literals where they have one, else as Python writes them.
        """
        # The text the cursor ran, which an execute wrapper may have changed.
        sql = getattr(cursor, "query", None) or sql
        if not params:
            return sql
        try:
            return sql % tuple(map(_shown, params))
        except (TypeError, ValueError):  # not one %s per parameter
            return f"{sql} -- params: {tuple(params)!r}"

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

    # Date, time and duration functions: one function-call shape each,
    # translated by djongo/sql2mongo/translate/dates.py. DateTimeField and
    # DateField values are BSON dates, TimeField values "HH:MM:SS.ffffff"
    # strings, DurationField values integer microseconds.

    def date_extract_sql(self, lookup_type, sql, params):
        return self._date_function_sql(dialect.EXTRACT, dates.EXTRACT_KINDS, lookup_type, sql, params, None)

    def datetime_extract_sql(self, lookup_type, sql, params, tzname):
        return self._date_function_sql(dialect.EXTRACT, dates.EXTRACT_KINDS, lookup_type, sql, params, tzname)

    def time_extract_sql(self, lookup_type, sql, params):
        self._check_lookup_type(lookup_type, dates.TIME_EXTRACT_KINDS)
        return dialect.call(dialect.TIME_EXTRACT, self.quote_value(lookup_type), sql), params

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        return self._date_function_sql(dialect.DATE_TRUNC, dates.TRUNC_KINDS, lookup_type, sql, params, tzname)

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        return self._date_function_sql(dialect.DATE_TRUNC, dates.TRUNC_KINDS, lookup_type, sql, params, tzname)

    def time_trunc_sql(self, lookup_type, sql, params, tzname=None):
        return self._date_function_sql(dialect.TIME_TRUNC, dates.TIME_TRUNCS, lookup_type, sql, params, tzname)

    def datetime_cast_date_sql(self, sql, params, tzname):
        return self._date_function_sql(dialect.DATE_TRUNC, dates.TRUNC_KINDS, "day", sql, params, tzname)

    def datetime_cast_time_sql(self, sql, params, tzname):
        return self._date_function_sql(dialect.TIME_TRUNC, dates.TIME_TRUNCS, "microsecond", sql, params, tzname)

    def _date_function_sql(self, function, kinds, lookup_type, sql, params, tzname):
        """Return FUNCTION('kind', sql, 'zone' | NULL) and its parameters."""
        self._check_lookup_type(lookup_type, kinds)
        # BSON dates are UTC: in UTC, the wall time is the date itself.
        zone = self.quote_value(self._zone_name(tzname)) if tzname not in (None, "UTC") and settings.USE_TZ else "NULL"
        return dialect.call(function, self.quote_value(lookup_type), sql, zone), params

    @staticmethod
    def _check_lookup_type(lookup_type, kinds):
        # The kind is written into the SQL: refuse any other, rather than let
        # a crafted kind reach the statement. SQLite's date functions raise
        # OperationalError for an unknown kind too.
        if lookup_type not in kinds:
            raise OperationalError(f"Invalid lookup type: {lookup_type!r}")

    @staticmethod
    def _zone_name(tzname):
        """
        Return the name MongoDB knows for Django's time zone name: an Olson
        name, or an offset "+hh:mm" for Django's "UTC+hh:mm".
        https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/dateToString/
        """
        if tzname.startswith(("UTC+", "UTC-")):
            return tzname[3:]
        return tzname

    def format_for_duration_arithmetic(self, sql):
        # Mark the duration operand for combine_duration_expression().
        return dialect.call(dialect.DURATION, sql)

    def combine_duration_expression(self, connector, sub_expressions):
        if connector in ("*", "/"):
            # A duration is a number of microseconds.
            return self.combine_expression(connector, sub_expressions)
        if connector not in ("+", "-"):
            raise DatabaseError(f"Invalid connector for timedelta: {connector}.")
        lhs, rhs = sub_expressions
        return dialect.call(dialect.DURATION_ARITHMETIC, self.quote_value(connector), lhs, rhs)

    def subtract_temporals(self, internal_type, lhs, rhs):
        """Return the SQL of lhs - rhs in microseconds, the DurationField's unit."""
        (lhs_sql, lhs_params), (rhs_sql, rhs_params) = lhs, rhs
        params = (*lhs_params, *rhs_params)
        if internal_type == "TimeField":
            return f"(TIME_TO_MICROSECONDS({lhs_sql}) - TIME_TO_MICROSECONDS({rhs_sql}))", params
        # Dates subtract to milliseconds.
        # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/subtract/
        return f"(({lhs_sql} - {rhs_sql}) * 1000)", params

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
        """
        Return the value as the Decimal128 stored: rounded to the field's
        ``decimal_places`` within ``max_digits``, as a SQL numeric column
        stores it, so that it reads back and compares equal to what was
        stored.
        """
        if value is None or hasattr(value, "resolve_expression"):
            return value
        value = decimal.Decimal(value)
        if decimal_places is not None and value.is_finite():
            try:
                # Rounded half to even within max_digits, as format_number() rounds.
                value = value.quantize(decimal.Decimal(1).scaleb(-decimal_places),
                                       context=decimal.Context(prec=max_digits or DECIMAL128_DIGITS))
            except decimal.InvalidOperation:
                # More digits than the column holds: a lookup may still
                # compare with it (filter(d__gte=10**11) on a small column).
                pass
        try:
            return Decimal128(value)
        except decimal.DecimalException:
            raise DataError(f"Decimal {value} does not fit BSON's Decimal128 (34 significant digits)") from None

    def adapt_ipaddressfield_value(self, value):
        return value or None

    def adapt_json_value(self, value, encoder):
        """
        Return the JSON value as the BSON it is stored as: a subdocument, an
        array or a scalar, not a JSON string. It passes through JSON text
        once, with the field's encoder, so that what is stored is exactly
        what json.loads() gives on every backend: tuples become arrays,
        dict keys strings, and the encoder's types (dates, UUIDs, Decimals
        with DjangoJSONEncoder) its text. JSON's null is JSON_NULL, which is
        stored as BSON null but is not SQL's NULL (None) to Django's
        compilers: a NOT NULL JSONField may hold it.
        """
        if value is None:
            return JSON_NULL
        text = json.dumps(value, cls=encoder)
        try:
            return json.loads(text)
        except ValueError as error:
            # An encoder that writes invalid JSON: PostgreSQL rejects the
            # value with a DataError too.
            raise DataError(f"invalid JSON from the field's encoder: {error}") from error

    # Values coming back from MongoDB -------------------------------------

    # The converter of each field type whose stored value differs from
    # Python's; Django asks for them once per column per query.
    CONVERTERS = {
        "DateTimeField": "convert_datetimefield_value",
        "DateField": "convert_datefield_value",
        "TimeField": "convert_timefield_value",
        "DecimalField": "convert_decimalfield_value",
        "BooleanField": "convert_booleanfield_value",
        "JSONField": "convert_jsonfield_value",
    }
    # Arithmetic with a DecimalField yields a Decimal128, whatever the output
    # field: as a Decimal, it becomes the field's number as on SQL databases
    # (Expression.convert_value applies int() or float()). A column holds
    # its own type, so only computed values need it.
    COMPUTED_NUMBER_TYPES = frozenset({
        "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
        "PositiveBigIntegerField", "PositiveSmallIntegerField", "FloatField",
    })

    def get_db_converters(self, expression):
        converters = super().get_db_converters(expression)
        internal_type = expression.output_field.get_internal_type()
        name = self.CONVERTERS.get(internal_type)
        if name is not None:
            converters.append(getattr(self, name))
        elif internal_type in self.COMPUTED_NUMBER_TYPES and not isinstance(expression, Col):
            converters.append(self.convert_decimal128_value)
        return converters

    # A collection other programs write to may hold any BSON value in any
    # field. The converters take the values djongo writes and the ones
    # that mean the same (text of a date, a number for a decimal); any
    # other raises DataError naming the column, the value and how to find
    # the documents, never an AttributeError from deep inside Django.

    def convert_datetimefield_value(self, value, expression, connection):
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            value = _parsed(parse_datetime, value, expression, "a date")
            if value is None:
                return None
        if settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.timezone.utc)
        return value

    def convert_datefield_value(self, value, expression, connection):
        if isinstance(value, datetime.datetime):
            return value.date()
        if value is None or isinstance(value, datetime.date):
            return value
        return _parsed(parse_date, value, expression, "a date")

    def convert_timefield_value(self, value, expression, connection):
        if value is None or isinstance(value, datetime.time):
            return value
        return _parsed(parse_time, value, expression, "a time of day as text")

    def convert_decimalfield_value(self, value, expression, connection):
        if isinstance(value, Decimal128):
            value = value.to_decimal()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = decimal.Decimal(str(value))
        elif value is not None and not isinstance(value, decimal.Decimal):
            raise odd_value(value, expression, "a decimal number")
        places = getattr(expression.output_field, "decimal_places", None)
        if value is not None and places is not None and value.is_finite():
            # Precise enough for any Decimal128 (34 digits) at any scale:
            # the default context's 28 digits would refuse some stored values.
            precision = max(34, value.adjusted() + places + 2)
            value = value.quantize(decimal.Decimal(1).scaleb(-places), context=decimal.Context(prec=precision))
        return value

    def convert_decimal128_value(self, value, expression, connection):
        return value.to_decimal() if isinstance(value, Decimal128) else value

    def convert_durationfield_value(self, value, expression, connection):
        # Multiplying the microseconds by a DecimalField or a Decimal gives a
        # Decimal128, which the row holds as Python's Decimal when computed
        # (translate/expressions._python_decimal).
        if isinstance(value, Decimal128):
            value = value.to_decimal()
        if isinstance(value, decimal.Decimal):
            value = float(value)
        elif value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise odd_value(value, expression, "a number of microseconds")
        return super().convert_durationfield_value(value, expression, connection)

    def convert_jsonfield_value(self, value, expression, connection):
        """
        Hand a stored JSON value to JSONField.from_db_value as JSON text,
        which it decodes with the field's decoder. Django decodes key
        transforms' values only when they are strings, so a stored string
        "7" would otherwise come back as the number 7.
        """
        if value is None:
            return None
        return json.dumps(value, default=_json_default)

    def convert_booleanfield_value(self, value, expression, connection):
        return bool(value) if value in (0, 1) else value


def _parsed(parse, value, expression, expected):
    """Return ``value``, text, parsed by ``parse``; raise DataError when it is not text ``parse`` reads."""
    if isinstance(value, str):
        try:
            parsed = parse(value)
        except ValueError:  # well formed, out of range: "2024-02-30"
            parsed = None
        if parsed is not None:
            return parsed
    raise odd_value(value, expression, expected)


# The BSON type name $type matches of the Python values pymongo reads
# (https://www.mongodb.com/docs/manual/reference/operator/query/type/).
_BSON_TYPE_NAMES = (
    (bool, "bool"), (int, "number"), (float, "number"), (str, "string"), (dict, "object"), (list, "array"),
    (bytes, "binData"), (uuid.UUID, "binData"), (datetime.datetime, "date"), (Decimal128, "decimal"),
    (ObjectId, "objectId"),
)


class ForeignValueError(DataError):
    """A stored value of a shape djongo does not write, which its field cannot read."""


def odd_value(value, expression, expected):
    """
    Return the DataError for ``value``, read from the column of
    ``expression``, which is not ``expected``: a document written by
    another program. It names the column and says how to find such
    documents in the shell.
    """
    target = getattr(expression, "target", None)
    model = getattr(target, "model", None)
    if isinstance(expression, Col) and model is not None:
        where = f"{model._meta.db_table}.{target.column}"
        column = target.column
    else:
        where, column = f"the value of {expression!r}", None
    kind = next((name for cls, name in _BSON_TYPE_NAMES if isinstance(value, cls)), type(value).__name__)
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    message = (
        f"{expression.output_field.get_internal_type()} {where} holds {shown} (BSON {kind}), not {expected}: "
        "a document written by another program?"
    )
    if column is not None:
        message += f' Find them with db.{model._meta.db_table}.find({{"{column}": {{"$type": "{kind}"}}}})'
    return ForeignValueError(message)


def _json_default(value):
    """
    Return the JSON form of a BSON value that JSON lacks, found in a JSON
    value read back: in a JSONObject() of other columns, or in a document
    another client wrote. Decimals become numbers and dates ISO 8601 text,
    as PostgreSQL's JSON functions write them; anything else (ObjectId)
    its text.
    """
    if isinstance(value, Decimal128):
        return float(value.to_decimal())
    if isinstance(value, datetime.datetime):
        # pymongo reads BSON dates as naive UTC.
        if settings.USE_TZ and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat()
    return str(value)
