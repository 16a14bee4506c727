"""The Django database backend for MongoDB: ``'ENGINE': 'djongo'``."""
import logging.config
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import debug_transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.functional import cached_property

from djongo import database as Database
from djongo import compiler, lookups
from djongo.cursor import translate_errors
from djongo.client import DatabaseClient
from djongo.creation import DatabaseCreation
from djongo.features import DatabaseFeatures
from djongo.introspection import DatabaseIntrospection
from djongo.operations import DatabaseOperations
from djongo.options import client_options
from djongo.schema import DatabaseSchemaEditor
from djongo.sequences import DEFAULT_ID_BLOCK_SIZE
from djongo.validation import DatabaseValidation

# Django's own JSONField writes SQL the translator reads on this backend,
# and each JOIN says which of its columns are unique.
lookups.install()
compiler.install()

_configured_logging = set()
_logging_lock = threading.Lock()


def configure_logging(config):
    """Apply a DATABASES LOGGING dictConfig once per process."""
    key = repr(config)
    with _logging_lock:
        if key in _configured_logging:
            return
        config = {"version": 1, "disable_existing_loggers": False, **config}
        logging.config.dictConfig(config)
        _configured_logging.add(key)


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "djongo"
    display_name = "MongoDB"

    # Column types of the SQL our schema editor writes. MongoDB stores no
    # column types; these names are what the DDL translator and
    # introspection understand.
    data_types = {
        "AutoField": "int",
        "BigAutoField": "long",
        "BinaryField": "binary",
        "BooleanField": "bool",
        "CharField": "string",
        "DateField": "date",
        "DateTimeField": "datetime",
        "DecimalField": "decimal",
        "DurationField": "long",
        "FileField": "string",
        "FilePathField": "string",
        "FloatField": "double",
        "IntegerField": "int",
        "BigIntegerField": "long",
        "IPAddressField": "string",
        "GenericIPAddressField": "string",
        "JSONField": "json",
        "OneToOneField": "int",
        "PositiveBigIntegerField": "long",
        "PositiveIntegerField": "int",
        "PositiveSmallIntegerField": "int",
        "SlugField": "string",
        "SmallAutoField": "int",
        "SmallIntegerField": "int",
        "TextField": "string",
        "TimeField": "time",
        "UUIDField": "uuid",
    }
    data_types_suffix = {
        "AutoField": "AUTOINCREMENT",
        "BigAutoField": "AUTOINCREMENT",
        "SmallAutoField": "AUTOINCREMENT",
    }
    # The CHECK each column of these fields gets, as on PostgreSQL; written
    # only where the server enforces CHECK constraints (see below).
    _data_type_check_constraints = {
        "PositiveBigIntegerField": '"%(column)s" >= 0',
        "PositiveIntegerField": '"%(column)s" >= 0',
        "PositiveSmallIntegerField": '"%(column)s" >= 0',
    }

    @cached_property
    def data_type_check_constraints(self):
        """
        Return the CHECK of each field type's column where the server
        enforces CHECK constraints (collection validators,
        features.supports_column_check_constraints), and none elsewhere, as
        Django's MySQL backend does for servers without CHECK.
        """
        if self.features.supports_column_check_constraints:
            return self._data_type_check_constraints
        return {}

    # Lookups. LIKE and ILIKE take backslash as their escape character, as
    # Django's prep_for_like_query escapes with it.
    operators = {
        "exact": "= %s",
        "iexact": "ILIKE %s",
        "contains": "LIKE %s",
        "icontains": "ILIKE %s",
        "regex": "REGEXP %s",
        "iregex": "IREGEXP %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE %s",
        "endswith": "LIKE %s",
        "istartswith": "ILIKE %s",
        "iendswith": "ILIKE %s",
    }
    # Lookups whose right-hand side is an expression (e.g. F()).
    pattern_esc = "LIKE_ESCAPE({})"
    pattern_ops = {
        "contains": "LIKE '%%' || {} || '%%'",
        "icontains": "ILIKE '%%' || {} || '%%'",
        "startswith": "LIKE {} || '%%'",
        "istartswith": "ILIKE {} || '%%'",
        "endswith": "LIKE '%%' || {}",
        "iendswith": "ILIKE '%%' || {}",
    }

    Database = Database
    SchemaEditorClass = DatabaseSchemaEditor
    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def __init__(self, settings_dict, alias="default"):
        super().__init__(settings_dict, alias)
        if settings_dict.get("LOGGING"):
            configure_logging(settings_dict["LOGGING"])

    @property
    def enforce_schema(self):
        return bool(self.settings_dict.get("ENFORCE_SCHEMA", False))

    def get_connection_params(self):
        if not self.settings_dict.get("NAME"):
            raise ImproperlyConfigured(
                f"settings.DATABASES[{self.alias!r}] is improperly configured: "
                "NAME, the MongoDB database name, must not be empty."
            )
        block_size = self.settings_dict.get("ID_BLOCK_SIZE", DEFAULT_ID_BLOCK_SIZE)
        if type(block_size) is not int or block_size < 1:
            raise ImproperlyConfigured(
                f"settings.DATABASES[{self.alias!r}] is improperly configured: "
                f"ID_BLOCK_SIZE must be a whole number of at least 1, not {block_size!r}."
            )
        return {
            "name": self.settings_dict["NAME"],
            "client_options": client_options(self.settings_dict),
            "enforce_schema": self.enforce_schema,
            "id_block_size": block_size,
        }

    def get_new_connection(self, conn_params):
        return Database.connect(**conn_params)

    def init_connection_state(self):
        """Do nothing: a MongoDB connection has no session state to set up."""

    def create_cursor(self, name=None):
        return self.connection.cursor()

    def _set_autocommit(self, autocommit):
        self.connection.set_autocommit(autocommit)

    # Without server transactions (a standalone server), BEGIN and COMMIT
    # send nothing to MongoDB, so they are not logged as queries. Django's
    # query log, and assertNumQueries, count SQL statements, as on any
    # backend, not MongoDB commands: one statement may be several (an
    # INSERT may also reserve ids, a join with a subquery may run it
    # first); the DEBUG log of the djongo logger shows each command.
    # set_autocommit(False) calls this hook, when it exists, for atomic().

    def _start_transaction_under_autocommit(self):
        if self.features.supports_transactions:
            with debug_transaction(self, "BEGIN"):
                self._set_autocommit(False)
        else:
            self._set_autocommit(False)

    def _commit(self):
        if self.connection is not None and not self.features.supports_transactions:
            return self.connection.commit()
        return super()._commit()

    def _rollback(self):
        if self.connection is not None and not self.features.supports_transactions:
            return self.connection.rollback()
        return super()._rollback()

    # Without server transactions nothing rolls back, at any level. Django
    # marks an outer atomic() block "needs rollback" when a nested block
    # fails and the backend has no savepoints, and then refuses every query
    # until the block ends; get_or_create() and update_or_create(), which
    # read after an IntegrityError in a nested block, would fail with
    # TransactionManagementError. With nothing to undo there, nested blocks
    # get savepoints that send nothing instead.

    def _savepoint_allowed(self):
        if not self.features.supports_transactions:
            return not self.get_autocommit()
        return super()._savepoint_allowed()

    def _savepoint(self, sid):
        """Send nothing: only called without server transactions (see _savepoint_allowed)."""

    def _savepoint_rollback(self, sid):
        """Send nothing: there is nothing to roll back without server transactions."""

    def _savepoint_commit(self, sid):
        """Send nothing: only called without server transactions."""

    def is_usable(self):
        # The shared MongoClient reconnects by itself; a lost server surfaces
        # as OperationalError on the next statement.
        return self.connection is not None and not self.connection.closed

    def get_database_version(self):
        with self.wrap_database_errors, translate_errors(self.connection):
            info = self.connection.client.admin.command("buildInfo")
        return tuple(info.get("versionArray", [0, 0, 0])[:3])

    def prepare_database(self):
        """
        Complete django_migrations where a ``migrate`` killed while creating
        it left it half made: Django's MigrationRecorder creates the table
        only when it is missing, so it would stay without its key index.
        The schema editor records a table's columns last, so a
        django_migrations without recorded columns is such a table.
        """
        super().prepare_database()
        recorder = MigrationRecorder(self)
        if not recorder.has_table():
            return
        with self.wrap_database_errors, translate_errors(self.connection):
            if self.connection.catalog.columns(recorder.Migration._meta.db_table) is not None:
                return
        with self.schema_editor() as editor:
            editor.create_model(recorder.Migration)

    def check_constraints(self, table_names=None):
        """
        Raise IntegrityError for a row of ``table_names`` (every table when
        None) whose foreign key finds no row, as SQLite's PRAGMA
        foreign_key_check does. MongoDB enforces no foreign keys; loaddata
        calls this once its fixtures are in.
        """
        with self.cursor() as cursor:
            if table_names is None:
                table_names = self.introspection.table_names(cursor)
            for table in table_names:
                relations = self.introspection.get_relations(cursor, table)
                if not relations:
                    continue
                primary_key = self.introspection.get_primary_key_column(cursor, table)
                for column, (referenced_column, referenced_table, *_) in relations.items():
                    # wrap_database_errors makes the PEP 249 error django.db's.
                    with self.wrap_database_errors, translate_errors(self.connection):
                        orphan = next(self.mongo_database[table].aggregate(
                            _orphans(column, referenced_table, referenced_column, primary_key)), None)
                        if orphan is None:
                            continue
                        raise Database.IntegrityError(
                            f"The row in table {table!r} with primary key {orphan.get('pk')!r} has an invalid "
                            f"foreign key: {table}.{column} contains a value {orphan.get('value')!r} that does "
                            f"not have a corresponding value in {referenced_table}.{referenced_column}."
                        )

    @property
    def mongo_database(self):
        """Return the pymongo Database of this connection, connecting if needed."""
        self.ensure_connection()
        return self.connection.database


def _orphans(column, referenced_table, referenced_column, primary_key):
    """Return the pipeline finding a row whose ``column`` holds a value ``referenced_table`` lacks."""
    # localField/foreignField: an equality lookup on the referenced
    # column's index (https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/).
    return [
        {"$match": {column: {"$ne": None}}},
        {"$lookup": {"from": referenced_table, "localField": column, "foreignField": referenced_column,
                     "as": "__found"}},
        {"$match": {"__found": {"$size": 0}}},
        {"$limit": 1},
        {"$project": {"_id": 0, "value": "$" + column, "pk": "$" + (primary_key or "_id")}},
    ]
