"""The integration settings with a server that is not there and no timeout of the user's (test_settings.py)."""
import os

os.environ.setdefault("DJONGO_TEST_URI", "mongodb://127.0.0.1:1")

from tests.integration.settings import *  # noqa: E402,F401,F403

DATABASES = {"default": {"ENGINE": "djongo", "NAME": "djongo_unreachable", "HOST": os.environ["DJONGO_DEAD_URI"]}}
