"""Models of the jsondata integration tests."""
from djongo import models  # noqa: F401
