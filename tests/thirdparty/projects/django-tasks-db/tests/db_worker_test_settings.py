"""
Settings of the workers the suite starts (``python -m manage db_worker``):
the test settings; the database is the one the test run created
(thirdparty_shim connects a worker to the test databases).
"""
from tests.settings import *  # noqa: F403
