"""Models of the objectids integration tests."""
from djongo import models  # noqa: F401
