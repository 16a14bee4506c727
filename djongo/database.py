"""
The DB-API 2.0 (PEP 249) module Django's backend talks to.

``connect()`` returns a Connection on a MongoClient shared by every
connection with the same client settings: a MongoClient is thread-safe, owns
a connection pool and background monitors, and Django opens and closes its
own connections per request, so clients are kept for the process.
"""
import atexit
import threading

from pymongo import MongoClient

from djongo.cursor import Cursor
from djongo.exceptions import (  # noqa: F401 - PEP 249 requires these names here
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError, Warning,
)
from djongo.sequences import Sequences

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
_lock = threading.Lock()


def connect(name, client_options=None, enforce_schema=False):
    """Return a Connection to database ``name`` using MongoClient(**client_options)."""
    if not name:
        raise InterfaceError("a database name is required")
    options = dict(client_options or {})
    key = repr(sorted(options.items()))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = MongoClient(**options)
        sequences = _sequences.get((key, name))
        if sequences is None:
            sequences = _sequences[(key, name)] = Sequences(client[name])
    return Connection(client, name, sequences, enforce_schema)


def forget_sequences(name=None):
    """Drop cached auto-field knowledge, e.g. after a database was dropped."""
    with _lock:
        for (_, db_name), sequences in _sequences.items():
            if name is None or db_name == name:
                sequences.forget()


@atexit.register
def _close_clients():
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def server_address(client):
    """Return "host:port" (comma-separated for several seeds) of ``client``'s servers."""
    addresses = client.topology_description.server_descriptions().keys()
    return ", ".join(f"{host}:{port}" for host, port in addresses) or "(no address)"


class Connection:
    """A DB-API connection: a MongoDB database on a shared client."""

    def __init__(self, client, name, sequences, enforce_schema=False):
        self.client = client
        self.database = client[name]
        self.sequences = sequences
        self.enforce_schema = enforce_schema
        self.closed = False

    def cursor(self):
        if self.closed:
            raise InterfaceError("connection is closed")
        return Cursor(self)

    def close(self):
        # The shared client stays open for other connections.
        self.closed = True

    def commit(self):
        """Do nothing: every statement is applied when it runs."""

    def rollback(self):
        """Do nothing: without transactions there is nothing to roll back."""
