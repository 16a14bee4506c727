"""
The DB-API 2.0 (PEP 249) module Django's backend talks to.

``connect()`` returns a Connection on a MongoClient shared by every
connection with the same client settings: a MongoClient is thread-safe, owns
a connection pool and background monitors, and Django opens and closes its
own connections per request, so clients are kept for the process.
"""
import atexit
import os
import threading

from urllib.parse import unquote_plus, urlsplit

from pymongo import MongoClient
from pymongo.errors import ConfigurationError

from djongo import written
from djongo.catalog import Catalog
from djongo.computed_updates import update_pipelines_supported
from djongo.cursor import Cursor, translate_errors
from djongo.exceptions import (  # noqa: F401 - PEP 249 requires these names here
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, Warning,
)
from djongo.locks import RowLocks
from djongo.sequences import DEFAULT_ID_BLOCK_SIZE, SCHEMA_COLLECTION, Sequences
from djongo.servers import transactions_supported
from djongo.validators import validators_enforced
from djongo.window_fallback import window_stage_supported


__all__ = [
    "apilevel", "threadsafety", "paramstyle", "Binary", "connect", "Connection",
    "Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
    "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError",
]

apilevel = "2.0"
threadsafety = 2  # threads may share the module and connections, not cursors
paramstyle = "format"
Binary = bytes

_clients = {}
_sequences = {}
_catalogs = {}  # per database, so that the facts a Catalog keeps are read once per process
_transactions = {}  # id(client) -> whether its deployment runs transactions
_update_pipelines = {}  # id(client) -> whether its servers run updates with a pipeline
_window_stages = {}  # id(client) -> whether its servers run $setWindowFields
_validators = {}  # (id(client), database name) -> whether collection validators are enforced there
_lock = threading.Lock()


def connect(name, client_options=None, enforce_schema=False, id_block_size=DEFAULT_ID_BLOCK_SIZE):
    """
    Return a Connection to database ``name`` using MongoClient(**client_options),
    reserving auto-increment ids ``id_block_size`` at a time.
    """
    if not name:
        raise InterfaceError("a database name is required")
    options = dict(client_options or {})
    key = repr(sorted(options.items()))
    # A test run's clients record the writes (written.py): the client made
    # before the test database, if any, is not one of them.
    record_writes = written.recording()
    with _lock:
        client = _clients.get((key, record_writes))
        if client is None:
            client = _clients[(key, record_writes)] = _client(options, record_writes)
        sequences = _sequences.get((key, name))
        if sequences is None:
            sequences = _sequences[(key, name)] = Sequences(client[name], id_block_size)
        sequences.block_size = id_block_size
        catalog = _catalogs.get((key, name))
        if catalog is None:
            catalog = _catalogs[(key, name)] = Catalog(client[name])
    return Connection(client, name, sequences, enforce_schema, catalog)


def _client(options, record_writes=False):
    """
    Return MongoClient(**options), with written.LISTENER beside any
    listener of the settings when ``record_writes``; settings pymongo refuses raise
    InterfaceError, and a mongodb+srv:// name that DNS cannot resolve
    OperationalError, as PEP 249 errors that Django turns into its own. No
    password in the settings appears in the message, and the pymongo
    exception is not chained, as its text might hold one.
    """
    if record_writes:
        # The flush between tests empties the tables written to (written.py).
        options = {**options, "event_listeners": [*(options.get("event_listeners") or ()), written.LISTENER]}
    try:
        return MongoClient(**options)
    except (ConfigurationError, ValueError, TypeError) as exc:
        message = without_secrets(str(exc), options)
    if isinstance(options.get("host"), str) and options["host"].startswith("mongodb+srv://") and "DNS" in message:
        # https://www.mongodb.com/docs/manual/reference/connection-string/#srv-connection-format
        raise OperationalError(f"cannot resolve the mongodb+srv:// host in DNS: {message}")
    raise InterfaceError(f"invalid MongoDB client settings (HOST, PORT, USER, CLIENT, OPTIONS): {message}")


def without_secrets(text, options):
    """Return ``text`` with each password of the client ``options`` (its own, or in a URI host) as ***."""
    secrets = {options.get("password")}
    hosts = options.get("host")
    for host in hosts if isinstance(hosts, (list, tuple)) else [hosts]:
        if isinstance(host, str) and "://" in host:
            netloc = urlsplit(host).netloc
            credentials, at, _ = netloc.rpartition("@")
            if at and ":" in credentials:
                password = credentials.split(":", 1)[1]
                secrets.update({password, unquote_plus(password)})
    for secret in secrets:
        if isinstance(secret, str) and secret:
            text = text.replace(secret, "***")
    return text


def forget_sequences(name=None):
    """
    Drop cached auto-field knowledge and reserved ids, and the on-delete
    actions the catalog read, e.g. after a database was dropped.
    """
    with _lock:
        for (_, db_name), sequences in _sequences.items():
            if name is None or db_name == name:
                sequences.forget()
        for (_, db_name), catalog in _catalogs.items():
            if name is None or db_name == name:
                catalog.forget()


def _forget_after_fork():
    # A forked child makes clients of its own, as pymongo requires
    # (https://pymongo.readthedocs.io/en/stable/faq.html#is-pymongo-fork-safe),
    # and with them sequences that hold none of the parent's reserved ids.
    global _lock
    _lock = threading.Lock()
    _clients.clear()
    _sequences.clear()
    _catalogs.clear()
    _transactions.clear()
    _update_pipelines.clear()
    _window_stages.clear()
    _validators.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


@atexit.register
def _close_clients():
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


class Connection:
    """
    A DB-API connection: a MongoDB database on a shared client.

    In autocommit mode every statement applies on its own. With autocommit
    off, on a deployment that runs transactions, the data statements until
    commit() or rollback() run in one MongoDB transaction, started by the
    first of them. DDL and sequence counters stay outside transactions, as
    MongoDB restricts DDL in them and counters must never be rolled back to
    hand out an id twice.
    """

    def __init__(self, client, name, sequences, enforce_schema=False, catalog=None):
        self.client = client
        self.database = client[name]
        self._collections = {}
        self._locks = None
        self.sequences = sequences
        self.catalog = Catalog(self.database) if catalog is None else catalog
        self.enforce_schema = enforce_schema
        self.closed = False
        self.autocommit = True
        self._session = None

    def collection(self, name):
        """Return the pymongo Collection ``name``, made once per connection: making one costs microseconds per call."""
        try:
            return self._collections[name]
        except KeyError:
            collection = self._collections[name] = self.database[name]
            return collection

    @property
    def locks(self):
        """Return the row locks of ``SELECT ... FOR UPDATE`` this connection holds (djongo/locks.py)."""
        if self._locks is None:
            self._locks = RowLocks(self.database)
        return self._locks

    def release_locks(self):
        """Release the row locks: the transaction they belong to has ended."""
        if self._locks is not None and self._locks.held:
            with translate_errors(self):
                self._locks.release()

    def cursor(self):
        if self.closed:
            raise InterfaceError("connection is closed")
        return Cursor(self)

    @property
    def supports_transactions(self):
        """Return whether the server runs multi-document transactions."""
        # Asked once per shared client, which the registry keeps alive for
        # the process, not once per connection: Django opens a connection
        # per request.
        supported = _transactions.get(id(self.client))
        if supported is None:
            # A round trip makes the client discover the deployment first;
            # an unreachable server is an OperationalError here too.
            with translate_errors(self):
                self.client.admin.command("ping")
            supported = _transactions[id(self.client)] = transactions_supported(
                self.client.topology_description.server_descriptions().values()
            )
        return supported

    @property
    def supports_update_pipelines(self):
        """Return whether the server runs updates with an aggregation pipeline (computed_updates.py)."""
        # Asked once per shared client, as supports_transactions is, with a
        # probe rather than from the version the server reports: servers
        # that speak MongoDB's protocol report versions whose features they
        # lack.
        supported = _update_pipelines.get(id(self.client))
        if supported is None:
            with translate_errors(self):
                supported = update_pipelines_supported(self.database[SCHEMA_COLLECTION])
            _update_pipelines[id(self.client)] = supported
        return supported

    @property
    def supports_window_stage(self):
        """Return whether the server runs $setWindowFields (window_fallback.py)."""
        # Asked once per shared client with a probe, as supports_update_pipelines is.
        supported = _window_stages.get(id(self.client))
        if supported is None:
            with translate_errors(self):
                supported = window_stage_supported(self.database[SCHEMA_COLLECTION])
            _window_stages[id(self.client)] = supported
        return supported

    @property
    def supports_validators(self):
        """Return whether the server enforces collection validators in this database (validators.py)."""
        # Asked once per shared client, as supports_update_pipelines is,
        # with a probe: the local test server accepts a validator and
        # ignores it. Per database too, since the privileges the probe
        # needs (collMod) are granted per database.
        key = (id(self.client), self.database.name)
        supported = _validators.get(key)
        if supported is None:
            with translate_errors(self):
                supported = validators_enforced(self.database)
            _validators[key] = supported
        return supported

    def set_autocommit(self, autocommit):
        if autocommit and not self.autocommit:
            # Django commits or rolls back before turning autocommit back on;
            # anything still open was abandoned.
            self.rollback()
        self.autocommit = autocommit

    def session(self):
        """Return the session of the open transaction, starting one if needed, or None in autocommit."""
        if self.autocommit or not self.supports_transactions:
            return None
        if self._session is None:
            self._session = self.client.start_session()
        if not self._session.in_transaction:
            self._session.start_transaction()
        return self._session

    def close(self):
        self.rollback()
        if self._session is not None:
            self._session.end_session()
            self._session = None
        # The shared client stays open for other connections.
        self.closed = True

    def commit(self):
        """Commit the open transaction, if any, and release its row locks."""
        try:
            if self._session is not None and self._session.in_transaction:
                self._session.commit_transaction()
        finally:
            self.release_locks()

    def rollback(self):
        """Abort the open transaction, if any, and release its row locks."""
        try:
            if self._session is not None and self._session.in_transaction:
                self._session.abort_transaction()
        finally:
            self.release_locks()
