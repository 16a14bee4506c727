"""
Translate the date and time functions whose SQL djongo chooses
(``DatabaseOperations.date_trunc_sql`` and friends) into aggregation
expressions.

Each entry of FUNCTIONS takes the ``tree.Func`` node and ``compile``, which
turns an argument node into its aggregation expression. DECODERS turn what
an expression yields into the value Django expects from SQL.
"""
import datetime

from djongo.exceptions import SQLDecodeError

from .. import tree

# $dateToString formats that keep a date's leading parts and zero the rest.
# The string sorts and groups like the truncated date; the executor parses
# it back (DECODERS below), as $dateFromParts is not needed for that.
TRUNC_FORMATS = {
    "year": "%Y-01-01T00:00:00",
    "month": "%Y-%m-01T00:00:00",
    "day": "%Y-%m-%dT00:00:00",
    "hour": "%Y-%m-%dT%H:00:00",
    "minute": "%Y-%m-%dT%H:%M:00",
    "second": "%Y-%m-%dT%H:%M:%S",
}


def _date_trunc(node, compile):
    """DATE_TRUNC('kind', date, 'zone' | NULL): the date's wall time in zone, truncated to kind."""
    if len(node.args) != 3 or not all(isinstance(arg, tree.Literal) for arg in (node.args[0], node.args[2])):
        raise SQLDecodeError("DATE_TRUNC other than DATE_TRUNC('kind', expression, 'zone' | NULL)")
    kind, zone = node.args[0].value, node.args[2].value
    if kind not in TRUNC_FORMATS:
        raise SQLDecodeError(f"DATE_TRUNC to {kind!r}")
    spec = {"format": TRUNC_FORMATS[kind], "date": compile(node.args[1])}
    if zone is not None:
        spec["timezone"] = zone
    return {"$dateToString": spec}


def parse_truncated_date(value):
    """Decode the string _date_trunc's expression yields into a naive datetime."""
    return None if value is None else datetime.datetime.fromisoformat(value)


FUNCTIONS = {
    "DATE_TRUNC": _date_trunc,
}

DECODERS = {
    "DATE_TRUNC": parse_truncated_date,
}
