"""Models of the embedded integration tests."""
from djongo import models  # noqa: F401
