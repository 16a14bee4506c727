"""
Reliability tests: concurrency, server faults, a seeded fuzzer and
injection, through the Django ORM on a real MongoDB wire-protocol server.

They use the integration tests' project and server set-up
(tests/integration/conftest.py), in a database of their own.
"""
import os

os.environ.setdefault("DJONGO_IT_DB", "djongo_reliability")

from tests.integration.conftest import (  # noqa: E402,F401 - pytest finds the hooks and fixtures by name
    django_test_database, pytest_configure, pytest_unconfigure,
)
