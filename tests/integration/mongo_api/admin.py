"""ModelAdmins of the mongo_api integration tests (registered on import by tests/integration/urls.py)."""
