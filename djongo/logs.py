"""
How values appear in the ``djongo`` logger's DEBUG records: bounded.

A statement's parameters and a command's documents are logged with
``reprlib``'s limits, so a parameter nested deeper than Python's stack, or
a bulk insert of a million rows, logs an abbreviated value instead of
failing in the logging handler or writing megabytes.
"""
import itertools
import logging
import reprlib

class _Repr(reprlib.Repr):

    def repr_dict(self, x, level):
        # reprlib sorts a dict's keys; a MongoDB document's order matters
        # (a sort, an update's operators), so it is kept.
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = [
            f"{self.repr1(key, level - 1)}: {self.repr1(x[key], level - 1)}"
            for key in itertools.islice(x, self.maxdict)
        ]
        if len(x) > self.maxdict:
            pieces.append("...")
        return "{%s}" % ", ".join(pieces)


_brief = _Repr()
_brief.maxlevel = 30
_brief.maxlist = _brief.maxtuple = _brief.maxdict = _brief.maxset = 100
_brief.maxstring = _brief.maxother = 1000
_brief.maxlong = 100


def brief(value):
    """Return the repr of ``value``, abbreviated past reprlib's limits."""
    return _brief.repr(value)


def log_command(name, collection, *arguments):
    """Log the pymongo call ``name`` on ``collection`` (its name) with ``arguments``, briefly, at DEBUG."""
    logger = logging.getLogger("djongo")
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("db[%r].%s(%s)", collection, name, ", ".join(map(brief, arguments)))


class Brief:
    """``value``, shown by brief() when a log record is formatted (so only if it is)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __str__(self):
        return brief(self.value)

    __repr__ = __str__
