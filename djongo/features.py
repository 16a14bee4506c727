"""What the djongo backend supports, for Django's ORM and test suite."""
from django.db.backends.base.features import BaseDatabaseFeatures
from django.utils.functional import cached_property


class DatabaseFeatures(BaseDatabaseFeatures):
    minimum_database_version = (4, 4)

    # Can savepoints be used? MongoDB transactions have none, so Django's
    # TestCase re-runs setUpTestData for each test inside its transaction.
    uses_savepoints = False
    # Can DDL be rolled back?
    can_rollback_ddl = False
    # Are foreign keys enforced by the database? MongoDB has none.
    supports_foreign_keys = False
    # Does the backend introspect foreign keys?
    can_introspect_foreign_keys = False
    # Can INSERT ... RETURNING hand back the new ids?
    can_return_columns_from_insert = True
    # Can a multi-row INSERT ... RETURNING hand back all new ids?
    can_return_rows_from_bulk_insert = True
    # Is there a true datatype for boolean? BSON's: a boolean column or
    # condition stands alone in WHERE and under NOT (Django 6.0+ asks).
    has_native_boolean_field = True
    # Does the database store UUIDs natively (BSON binary subtype 4)?
    has_native_uuid_field = True
    # Does the database store durations natively? They are stored as microseconds.
    has_native_duration_field = False
    # Does the database store time zones with datetimes? BSON dates are UTC.
    supports_timezones = False
    # Does subtracting two dates, datetimes or times give a duration? Yes, in
    # microseconds (DatabaseOperations.subtract_temporals).
    supports_temporal_subtraction = True
    # Is JSONField supported? Yes: stored as native BSON, its transforms
    # and lookups written by djongo/lookups.py.
    supports_json_field = True
    # Is there a true datatype for JSON? Yes: documents and arrays.
    has_native_json_field = True
    # Are the contains and contained_by lookups supported on JSONField?
    supports_json_field_contains = True
    # Can a JSONField be introspected? The schema's "json" type reads back
    # as JSONField.
    can_introspect_json_field = True
    # Are primitives (strings, numbers, booleans) allowed as a JSONField's value?
    supports_primitives_in_json_field = True
    # Does the JSONObject() database function work? Yes: a document expression.
    has_json_object_function = True
    # Index(condition=...) and UniqueConstraint(condition=...)? No: Django
    # then leaves them out, and its system checks say so (models.W036,
    # W037). The translator can write CREATE INDEX ... WHERE as a partial
    # index (ddl.py), but MongoDB's partial filters take only equality,
    # $exists, comparisons, $type and a top-level $and
    # (https://www.mongodb.com/docs/manual/core/index-partial/), fewer than
    # Django's conditions, and date literals in them are not written yet.
    supports_partial_indexes = False
    # Are indexes on expressions supported?
    supports_expression_indexes = False
    # Are window functions (Window(...), OVER) supported? Yes: as
    # $setWindowFields stages where the server runs them (MongoDB 5.0+),
    # computed by djongo over the rows where it does not
    # (translate/windows.py, window_fallback.py).
    supports_over_clause = True
    # RANGE BETWEEN n PRECEDING AND m FOLLOWING? Yes, over one numeric
    # ORDER BY key: MongoDB's range windows need one numeric sortBy field.
    supports_frame_range_fixed_distance = True
    # EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS? Yes: the frame's rows
    # are collected with $push and the excluded ones filtered out.
    supports_frame_exclusion = True
    # Are row values ("(a, b) = (x, y)", "(a, b) IN ((...))", "(a, b) > (x,
    # y)") written for lookups on a CompositePrimaryKey or a multi-column
    # ForeignObject? No: Django then writes each lookup as the ANDs and ORs
    # of single-column comparisons, as it does for SQLite and Oracle
    # (django/db/models/fields/tuple_lookups.py), which translate to
    # MongoDB filters column by column.
    supports_tuple_lookups = False
    # Can a row value be compared with a subquery ("(a, b) > (SELECT ...)";
    # Django 6.1)? No: the parser refuses row values, and Django says so
    # with a clear error rather than failing in its fallback.
    supports_tuple_comparison_against_subquery = False
    # Can an index be renamed in place? MongoDB cannot rename indexes.
    can_rename_index = False
    # Does a UNIQUE constraint allow several NULLs in one column? Yes, through
    # a partial index on the column's type.
    supports_nullable_unique_constraints = True
    # ... and in a composite constraint where only some columns are NULL? No:
    # a composite unique index counts null as a value.
    supports_partially_nullable_unique_constraints = False
    # Can GROUP BY refer to a select item by position?
    allows_group_by_select_index = False
    # Are UNION, INTERSECT and EXCEPT supported? Yes: each SELECT runs as
    # its own command and djongo combines the rows (see translate/compound.py).
    supports_select_union = True
    supports_select_intersection = True
    supports_select_difference = True
    # Can the SELECTs of a compound have their own ORDER BY and LIMIT? Yes:
    # each one is a complete query.
    supports_slicing_ordering_in_compound = True
    # SELECT ... FOR UPDATE [NOWAIT | SKIP LOCKED] takes a lease lock per row
    # read, held until the outermost atomic() block ends (djongo/locks.py).
    # FOR UPDATE OF and FOR NO KEY UPDATE are not supported.
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    # Does the backend accept the pyformat parameter style %(name)s?
    supports_paramstyle_pyformat = False
    # Can sequences be reset between tests? Yes: sql_flush(reset_sequences=True)
    # and sequence_reset_by_name_sql set the __schema__ counters back to 0.
    supports_sequence_reset = True
    # bulk_create(ignore_conflicts=True) and (update_conflicts=True,
    # unique_fields=...): INSERT ... ON CONFLICT becomes an unordered insert
    # that skips duplicate keys, or one upsert per row keyed on unique_fields
    # (DatabaseOperations.on_conflict_suffix_sql, executor/inserts.py, run_insert_many).
    supports_ignore_conflicts = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    # The formats QuerySet.explain(format=...) accepts (see DatabaseOperations.explain_query_prefix).
    supported_explain_formats = {"TEXT", "JSON"}
    # Can test databases be cloned for parallel test runs? Yes, collection
    # by collection (creation.copy_database), for manage.py test --parallel.
    can_clone_databases = True
    # Can a column's default be an expression (db_default=Now(), UUID4())?
    # Yes: Django writes the expression into each INSERT, which computes it
    # (dml.py), and ADD COLUMN computes it for the documents already there.
    supports_expression_defaults = True
    # Can INSERT say DEFAULT for a column? No: MongoDB keeps no column
    # defaults, so Django puts db_default's value into the INSERT instead.
    supports_default_keyword_in_insert = False
    supports_default_keyword_in_bulk_insert = False
    # Are comments on tables and columns supported?
    supports_comments = False
    # Can the backend introspect the column order of an index?
    supports_index_column_ordering = True
    # Does the backend order NULLs first in ascending order, as MongoDB does?
    nulls_order_largest = False
    # Do GREATEST and LEAST skip NULL arguments? $max and $min do.
    greatest_least_ignores_nulls = True
    # How many fractional second digits survive a cast to time? BSON dates
    # hold milliseconds.
    time_cast_precision = 3
    # Can UPDATE ... RETURNING hand back the updated rows (Django 6.0+)? Not
    # yet: Django then marks the fields a save() assigned expressions to as
    # deferred, and reads them again when they are next used.
    can_return_rows_from_update = False
    # Can a DecimalField leave out max_digits and decimal_places (Django
    # 6.1+)? Yes: Decimal128 keeps any value of up to 34 significant digits
    # as given; a longer one raises DataError.
    supports_no_precision_decimalfield = True
    # Does a JSON path take negative array indexes (Django 6.0+)? Yes:
    # $arrayElemAt counts from the end for a negative index.
    supports_json_negative_indexing = True
    # Does inspectdb work (Django 6.1+)? Yes, from the recorded columns or a
    # sample of documents (docs/existing-databases.md).
    supports_inspectdb = True
    # Does the backend support CASCADE, SET DEFAULT and SET NULL as delete
    # options (Django 6.1's on_delete=DB_CASCADE, DB_SET_DEFAULT,
    # DB_SET_NULL)? Yes: MongoDB has no foreign keys, so the schema editor
    # records each one in __columns__ and a DELETE applies it to the
    # referencing rows, one command per table (catalog.py,
    # executor/deletes.py, run_delete_many).
    supports_on_delete_db_cascade = True
    supports_on_delete_db_default = True
    supports_on_delete_db_null = True

    # Aggregates Django 6.0 and 6.1 added to its core (translate/aggregates.py).
    # Does an aggregate take its own ORDER BY (StringAgg(order_by=...))?
    # Yes: a $sort before the $group orders what $push collects; aggregates
    # of one SELECT ordered differently are refused.
    supports_aggregate_order_by_clause = True
    # Does DISTINCT apply to an aggregate of several arguments
    # (STRING_AGG(DISTINCT x, delimiter))? Yes: to the values, with their
    # delimiter when it is not a constant.
    supports_aggregate_distinct_multiple_argument = True
    # Is ANY_VALUE() supported (AnyValue)? Yes: $min, one of the non-NULL values.
    supports_any_value = True
    # Are BIT_AND, BIT_OR and BIT_XOR supported (BitAnd, BitOr, BitXor), and
    # their default=? Yes: the values folded bit by bit with 64-bit integer
    # arithmetic (MongoDB's $bitAnd... are expressions of 6.3+ only), NULL
    # over no non-NULL values, so Coalesce gives the default.
    supports_bit_aggregations = True
    supports_default_in_bit_aggregations = True
    # Can the database generate UUIDs (UUID4(), UUID7() with or without a
    # shift, in a db_default)? Yes, in INSERT and UPDATE ... SET: MongoDB's
    # aggregation expressions have no UUID generator, so djongo makes each
    # row's value as the statement runs, as SQLite's backend does in Python
    # (djongo/sql2mongo/uuids.py). In a SELECT or a WHERE they are refused.
    supports_uuid4_function = True
    supports_uuid4_function_in_default = True
    supports_uuid7_function = True
    supports_uuid7_function_shift = True

    @cached_property
    def supports_table_check_constraints(self):
        """
        Ask the server: CHECK constraints become the collection's validator
        (translate/ddl.py), so they are supported where the server enforces
        validators, set at creation and by collMod (validators.py). Where it
        does not (the local test server ignores them), Django writes no
        CHECK and warns that a CheckConstraint is not created (models.W027).
        """
        with self.connection.temporary_connection(), self.connection.wrap_database_errors:
            return self.connection.connection.supports_validators

    @cached_property
    def supports_column_check_constraints(self):
        """Ask the server, as for table CHECK constraints: a column's CHECK joins the same validator."""
        return self.supports_table_check_constraints

    @cached_property
    def supports_transactions(self):
        """
        Ask the server: replica sets and sharded clusters run multi-document
        transactions, a standalone server does not. Without them, Django's
        TestCase isolates tests by the flush after each test, which in a
        test database returns the tables written to (baseline.py).
        """
        # Asked outside any cursor (atomic() asks first): Django's wrapper
        # makes an unreachable server its OperationalError here too.
        with self.connection.temporary_connection(), self.connection.wrap_database_errors:
            return self.connection.connection.supports_transactions
