"""ModelAdmins of the jsondata integration tests (registered on import by tests/integration/urls.py)."""
