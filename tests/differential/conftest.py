"""
The differential test's two databases: djongo (``default``) and SQLite (``sqlite``).

The MongoDB server is ``$MONGODB_URI`` when set, else a local one started for
this run (see tests/server.py). Both test databases are created by migrating
tests.differential.app, then seeded with the same rows (see dataset.py).
"""
import os

import django
import pytest

from tests.server import TestServer

_server = TestServer()


def pytest_configure(config):
    if os.environ.get("DJANGO_SETTINGS_MODULE", "tests.differential.settings") != "tests.differential.settings":
        # Another conftest (e.g. tests/integration's) configured Django first.
        return
    os.environ["DJONGO_TEST_URI"] = _server.start()
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.differential.settings"
    django.setup()


def pytest_unconfigure(config):
    _server.stop()


@pytest.fixture(scope="session")
def seeded_databases():
    """Create both test databases, seed them identically, yield, then drop them."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_test_environment, teardown_test_environment

    if settings.SETTINGS_MODULE != "tests.differential.settings":
        pytest.fail(
            "tests/differential needs its own Django settings; run it on its own: "
            "python -m pytest tests/differential"
        )
    from tests.differential.dataset import seed

    setup_test_environment()
    old_names = []
    for alias in ("default", "sqlite"):
        connection = connections[alias]
        old_names.append((connection, connection.settings_dict["NAME"]))
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    for alias in ("default", "sqlite"):
        seed(alias)
    yield
    for connection, old_name in old_names:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()
