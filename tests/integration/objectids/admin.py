"""ModelAdmins of the objectids integration tests (registered on import by tests/integration/urls.py)."""
