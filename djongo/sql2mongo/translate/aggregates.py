"""
Translate aggregate functions into ``$group`` accumulators and the
expressions that finish them after the ``$group``.

SQL's aggregates skip NULLs and give NULL over no non-NULL values (COUNT
gives 0). Some have a ``$group`` accumulator that does exactly that
(``$min``, ``$max``, ``$avg``); the others collect values (``$push``,
``$addToSet``) or counts in the group and compute the result from them in
the stage after it:

- ``STRING_AGG(x, delimiter [ORDER BY ...])`` (Django's StringAgg):
  ``$push`` the values, in the aggregate's order, and join them with
  ``$reduce`` and ``$concat``;
- ``ANY_VALUE(x)`` (AnyValue): any non-NULL value, ``$min``'s;
- ``BIT_AND``, ``BIT_OR``, ``BIT_XOR`` (BitAnd, BitOr, BitXor): ``$push`` the
  values and fold them bit by bit with arithmetic on 64-bit integers, as
  MongoDB has no bitwise operator before 6.3.

Only operators that MongoDB 4.4 documents are used
(https://www.mongodb.com/docs/v4.4/reference/operator/aggregation-pipeline/).
"""
from bson.int64 import Int64

from djongo.exceptions import SQLDecodeError

from .. import dialect, tree
from .values import is_value, not_null

# Aggregates whose $group accumulator is SQL's aggregate; they skip nulls.
# VAR_* are the square of the standard deviation (see accumulate()).
ACCUMULATORS = {
    "AVG": "$avg", "MIN": "$min", "MAX": "$max",
    "STDDEV_POP": "$stdDevPop", "STDDEV_SAMP": "$stdDevSamp",
    "VAR_POP": "$stdDevPop", "VAR_SAMP": "$stdDevSamp",
    # ANY_VALUE may return any of the non-NULL values: $min returns one,
    # and NULL when there is none.
    "ANY_VALUE": "$min",
}

# Aggregates whose result depends on the order of their input, for which
# their ORDER BY is honoured (by a $sort before the $group). The others
# give the same result in any order, and their ORDER BY changes nothing.
ORDERED = frozenset({"STRING_AGG"})

BITWISE = frozenset({"BIT_AND", "BIT_OR", "BIT_XOR"})


def accumulate(func, name, group, defaults, compile_):
    """
    Add the accumulators of aggregate ``func`` to ``group``, under ``name``
    and names starting with it, and their values over no rows to
    ``defaults``; return the expression that reads its result after the
    ``$group``. ``compile_`` translates an argument (read before the group).
    """
    if func.name == "COUNT" and func.args and isinstance(func.args[0], tree.Star):
        group[name] = {"$sum": 1}
        defaults[name] = 0
        return f"${name}"
    if func.name == "STRING_AGG":
        return _string_agg(func, name, group, defaults, compile_)
    if len(func.args) != 1:
        raise SQLDecodeError(f"{func.name}() with {len(func.args)} arguments")
    arg = compile_(func.args[0])
    if func.distinct:
        # The distinct values, NULL left out: SQL's aggregates skip NULLs.
        group[name] = {"$addToSet": arg}
        defaults[name] = []
        values = {"$setDifference": [f"${name}", [None]]}
        if func.name == "COUNT":
            return {"$size": values}
        if func.name == "SUM":
            return {"$cond": [{"$eq": [{"$size": values}, 0]}, None, {"$sum": values}]}
        if func.name in ("AVG", "MIN", "MAX"):
            return {"$" + func.name.lower(): values}
        raise SQLDecodeError(f"{func.name}(DISTINCT ...)")
    if func.name == "COUNT":
        group[name] = {"$sum": {"$cond": [not_null(arg), 1, 0]}}
        defaults[name] = 0
        return f"${name}"
    if func.name == dialect.SUM_NOT_NULL:
        # No value is NULL: the sum is NULL only over no rows, which gives
        # no group at all, and the missing field reads as NULL.
        group[name] = {"$sum": arg}
        return f"${name}"
    if func.name == "SUM":
        # $sum of no values is 0; SQL's SUM of no non-NULL values is NULL.
        # $max skips null and missing values and is null when all are
        # (https://www.mongodb.com/docs/manual/reference/operator/aggregation/max/):
        # whether any value is not NULL, at the cost of a comparison per
        # document rather than of a $cond (issue 23).
        group[name] = {"$sum": arg}
        group[name + "_n"] = {"$max": arg}
        return {"$cond": [{"$eq": [{"$ifNull": [f"${name}_n", None]}, None]}, None, f"${name}"]}
    if func.name in BITWISE:
        group[name] = {"$push": arg}
        defaults[name] = []
        return bitwise_fold(func.name, f"${name}")
    group[name] = {ACCUMULATORS[func.name]: arg}
    if func.name.startswith("VAR_"):
        return {"$pow": [f"${name}", 2]}
    return f"${name}"


# STRING_AGG -----------------------------------------------------------------

def _string_agg(func, name, group, defaults, compile_):
    """
    ``STRING_AGG(x, delimiter)``: the non-NULL values joined, each after the
    first preceded by the delimiter (none when it is NULL), as PostgreSQL
    defines it; NULL when there is no non-NULL value. The values come in
    the order of the documents entering the $group, which a $sort before it
    sets for the aggregate's ORDER BY (the caller's job: see ORDERED).
    A delimiter that is not a constant is pushed beside each value.
    """
    if len(func.args) != 2:
        raise SQLDecodeError(f"STRING_AGG() with {len(func.args)} arguments")
    text, delimiter = (compile_(arg) for arg in func.args)
    per_row = not is_value(func.args[1])
    if per_row:
        # $ifNull: a missing value would leave the field out of the document.
        pushed = {"v": {"$ifNull": [text, None]}, "d": {"$ifNull": [delimiter, None]}}
        item, separator = "$$this.v", "$$this.d"
    else:
        pushed, item, separator = text, "$$this", delimiter
    values = f"${name}"
    if func.distinct and not func.order_by:
        # Any order will do: the distinct values as a set.
        group[name] = {"$addToSet": pushed}
    else:
        group[name] = {"$push": pushed}
        if func.distinct:
            values = _first_occurrences(values)
    defaults[name] = []
    return {"$reduce": {"input": values, "initialValue": None, "in": {"$cond": [
        {"$eq": [item, None]}, "$$value",
        {"$cond": [
            {"$eq": ["$$value", None]}, item,
            {"$concat": ["$$value", {"$ifNull": [separator, ""]}, item]},
        ]},
    ]}}}


def _first_occurrences(values):
    """
    Return the array ``values`` (a field path) without repeated elements,
    each kept where it first occurs: the elements whose first index
    ($indexOfArray) is their own.
    """
    at = {"$arrayElemAt": [values, "$$i"]}
    firsts = {"$filter": {
        "input": {"$range": [0, {"$size": values}]}, "as": "i",
        "cond": {"$eq": [{"$indexOfArray": [values, at]}, "$$i"]},
    }}
    return {"$map": {"input": firsts, "as": "i", "in": at}}


# BIT_AND, BIT_OR, BIT_XOR -----------------------------------------------------

BIT_TESTS = {
    "BIT_AND": lambda a, b: {"$and": [a, b]},
    "BIT_OR": lambda a, b: {"$or": [a, b]},
    "BIT_XOR": lambda a, b: {"$ne": [a, b]},
}
# Bits 0 to 61 as [2**bit, 2**(bit + 1)]; bit 62 is read apart, since
# 2**63 is no 64-bit integer.
LOW_BITS = [[Int64(2 ** bit), Int64(2 ** (bit + 1))] for bit in range(62)]
BIT_62 = Int64(2 ** 62)


def bitwise_fold(function, values):
    """
    Return the expression folding the array ``values`` with the bitwise
    ``function`` (BIT_AND, BIT_OR or BIT_XOR), NULLs skipped, NULL when
    none is left. A value that is not an integer fails the command, as SQL
    refuses to compute these of other types: ``$trunc`` raises for a value
    that is not a number, and one with a fraction is refused by ``$toLong``
    of the text naming the function (MongoDB 4.4 has no operator that
    raises an error of one's own).
    """
    not_integer = {"$literal": f"{function}() of a value that is not an integer"}
    as_integers = {"$map": {"input": values, "as": "v", "in": {"$cond": [
        {"$eq": [{"$trunc": "$$v"}, "$$v"]}, {"$toLong": "$$v"}, {"$toLong": not_integer},
    ]}}}
    return {"$reduce": {"input": as_integers, "initialValue": None, "in": {"$cond": [
        {"$eq": ["$$this", None]}, "$$value",
        {"$cond": [{"$eq": ["$$value", None]}, "$$this", _bitwise(function, "$$value", "$$this")]},
    ]}}}


def _bitwise(function, a, b):
    """
    Return the 64-bit integers ``a`` and ``b`` (not NULL) combined bit by
    bit, with exact integer arithmetic on magnitudes no larger than theirs:
    MongoDB 4.4 has no bitwise operator ($bitAnd and the others are 6.3's).

    In two's complement a negative x has the sign bit and the other bits of
    ~x = -1 - x (a non-negative number) inverted; bit i of a non-negative m
    is set when m mod 2**(i + 1) >= 2**i. The result's bits below the sign
    are summed the same way: the sum M of the powers of two whose bit
    differs from the result's sign bit is the result, or ~result when it
    is negative.
    https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/mod/
    """
    test = BIT_TESTS[function]
    negative = {"$lt": [a, 0]}, {"$lt": [b, 0]}
    magnitude = [{"$cond": [sign, {"$subtract": [-1, x]}, x]} for sign, x in zip(negative, (a, b))]
    sign = test(*negative)

    def differs(bit_of):
        # Whether the result's bit (bit_of(m) for each operand's m, read
        # through its sign) differs from the result's sign bit.
        bits = [{"$ne": [negative_x, bit_of(m)]} for negative_x, m in zip(negative, magnitude)]
        return {"$ne": [test(*bits), sign]}

    power, modulus = ({"$arrayElemAt": ["$$p", index]} for index in range(2))
    low = {"$sum": {"$map": {"input": {"$literal": LOW_BITS}, "as": "p", "in": {"$cond": [
        differs(lambda m: {"$gte": [{"$mod": [m, modulus]}, power]}), power, 0,
    ]}}}}
    high = {"$cond": [differs(lambda m: {"$gte": [m, BIT_62]}), BIT_62, 0]}
    # The result is M, or -1 - M when its sign bit is set.
    return {"$add": [
        {"$multiply": [{"$cond": [sign, -1, 1]}, {"$add": [low, high]}]}, {"$cond": [sign, -1, 0]},
    ]}
