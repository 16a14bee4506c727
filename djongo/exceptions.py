"""
Errors raised by djongo.

The PEP 249 classes are what the DB-API module (``djongo.database``)
exports; Django's error wrapper turns them into ``django.db`` errors.
``SQLDecodeError`` and ``MigrationError`` subclass Django's own
``DatabaseError`` instead, so they reach the caller under their own names
(Django's wrapper only converts the DB-API module's classes) and are still
caught by ``except django.db.DatabaseError``.
"""
from django.db.utils import DatabaseError as DjangoDatabaseError


class Warning(Exception):  # noqa: A001 - the name is fixed by PEP 249
    """Exception raised for important warnings like data truncations while inserting."""


class Error(Exception):
    """Exception that is the base class of all other error exceptions."""


class InterfaceError(Error):
    """Exception raised for errors that are related to the database interface rather than the database itself."""


class DatabaseError(Error):
    """Exception raised for errors that are related to the database."""


class DataError(DatabaseError):
    """Exception raised for errors that are due to problems with the processed data."""


class OperationalError(DatabaseError):
    """Exception raised for errors that are related to the database's operation and not necessarily under the control of the programmer."""


class IntegrityError(DatabaseError):
    """Exception raised when the relational integrity of the database is affected, e.g. a duplicate key."""


class InternalError(DatabaseError):
    """Exception raised when the database encounters an internal error."""


class ProgrammingError(DatabaseError):
    """Exception raised for programming errors, e.g. a table not found or a wrong number of parameters."""


class NotSupportedError(DatabaseError):
    """Exception raised in case a method or database API was used which is not supported by the database."""


class SQLDecodeError(DjangoDatabaseError):
    """
    Raised for SQL that djongo cannot translate into MongoDB commands.

    ``construct`` names what was refused, ``sql`` is the full statement and
    ``position`` the character offset where parsing stopped, if known.
    """

    def __init__(self, construct, sql=None, position=None):
        self.construct = construct
        self.sql = sql
        self.position = position
        super().__init__(self._message())

    def with_sql(self, sql):
        """Return this error with the full SQL statement attached."""
        if self.sql is None:
            self.sql = sql
            self.args = (self._message(),)
        return self

    def _message(self):
        message = f"Unsupported SQL: {self.construct}"
        if self.sql is not None:
            message += f"\n  SQL: {self.sql}"
            if self.position is not None:
                message += f"\n       {' ' * self.position}^"
        return message


class MigrationError(DjangoDatabaseError):
    """
    Raised when ENFORCE_SCHEMA is on and a stored document lacks a field
    the model declares.
    """

    def __init__(self, collection, document_id, field):
        self.collection = collection
        self.document_id = document_id
        self.field = field
        super().__init__(
            f"Document {document_id!r} in collection {collection!r} has no "
            f"field {field!r} (ENFORCE_SCHEMA is on; run migrations or set "
            f"ENFORCE_SCHEMA to False to read missing fields as None)."
        )
