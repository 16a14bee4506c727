"""The DB-API cursor: look up the statement's plan, run it, expose the results."""
import decimal
import functools
import itertools
import logging
import re

from bson.errors import BSONError
from pymongo import errors as mongo_errors

from djongo import exceptions
from djongo.executor import run
from djongo.logs import Brief
from djongo.servers import server_address
from djongo.sql2mongo.plans import NO_FACTS, NO_NEEDS, get_plan, group_in_lists, parse
from djongo.validators import DOCUMENT_VALIDATION_FAILURE

logger = logging.getLogger("djongo")


class Cursor:
    """A PEP 249 cursor over one Connection."""

    arraysize = 100

    def __init__(self, connection):
        self.connection = connection
        self._rows = None
        self.rowcount = -1
        self.lastrowid = None
        self.description = None
        # The SQL text last run, as psycopg's cursor.query: the query log
        # shows what ran, after Django's execute wrappers changed it.
        self.query = None
        self.closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def close(self):
        self._rows = None
        self.closed = True

    def _check_open(self):
        # PEP 249: a closed cursor raises on every operation.
        if self.closed:
            raise exceptions.ProgrammingError("cursor is closed")

    def execute(self, sql, params=None):
        """Run one SQL statement with ``params`` bound to its %s placeholders."""
        self._check_open()
        self.query = sql
        if params is None:
            # Without parameters the text is taken as it is, as other
            # drivers do: its % signs are not escapes.
            sql = sql.replace("%", "%%")
        params = tuple(params or ())
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("SQL: %s, params: %s", sql, Brief(params))
        key, params = group_in_lists(sql, params)
        parsed = parse(key)
        if len(params) != parsed.param_count:
            raise exceptions.ProgrammingError(
                f"statement takes {parsed.param_count} parameters, {len(params)} given: {sql}"
            )
        self._rows = None
        self.rowcount = -1
        self.lastrowid = None
        self.description = None
        with translate_errors(self.connection):
            facts = NO_FACTS if parsed.needs == NO_NEEDS else self.connection.catalog.facts(parsed.needs)
            for command in get_plan(key, facts).commands:
                result = run(command, params, self.connection)
        self.rowcount = result.rowcount
        self.lastrowid = result.lastrowid
        if result.rows is not None:
            self._rows = result.rows
            self.description = _description(result.names)

    def executemany(self, sql, param_list):
        total = 0
        for params in param_list:
            self.execute(sql, params)
            total += max(self.rowcount, 0)
        self.rowcount = total

    def fetchone(self):
        rows = self._result_rows()
        with translate_errors(self.connection):
            return next(rows, None)

    def fetchmany(self, size=None):
        rows = self._result_rows()
        with translate_errors(self.connection):
            return list(itertools.islice(rows, size or self.arraysize))

    def fetchall(self):
        rows = self._result_rows()
        with translate_errors(self.connection):
            return list(rows)

    def _result_rows(self):
        self._check_open()
        if self._rows is None:
            raise exceptions.ProgrammingError("no result set: execute() a SELECT or RETURNING statement first")
        return self._rows

    def setinputsizes(self, sizes):
        pass

    def setoutputsize(self, size, column=None):
        pass


@functools.lru_cache(maxsize=1024)
def _description(names):
    """Return the PEP 249 description of result columns ``names``: only the names are known."""
    return tuple((name, None, None, None, None, None, None) for name in names)


# What the cursor turns into PEP 249 errors: pymongo's errors, and the
# value errors BSON encoding and Decimal128 raise (bson's errors are not
# pymongo's: https://pymongo.readthedocs.io/en/stable/api/bson/errors.html).
TRANSLATED = (mongo_errors.PyMongoError, BSONError, OverflowError, decimal.DecimalException, RecursionError)


class translate_errors:
    """Turn pymongo's errors into the PEP 249 classes, keeping the server's message."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None or not issubclass(exc_type, TRANSLATED):
            return False
        raise self.convert(exc) from exc

    def convert(self, exc):
        if isinstance(exc, mongo_errors.DocumentTooLarge):
            return exceptions.DataError(f"document too large for MongoDB (at most 16 MiB): {exc}")
        if isinstance(exc, BSONError):
            # A value or a name BSON cannot hold: a NUL in a field name or a
            # pattern, a type it has no encoding for.
            return exceptions.DataError(f"cannot store in BSON: {exc}")
        if isinstance(exc, OverflowError):
            return exceptions.DataError(f"number out of range: {exc}")
        if isinstance(exc, decimal.DecimalException):
            return exceptions.DataError(f"decimal value out of range: {exc!r}")
        if isinstance(exc, RecursionError):
            # A parameter nested deeper than Python's stack (the statement's
            # own depth is bounded by the parser).
            return exceptions.DataError("a value nested too deeply to encode")
        if isinstance(exc, (mongo_errors.DuplicateKeyError, mongo_errors.BulkWriteError)) and _is_duplicate(exc):
            return exceptions.IntegrityError(f"duplicate key: {_message(exc)}")
        if _error_code(exc) == DOCUMENT_VALIDATION_FAILURE:
            # A document the collection's validator refuses: it breaks one
            # of the table's CHECK constraints (executor/checks.py, run_add_checks).
            return exceptions.IntegrityError(f"check constraint violated: {_message(exc)}")
        if isinstance(exc, (mongo_errors.ServerSelectionTimeoutError, mongo_errors.AutoReconnect,
                            mongo_errors.ConnectionFailure)):
            hint = ""
            if isinstance(exc, mongo_errors.ServerSelectionTimeoutError):
                # No server answered at all: most often none runs there yet.
                hint = (
                    " (is a MongoDB server running there? Set DATABASES' HOST to yours, or start one: "
                    "README.md, 'A MongoDB server for your project')"
                )
            return exceptions.OperationalError(
                f"cannot reach MongoDB at {server_address(self.connection.client)}: {exc}{hint}"
            )
        if isinstance(exc, mongo_errors.OperationFailure):
            if exc.code in (26, 27):  # NamespaceNotFound, IndexNotFound
                return exceptions.ProgrammingError(_message(exc))
            if exc.code == 10334:  # BSONObjectTooLarge: a document over 16 MiB
                return exceptions.DataError(_message(exc))
            return exceptions.DatabaseError(_with_missing_operator(_message(exc)))
        if isinstance(exc, (mongo_errors.InvalidOperation, mongo_errors.ConfigurationError)):
            return exceptions.InterfaceError(str(exc))
        if isinstance(exc, mongo_errors.InvalidDocument):
            return exceptions.DataError(str(exc))
        return exceptions.DatabaseError(str(exc))


# How servers name an operator or stage they do not have: MongoDB's
# messages, and the local test server's, which copies them.
_MISSING_OPERATOR = re.compile(
    r"unknown operator: (\$\w+)|Unrecognized expression '(\$\w+)'|unknown group operator '(\$\w+)'"
    r"|Unrecognized pipeline stage name: '(\$\w+)'"
)


def _with_missing_operator(message):
    """
    Return the server's ``message``, saying what it means when it names an
    operator the server lacks: djongo writes the operators MongoDB 4.4
    documents, which some servers that speak its protocol have not.
    """
    found = _MISSING_OPERATOR.search(message)
    if found is None:
        return message
    operator = next(group for group in found.groups() if group)
    return (
        f"{message} (the server lacks {operator}, which MongoDB documents; servers such as the local test "
        "server lack some operators, see docs/test-server.md)"
    )


def _error_code(exc):
    """Return the server's error code of ``exc``: a bulk write's first write error's, or None."""
    if isinstance(exc, mongo_errors.BulkWriteError):
        errors = exc.details.get("writeErrors", [])
        return errors[0].get("code") if errors else None
    return getattr(exc, "code", None)


def _is_duplicate(exc):
    if isinstance(exc, mongo_errors.BulkWriteError):
        return any(error.get("code") == 11000 for error in exc.details.get("writeErrors", []))
    return True


def _message(exc):
    if isinstance(exc, mongo_errors.BulkWriteError):
        errors = exc.details.get("writeErrors", [])
        if errors:
            return errors[0].get("errmsg", str(exc))
    details = getattr(exc, "details", None) or {}
    return details.get("errmsg") or str(exc)
