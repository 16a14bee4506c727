"""
Translate the date, time and duration functions whose SQL djongo chooses
(``DatabaseOperations.date_trunc_sql`` and friends) into aggregation
expressions. The shapes, with ``zone`` a time zone name or NULL:

- ``DATE_TRUNC('kind', expr, zone)``: a date holding expr's wall time in
  zone, truncated to kind (year, quarter, month, week, day, hour, minute,
  second).
- ``EXTRACT('kind', expr, zone)``: an integer part of a date's wall time.
- ``TIME_TRUNC('kind', expr, zone)``: the time of day of a date or of a time
  string, truncated to kind (hour, minute, second or microsecond), in the
  "HH:MM:SS.ffffff" form TimeField values are stored in.
- ``TIME_EXTRACT('kind', expr)``: hour, minute or second of a time string.
- ``DURATION(expr)`` marks the duration (integer microseconds) operand of
  ``DURATION_ARITHMETIC('+' | '-', lhs, rhs)``, which shifts a date or a
  time by it.
- ``TIME_TO_MICROSECONDS(expr)``: microseconds since midnight of a time
  string, so that times subtract as numbers.
- ``CURRENT_TIMESTAMP``, ``CURRENT_DATE`` and ``CURRENT_TIME``.
- ``DATETIME_TEXT(expr)`` and ``DATE_TEXT(expr)``: a date as the text SQL
  databases give it ("2005-07-28 14:30:00", "2005-07-28", in UTC), which
  text lookups on a date (``pub_date__startswith="2005"``) match
  (``DatabaseOperations.lookup_cast``).

Each entry of FUNCTIONS takes the ``tree.Func`` node and ``compile``, which
turns an argument node into its aggregation expression. DECODERS turn what
an expression yields into the value Django expects from SQL; none is needed
here, as dates come back as datetimes and times as the strings
DatabaseOperations.convert_timefield_value parses.

Where an operator has an equally exact form that every MongoDB-compatible
server has, that form is used: $dateToString, which accepts a time zone,
and $toDate take a wall time, rather than $dateFromParts, $dateFromString,
$isoWeek, $type or the ``timezone`` argument of $year and friends, which
some servers (the local test server, docs/test-server.md) lack.
"""
import datetime

from djongo.exceptions import SQLDecodeError

from .. import dialect, tree

# $dateToString formats that keep a date's leading parts and zero the rest,
# as strings $toDate reads back as UTC dates.
# https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/dateToString/
# https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/toDate/
TRUNC_FORMATS = {
    "year": "%Y-01-01T00:00:00Z",
    "month": "%Y-%m-01T00:00:00Z",
    "day": "%Y-%m-%dT00:00:00Z",
    "hour": "%Y-%m-%dT%H:00:00Z",
    "minute": "%Y-%m-%dT%H:%M:00Z",
    "second": "%Y-%m-%dT%H:%M:%SZ",
}
WALL_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%LZ"
TRUNC_KINDS = frozenset({*TRUNC_FORMATS, "week", "quarter"})

# The first month of each month's quarter, as $dateToString writes months.
QUARTER_MONTHS = ["01", "01", "01", "04", "04", "04", "07", "07", "07", "10", "10", "10"]

EXTRACT_KINDS = frozenset({
    "year", "quarter", "month", "week", "week_day", "iso_week_day", "iso_year",
    "day", "hour", "minute", "second",
})

# Time of day strings: kind -> (length of the kept prefix, zeros after it).
TIME_TRUNCS = {
    "hour": (2, ":00:00.000000"),
    "minute": (5, ":00.000000"),
    "second": (8, ".000000"),
    "microsecond": (15, ""),
}
# The $dateToString format of each prefix; dates hold milliseconds.
TIME_PREFIX_FORMATS = {"hour": "%H", "minute": "%H:%M", "second": "%H:%M:%S", "microsecond": "%H:%M:%S.%L000"}
# Where each part sits in "HH:MM:SS.ffffff": (start, length, microseconds per unit).
TIME_FIELDS = {"hour": (0, 2, 3_600_000_000), "minute": (3, 2, 60_000_000), "second": (6, 2, 1_000_000)}
MICROSECOND_FIELD = (9, 6, 1)
TIME_EXTRACT_KINDS = frozenset(TIME_FIELDS)

EPOCH = datetime.datetime(1970, 1, 1)
DAY_MS = 86_400_000
DAY_US = 86_400_000_000
NOW = "$$NOW"  # https://www.mongodb.com/docs/v4.4/reference/aggregation-variables/#mongodb-variable-variable.NOW


def _literal(node, index, what):
    """Return the value of the constant argument ``index`` of ``node``."""
    arg = node.args[index] if index < len(node.args) else None
    if not isinstance(arg, tree.Literal):
        raise SQLDecodeError(f"{node.name}() with a computed {what}")
    return arg.value


def _arguments(node, count, shape):
    if len(node.args) != count:
        raise SQLDecodeError(f"{node.name} other than {shape}")


def _kind(node, kinds):
    kind = _literal(node, 0, "kind")
    if kind not in kinds:
        raise SQLDecodeError(f"{node.name} of {kind!r}")
    return kind


def _if_present(value, expression):
    """Return ``expression``, or null when ``value`` is null or missing (SQL's NULL in, NULL out)."""
    # $cond only evaluates the branch it takes, so string parsing never sees a null.
    return {"$cond": [{"$ne": [{"$ifNull": [value, None]}, None]}, expression, None]}


def _is_date(value):
    """Return an expression that is true when ``value`` is a date rather than a time string or null."""
    # BSON's comparison order puts dates above booleans and strings, numbers
    # and null below them: as exact as $type for the values a date or time
    # column holds, and every compatible server has it (some lack $type).
    # https://www.mongodb.com/docs/v4.4/reference/bson-type-comparison-order/
    return {"$gt": [value, True]}


def _formatted(date, format, zone):
    spec = {"format": format, "date": date}
    if zone is not None:
        spec["timezone"] = zone
    return {"$dateToString": spec}


def wall_time(date, zone):
    """Return the date whose UTC fields are the wall time of ``date`` in ``zone``."""
    if zone is None:
        return date
    return {"$toDate": _formatted(date, WALL_TIME_FORMAT, zone)}


def truncated(date, kind, zone):
    """Return the wall time of ``date`` in ``zone`` truncated to ``kind``, as a date."""
    if kind == "week":
        day = truncated(date, "day", zone)
        # Weeks start on Monday.
        return {"$subtract": [day, {"$multiply": [{"$subtract": [iso_weekday(day), 1]}, DAY_MS]}]}
    if kind == "quarter":
        month = {"$arrayElemAt": [{"$literal": QUARTER_MONTHS}, {"$subtract": [{"$month": wall_time(date, zone)}, 1]}]}
        return {"$toDate": {"$concat": [_formatted(date, "%Y-", zone), month, "-01T00:00:00Z"]}}
    return {"$toDate": _formatted(date, TRUNC_FORMATS[kind], zone)}


def _positive_mod(value, divisor):
    # $mod keeps the dividend's sign: add the divisor to bring negative values round.
    return {"$mod": [{"$add": [{"$mod": [value, divisor]}, divisor]}, divisor]}


def iso_weekday(date):
    """Return Monday=1 .. Sunday=7 of ``date``."""
    # Counted from the days since 1970-01-01, a Thursday, rather than with
    # $dayOfWeek, which mongo-java-server gets wrong (docs/test-server.md).
    days = {"$floor": {"$divide": [{"$toLong": date}, DAY_MS]}}
    return {"$add": [_positive_mod({"$add": [days, 3]}, 7), 1]}


def _iso_thursday(date):
    """Return the Thursday of the ISO week of ``date``: its year and day of year give the ISO year and week."""
    return {"$add": [date, {"$multiply": [{"$subtract": [4, iso_weekday(date)]}, DAY_MS]}]}


def date_part(date, kind):
    """Return the integer ``kind`` part of ``date`` (a date whose UTC fields are the wall time)."""
    if kind == "year":
        return {"$year": date}
    if kind == "month":
        return {"$month": date}
    if kind == "day":
        return {"$dayOfMonth": date}
    if kind == "hour":
        return {"$hour": date}
    if kind == "minute":
        return {"$minute": date}
    if kind == "second":
        return {"$second": date}
    if kind == "week_day":
        # Sunday=1 .. Saturday=7, as $dayOfWeek documents.
        return {"$toInt": {"$add": [{"$mod": [iso_weekday(date), 7]}, 1]}}
    if kind == "iso_year":
        return {"$year": _iso_thursday(date)}
    # $mod, $divide and $ceil may return doubles: Django expects integers.
    if kind == "iso_week_day":
        return {"$toInt": iso_weekday(date)}
    if kind == "week":
        day_of_year = {"$dayOfYear": _iso_thursday(date)}
        return {"$toInt": {"$add": [{"$floor": {"$divide": [{"$subtract": [day_of_year, 1]}, 7]}}, 1]}}
    if kind == "quarter":
        return {"$toInt": {"$ceil": {"$divide": [{"$month": date}, 3]}}}
    raise SQLDecodeError(f"EXTRACT of {kind!r}")


def time_of_day(value, kind, zone):
    """Return the time of ``value`` (a date or a time string) truncated to ``kind``, as a time string."""
    length, zeros = TIME_TRUNCS[kind]
    from_string = {"$concat": [{"$substrBytes": [value, 0, length]}, zeros]}
    from_date = _formatted(value, TIME_PREFIX_FORMATS[kind] + zeros, zone)
    return {"$cond": [_is_date(value), from_date, _if_present(value, from_string)]}


def _time_field(value, start, length):
    return {"$toInt": {"$substrBytes": [value, start, length]}}


def time_to_microseconds(value):
    """Return the microseconds since midnight of the time string ``value``."""
    parts = [
        {"$multiply": [_time_field(value, start, length), unit]}
        for start, length, unit in (*TIME_FIELDS.values(), MICROSECOND_FIELD)
    ]
    return _if_present(value, {"$add": parts})


def microseconds_to_time(value):
    """Return the time string of ``value`` microseconds after midnight, wrapping around days."""
    day_us = _positive_mod(value, DAY_US)
    milliseconds = {"$add": [EPOCH, {"$floor": {"$divide": [day_us, 1000]}}]}
    # The last three digits of the microseconds, zero padded.
    rest = {"$substrBytes": [{"$toString": {"$toLong": {"$add": [1000, {"$mod": [day_us, 1000]}]}}}, 1, 3]}
    return {"$concat": [_formatted(milliseconds, "%H:%M:%S.%L", None), rest]}


def _kind_value_zone(name, kinds, build):
    """
    Return the translator of NAME('kind', expression, 'zone' | NULL), which
    calls ``build(value, kind, zone)``.
    """
    def translate(node, compile):
        _arguments(node, 3, f"{name}('kind', expression, 'zone' | NULL)")
        kind = _kind(node, kinds)
        return build(compile(node.args[1]), kind, _literal(node, 2, "time zone"))
    return translate


_date_trunc = _kind_value_zone(dialect.DATE_TRUNC, TRUNC_KINDS, truncated)
_extract = _kind_value_zone(dialect.EXTRACT, EXTRACT_KINDS, lambda date, kind, zone: date_part(wall_time(date, zone), kind))
_time_trunc = _kind_value_zone(dialect.TIME_TRUNC, TIME_TRUNCS, time_of_day)


def _time_extract(node, compile):
    """TIME_EXTRACT('kind', time)."""
    _arguments(node, 2, "TIME_EXTRACT('kind', expression)")
    kind = _kind(node, TIME_EXTRACT_KINDS)
    value = compile(node.args[1])
    start, length, _unit = TIME_FIELDS[kind]
    return _if_present(value, _time_field(value, start, length))


def _time_to_microseconds(node, compile):
    """TIME_TO_MICROSECONDS(time)."""
    _arguments(node, 1, "TIME_TO_MICROSECONDS(expression)")
    return time_to_microseconds(compile(node.args[0]))


def _is_duration(node):
    return isinstance(node, tree.Func) and node.name == dialect.DURATION


def _duration(node, compile):
    """DURATION(microseconds): a marker, the value itself."""
    _arguments(node, 1, "DURATION(expression)")
    return compile(node.args[0])


def _duration_arithmetic(node, compile):
    """DURATION_ARITHMETIC('+' | '-', temporal, DURATION(d)) or ('+', DURATION(d), temporal)."""
    _arguments(node, 3, "DURATION_ARITHMETIC('+' | '-', expression, expression)")
    op = _literal(node, 0, "operator")
    lhs, rhs = node.args[1:]
    if op == "+" and _is_duration(lhs):
        lhs, rhs = rhs, lhs
    if op not in ("+", "-") or _is_duration(lhs) or not _is_duration(rhs):
        raise SQLDecodeError(f"DURATION_ARITHMETIC other than temporal {op} DURATION(...)")
    temporal, duration = compile(lhs), compile(rhs)
    shift = "$add" if op == "+" else "$subtract"
    # A date moves by milliseconds ($add and $subtract take a date and a number).
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/add/
    on_date = {shift: [temporal, {"$floor": {"$divide": [duration, 1000]}}]}
    on_time = microseconds_to_time({shift: [time_to_microseconds(temporal), duration]})
    return {"$cond": [_is_date(temporal), on_date, _if_present(temporal, on_time)]}


def _niladic(expression):
    def translate(node, compile):
        if node.args:
            raise SQLDecodeError(f"{node.name} with arguments")
        return expression
    return translate


def _as_text(date_format):
    """Return a translator writing its one argument, a date, as text in ``date_format`` (NULL stays NULL)."""
    def translate(node, compile):
        if len(node.args) != 1:
            raise SQLDecodeError(f"{node.name}() with {len(node.args)} arguments")
        # $dateToString gives null for a null or missing date:
        # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/dateToString/
        return {"$dateToString": {"date": compile(node.args[0]), "format": date_format}}
    return translate


FUNCTIONS = {
    dialect.DATETIME_TEXT: _as_text("%Y-%m-%d %H:%M:%S"),
    dialect.DATE_TEXT: _as_text("%Y-%m-%d"),
    dialect.DATE_TRUNC: _date_trunc,
    dialect.EXTRACT: _extract,
    dialect.TIME_TRUNC: _time_trunc,
    dialect.TIME_EXTRACT: _time_extract,
    "TIME_TO_MICROSECONDS": _time_to_microseconds,
    dialect.DURATION: _duration,
    dialect.DURATION_ARITHMETIC: _duration_arithmetic,
    "CURRENT_TIMESTAMP": _niladic(NOW),
    "CURRENT_DATE": _niladic(truncated(NOW, "day", None)),
    "CURRENT_TIME": _niladic(time_of_day(NOW, "microsecond", None)),
}

