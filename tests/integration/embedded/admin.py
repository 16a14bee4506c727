"""ModelAdmins of the embedded integration tests (registered on import by tests/integration/urls.py)."""
