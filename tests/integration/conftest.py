"""
Integration tests: the Django ORM against a real MongoDB wire-protocol server.

The server is ``$MONGODB_URI`` when set, else a local one started on a free
port for this run and stopped at the end. Django's test database
(``test_djongo_it``) is created by migrating every installed app, contrib
apps included, from an empty database.
"""
import os

import django
import pytest

from tests.server import TestServer

_server = TestServer()


def pytest_configure(config):
    os.environ["DJONGO_TEST_URI"] = _server.start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integration.settings")
    django.setup()


def pytest_unconfigure(config):
    _server.stop()


@pytest.fixture(scope="session", autouse=True)
def django_test_database():
    """Create the test database once for the session (migrating all apps), then drop it."""
    from django.db import connections
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_names = []
    for alias in connections:
        connection = connections[alias]
        old_names.append((connection, connection.settings_dict["NAME"]))
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    yield
    for connection, old_name in old_names:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()


@pytest.fixture(autouse=True)
def join_hints_checked(request):
    """
    Check the UNIQUE hint of every JOIN the ORM writes in each test
    (join_hints.py); a test marked ``raw_sql`` writes JOINs of its own.
    """
    from django.db import connection

    from tests.integration.join_hints import check

    if request.node.get_closest_marker("raw_sql"):
        yield
        return
    with connection.execute_wrapper(check):
        yield
