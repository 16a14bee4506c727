"""Helpers the suite imports from ``tests.utils``."""
import base64
import functools
from unittest import mock

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "fast_pbkdf2"
    iterations = 1


def get_basic_auth_header(user, password):
    """The HTTP Basic credentials of user:password, as test client headers."""
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {credentials}"}


def spy_on(function):
    """Wrap a function so that its calls are recorded on ``wrapper.spy`` (a Mock)."""
    spy = mock.MagicMock()

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        spy(*args, **kwargs)
        return function(*args, **kwargs)

    wrapper.spy = spy
    return wrapper
