"""Models of the mongo_api integration tests."""
from djongo import models  # noqa: F401
