"""
Evaluate ``$setWindowFields`` stages over documents, for servers that lack the stage.

The subset evaluated is what translate/windows.py emits, with MongoDB's
semantics (https://www.mongodb.com/docs/manual/reference/operator/aggregation/setWindowFields/):
``partitionBy`` a field path; ``sortBy`` fields, ordered as MongoDB's
``$sort`` orders values; outputs ``$documentNumber``, ``$shift`` (output
a field path, constant ``by`` and ``default``), and ``$sum``, ``$avg``,
``$min``, ``$max``, ``$first``, ``$last``, ``$push``, ``$stdDevPop``,
``$stdDevSamp`` of a field path or a constant, over the whole partition,
a ``documents`` window or a ``range`` window on one ascending numeric
sortBy field. Anything else raises ValueError: a stage djongo does not
write is never evaluated approximately.
"""
import bisect
import decimal
import math

from bson.decimal128 import Decimal128, create_decimal128_context

from .rowsets import NUMBER, sort_key, type_rank, value_key

MISSING = object()
ACCUMULATORS = ("$sum", "$avg", "$min", "$max", "$first", "$last", "$push", "$stdDevPop", "$stdDevSamp")
LONG_MAX = 2 ** 63 - 1


def evaluate(spec, documents):
    """Return ``documents`` with the outputs of the ``$setWindowFields`` stage ``spec`` set, in window order."""
    unknown = set(spec) - {"partitionBy", "sortBy", "output"}
    if unknown:
        raise ValueError(f"$setWindowFields with {sorted(unknown)}")
    partition_by = spec.get("partitionBy")
    sort_by = spec.get("sortBy") or {}
    partitions = {}
    for document in documents:
        key = value_key(_read(document, partition_by)) if partition_by is not None else None
        partitions.setdefault(key, []).append(document)
    result = []
    for rows in partitions.values():
        # Stable sorts from the last key to the first sort by all keys at once.
        for field, direction in reversed(list(sort_by.items())):
            rows.sort(key=lambda row: sort_key(_none(_path(row, field))), reverse=direction == -1)
        outputs = {field: _output(operator, rows, sort_by) for field, operator in spec["output"].items()}
        for index, row in enumerate(rows):
            row = dict(row)
            for field, values in outputs.items():
                _set(row, field, values[index])
            result.append(row)
    return result


def _output(operator, rows, sort_by):
    """Return the value of window ``operator`` for each of ``rows``, a sorted partition."""
    names = [name for name in operator if name != "window"]
    if len(names) != 1:
        raise ValueError(f"window output {operator!r}")
    name = names[0]
    argument = operator[name]
    if name == "$documentNumber":
        return list(range(1, len(rows) + 1))
    if name == "$shift":
        return _shift(argument, rows)
    if name not in ACCUMULATORS:
        raise ValueError(f"window operator {name}")
    values = [_read(row, argument) for row in rows]
    bounds = _bounds(operator.get("window"), rows, sort_by)
    return [_accumulate(name, values[low:high]) for low, high in bounds]


def _shift(argument, rows):
    by = argument["by"]
    if isinstance(by, bool) or not isinstance(by, int) or set(argument) - {"output", "by", "default"}:
        raise ValueError(f"$shift {argument!r}")
    default = _constant(argument.get("default"))
    result = []
    for index in range(len(rows)):
        other = index + by
        if 0 <= other < len(rows):
            result.append(_none(_read(rows[other], argument["output"])))
        else:
            result.append(default)
    return result


def _bounds(window, rows, sort_by):
    """Return, for each row, the [low, high) slice of ``rows`` its window holds."""
    count = len(rows)
    if not window:
        return [(0, count)] * count
    (kind, (lower, upper)), = window.items()
    if kind == "documents":
        result = []
        for index in range(count):
            low = 0 if lower == "unbounded" else index + (0 if lower == "current" else lower)
            high = count - 1 if upper == "unbounded" else index + (0 if upper == "current" else upper)
            low, high = max(low, 0), min(high, count - 1)
            result.append((low, high + 1) if low <= high else (0, 0))
        return result
    if kind != "range" or len(sort_by) != 1 or list(sort_by.values()) != [1]:
        raise ValueError(f"window {window!r} with sortBy {sort_by!r}")
    field = next(iter(sort_by))
    keys = []
    for row in rows:
        key = _none(_path(row, field))
        if type_rank(key) != NUMBER:
            # As MongoDB: a range window needs a number to add its bounds to.
            raise ValueError(f"range window over sortBy value {key!r}: a number is expected")
        keys.append(key.to_decimal() if isinstance(key, Decimal128) else key)
    result = []
    for index, key in enumerate(keys):
        if lower == "unbounded":
            low = 0
        elif lower == "current":
            low = index
        else:
            low = bisect.bisect_left(keys, _add(key, lower))
        if upper == "unbounded":
            high = count
        elif upper == "current":
            high = index + 1
        else:
            high = bisect.bisect_right(keys, _add(key, upper))
        result.append((low, high) if low < high else (0, 0))
    return result


def _add(key, offset):
    if isinstance(key, decimal.Decimal):
        return key + decimal.Decimal(str(offset))
    return key + offset


def _accumulate(name, values):
    present = [value for value in values if value is not MISSING]
    if name == "$push":
        return present
    if name in ("$first", "$last"):
        if not values:
            return None
        return _none(values[0] if name == "$first" else values[-1])
    if name in ("$min", "$max"):
        kept = [value for value in present if value is not None]
        if not kept:
            return None
        return (min if name == "$min" else max)(kept, key=sort_key)
    numbers = [value for value in present if type_rank(value) == NUMBER]
    if name == "$sum":
        return _sum(numbers)
    if not numbers:
        return None
    if name == "$avg":
        if any(isinstance(number, (Decimal128, decimal.Decimal)) for number in numbers):
            total = _sum(numbers)
            with decimal.localcontext(create_decimal128_context()):
                return Decimal128(total.to_decimal() / len(numbers))
        return sum(float(number) for number in numbers) / len(numbers)
    # $stdDevPop and $stdDevSamp compute in doubles.
    floats = [float(_plain(number)) for number in numbers]
    size = len(floats) - (name == "$stdDevSamp")
    if size <= 0:
        return None
    mean = sum(floats) / len(floats)
    return math.sqrt(sum((number - mean) ** 2 for number in floats) / size)


def _sum(numbers):
    """Return $sum of ``numbers``: an int while all are ints, a double with a double, a decimal with a decimal."""
    if any(isinstance(number, (Decimal128, decimal.Decimal)) for number in numbers):
        with decimal.localcontext(create_decimal128_context()):
            total = sum((decimal.Decimal(_plain(number)) if isinstance(number, float) else _plain(number)
                         for number in numbers), decimal.Decimal(0))
            return Decimal128(total)
    if any(isinstance(number, float) for number in numbers):
        return math.fsum(numbers)
    total = sum(numbers)
    # A sum beyond a 64-bit integer becomes a double, as in MongoDB.
    return total if -LONG_MAX - 1 <= total <= LONG_MAX else float(total)


def _plain(number):
    return number.to_decimal() if isinstance(number, Decimal128) else number


def _constant(expression):
    if isinstance(expression, dict):
        if list(expression) == ["$literal"]:
            return expression["$literal"]
        raise ValueError(f"$shift default {expression!r}: a constant is expected")
    if isinstance(expression, str) and expression.startswith("$"):
        raise ValueError(f"$shift default {expression!r}: a constant is expected")
    return expression


def _read(document, expression):
    """Return the value of ``expression`` (a field path or a constant) in ``document``, MISSING if absent."""
    if isinstance(expression, str) and expression.startswith("$"):
        if expression.startswith("$$"):
            raise ValueError(f"variable {expression} in a window")
        return _path(document, expression[1:])
    if isinstance(expression, dict):
        if list(expression) == ["$literal"]:
            return expression["$literal"]
        if any(key.startswith("$") for key in expression):
            raise ValueError(f"window argument {expression!r}: a field path or a constant is expected")
        return {key: _none(_read(document, item)) for key, item in expression.items()}
    return expression


def _path(document, path):
    value = document
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def _none(value):
    return None if value is MISSING else value


def _set(document, path, value):
    parts = path.split(".")
    for part in parts[:-1]:
        document = document.setdefault(part, {})
    document[parts[-1]] = value
