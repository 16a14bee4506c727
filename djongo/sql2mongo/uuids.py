"""
Make the UUIDs of SQL's UUIDV4() and UUIDV7(), Django 6.1's UUID4() and UUID7().

MongoDB's aggregation expressions have no UUID generator, so djongo makes
each value itself as a statement runs, one per row, as SQLite's backend does
with a Python function (django/db/backends/sqlite3/_functions.py). The
translator decides where a value is made (dml.py); this module only makes
them.
"""
import os
import threading
import time
import uuid

from djongo.exceptions import DataError

# Version 7 UUID layout, RFC 9562 section 5.7
# (https://www.rfc-editor.org/rfc/rfc9562#section-5.7): 48 bits of Unix
# time in milliseconds, the version, 12 bits "rand_a", the variant, 62 bits
# "rand_b".
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_SUB_MILLISECOND_STEPS = 1 << 12
_RANDOM_B_BITS = 62

_clock_lock = threading.Lock()
_last_tick = 0  # the last (milliseconds << 12 | fraction) handed out


def uuid4():
    """Return a random (version 4) UUID."""
    return uuid.uuid4()


def uuid7():
    """
    Return a time-ordered (version 7) UUID for now.

    rand_a holds the time's fraction of a millisecond in 1/4096 steps (RFC
    9562 section 6.2, method 3, as PostgreSQL 18's uuidv7() does), and the
    UUIDs one process makes never go backwards, even when the clock does
    or two calls read the same time.
    """
    global _last_tick
    with _clock_lock:
        tick = max(_tick(time.time_ns()), _last_tick + 1)
        _last_tick = tick
    return _version_7(tick)


def shifted_uuid7(shift):
    """
    Return a version 7 UUID for now moved by ``shift`` microseconds
    (DurationField's value), or None for a NULL shift, as SQL functions give.
    """
    if shift is None:
        return None
    return _version_7(_tick(time.time_ns() + 1000 * shift))


def _tick(nanoseconds):
    """Return the time ``nanoseconds`` after 1970 as milliseconds << 12 | 1/4096ths of a millisecond."""
    milliseconds, rest = divmod(nanoseconds, 1_000_000)
    return (milliseconds << 12) | (rest * _SUB_MILLISECOND_STEPS // 1_000_000)


def _version_7(tick):
    milliseconds, fraction = divmod(tick, _SUB_MILLISECOND_STEPS)
    if not 0 <= milliseconds < 1 << 48:
        raise DataError(f"UUIDV7() of a time out of range: {milliseconds} ms after 1970")
    random_b = int.from_bytes(os.urandom(8), "big") >> (64 - _RANDOM_B_BITS)
    return uuid.UUID(int=(milliseconds << 80) | _VERSION_7 | (fraction << 64) | _VARIANT | random_b)


# The functions djongo makes values for, by their SQL names (Django's
# UUID4.function and UUID7.function) and number of arguments.
MADE = {
    ("UUIDV4", 0): uuid4,
    ("UUIDV7", 0): uuid7,
    ("UUIDV7", 1): shifted_uuid7,
}
NAMES = frozenset(name for name, _ in MADE)
