"""URLs of the mongo_api integration tests (included by tests/integration/urls.py)."""
urlpatterns = []
