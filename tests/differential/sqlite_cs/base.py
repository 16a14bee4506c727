"""
Django's SQLite backend with case-sensitive LIKE: the reference of the differential test.

SQLite's LIKE ignores the case of ASCII letters, so on stock SQLite
``contains``, ``startswith`` and ``endswith`` behave like their ``i``
variants (Django documents this as a SQLite limitation). Every other backend,
and Django's documented semantics, make them case-sensitive. This wrapper
turns on ``PRAGMA case_sensitive_like`` and compares both sides in upper case
for the ``i`` lookups, which is what Django's PostgreSQL backend does.
"""
from django.db.backends.sqlite3 import base, operations

_INSENSITIVE = {"iexact", "icontains", "istartswith", "iendswith"}


class DatabaseOperations(operations.DatabaseOperations):

    def lookup_cast(self, lookup_type, internal_type=None):
        """Return UPPER(%s) for case-insensitive lookups, so LIKE compares upper case."""
        if lookup_type in _INSENSITIVE:
            return "UPPER(%s)"
        return super().lookup_cast(lookup_type, internal_type)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    operators = {
        **base.DatabaseWrapper.operators,
        "iexact": "LIKE UPPER(%s) ESCAPE '\\'",
        "icontains": "LIKE UPPER(%s) ESCAPE '\\'",
        "istartswith": "LIKE UPPER(%s) ESCAPE '\\'",
        "iendswith": "LIKE UPPER(%s) ESCAPE '\\'",
    }

    def get_new_connection(self, conn_params):
        """Open the connection and make LIKE case-sensitive on it."""
        conn = super().get_new_connection(conn_params)
        conn.execute("PRAGMA case_sensitive_like = ON")
        return conn
