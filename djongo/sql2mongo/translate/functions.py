"""
Translate SQL functions of django.db.models.functions (text, math,
COALESCE, NULLIF, GREATEST, LEAST, CAST...) into aggregation expressions.

Each entry of FUNCTIONS takes the ``tree.Func`` node and ``compile``, which
turns an argument node into its aggregation expression. Only operators that
MongoDB 4.4 documents are used
(https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/).

SQL functions return NULL when an argument is NULL. Most MongoDB operators
do too, but some return "" or raise instead ($toUpper, $substrCP,
$strLenCP, $indexOfCP...): those functions are wrapped in ``_strict``.
"""
import inspect
import math
import uuid

from djongo.exceptions import DataError, SQLDecodeError

from .. import tree
from .values import is_null, is_value, value

NULL = {"$literal": None}

# Characters U+0001 to U+07FF in code point order: CHR() and ASCII() look
# code points up in it, as MongoDB has no operator converting between a
# character and its code point. It covers every one- and two-byte UTF-8
# character (Latin, Greek, Cyrillic, Hebrew, Arabic...) in 4 KB.
CODE_POINTS = "".join(map(chr, range(1, 0x800)))


def _strict(build):
    """
    Return a translator calling ``build`` with the compiled arguments, whose
    result is NULL when any argument is NULL.
    """
    parameters = inspect.signature(build).parameters.values()
    fewest = sum(1 for parameter in parameters if parameter.default is inspect.Parameter.empty
                 and parameter.kind is not inspect.Parameter.VAR_POSITIONAL)
    most = None if any(parameter.kind is inspect.Parameter.VAR_POSITIONAL for parameter in parameters) \
        else len(parameters)

    def translate(node, compile):
        if len(node.args) < fewest or (most is not None and len(node.args) > most):
            raise SQLDecodeError(f"function {node.name}() with {len(node.args)} arguments")
        if any(isinstance(arg, tree.Literal) and arg.value is None for arg in node.args):
            return NULL
        args = [compile(arg) for arg in node.args]
        checks = [is_null(expression) for arg, expression in zip(node.args, args)
                  if not isinstance(arg, tree.Literal)]
        result = build(*args)
        if not checks:
            return result
        # $cond evaluates only the branch it returns, so an operator that
        # rejects null never sees one.
        return {"$cond": [checks[0] if len(checks) == 1 else {"$or": checks}, None, result]}
    return translate


def _call(name):
    """Return a builder calling the aggregation operator ``name`` with its arguments."""
    def build(*args):
        return {name: args[0] if len(args) == 1 else list(args)}
    return build


def _operator(name):
    """Return a translator calling the aggregation operator ``name``, which yields null for null."""
    build = _call(name)

    def translate(node, compile):
        return build(*(compile(arg) for arg in node.args))
    return translate


def _refuse(reason):
    """Return a translator that refuses the function, saying why."""
    def translate(node, compile):
        raise SQLDecodeError(f"function {node.name}(): {reason}")
    return translate


# Math ----------------------------------------------------------------------

def _sign(node, compile):
    """SIGN(x): -1, 0 or 1 in the numeric type of x, NULL for NULL."""
    x = compile(node.args[0])
    # $cmp yields the int -1, 0 or 1, but -1 for null, which sorts below
    # numbers. Adding x * 0 turns a null x into null and gives the result
    # x's type (int, double or decimal), as SQL's SIGN.
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/cmp/
    return {"$add": [{"$cmp": [x, 0]}, {"$multiply": [x, 0]}]}


def _round_to_multiple(x, step):
    """
    Round ``x`` to a multiple of the positive ``step``, halves away from zero
    as SQL's ROUND does; $round rounds halves to even
    (https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/round/).
    $mod keeps the dividend's sign and type, so ints stay ints.
    """
    remainder = {"$mod": [x, step]}
    truncated = {"$subtract": [x, remainder]}
    away_from_zero = {"$cond": [{"$lt": [x, 0]}, {"$multiply": [-1, step]}, step]}
    return {"$cond": [
        {"$gte": [{"$multiply": [{"$abs": remainder}, 2]}, step]},
        {"$add": [truncated, away_from_zero]},
        truncated,
    ]}


def _ten_to_the_abs(precision):
    return None if precision is None else 10 ** abs(int(precision))


def _round(node, compile):
    """ROUND(x[, precision]): x rounded half away from zero to precision decimal places."""
    if len(node.args) == 1:
        node = tree.Func(node.name, (node.args[0], tree.Literal(0)))
    if len(node.args) != 2:
        raise SQLDecodeError(f"ROUND() with {len(node.args)} arguments")
    x, precision_node = compile(node.args[0]), node.args[1]
    precision = compile(precision_node)
    if is_value(precision_node):
        # An exact integer power of ten, computed when the parameter is bound.
        scale = {"$literal": value(precision_node, _ten_to_the_abs)}
    else:
        scale = {"$pow": [10, {"$abs": precision}]}
    # A whole number is its own rounding to any precision >= 0: returning
    # it unchanged keeps an int an int.
    to_places = {"$cond": [
        {"$eq": [{"$mod": [x, 1]}, 0]},
        x,
        {"$divide": [_round_to_multiple({"$multiply": [x, scale]}, 1), scale]},
    ]}
    return {"$cond": [{"$gte": [precision, 0]}, to_places, _round_to_multiple(x, scale)]}


def _log(node, compile):
    """LOG(base, x): the logarithm of x to base, as Django's Log(base, x)."""
    # Two $ln rather than $log: as exact, and every MongoDB-compatible server
    # has $ln, while some (the local test server) lack $log's two arguments.
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/ln/
    base, x = (compile(arg) for arg in node.args)
    return {"$divide": [{"$ln": x}, {"$ln": base}]}


def _pi(node, compile):
    return {"$literal": math.pi}


def _random(node, compile):
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/rand/
    return {"$rand": {}}


def _degrees(x):
    return {"$divide": [{"$multiply": [x, 180]}, math.pi]}


def _radians(x):
    return {"$divide": [{"$multiply": [x, math.pi]}, 180]}


def _cot(x):
    return {"$divide": [1, {"$tan": x}]}


# Text ----------------------------------------------------------------------

def _as_text(node, compile):
    """Compile ``node`` converted to a string, as SQL converts operands of ||."""
    expression = compile(node)
    if isinstance(node, tree.Literal) and isinstance(node.value, str):
        return expression
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/toString/
    return {"$toString": expression}


def _concat(node, compile):
    """CONCAT(a, b): Django's ConcatPair, which reads NULL as the empty string."""
    return {"$concat": [{"$ifNull": [_as_text(arg, compile), ""]} for arg in node.args]}


def _pipes(node, compile):
    """a || b: the concatenation, NULL when either side is NULL."""
    return {"$concat": [_as_text(node.left, compile), _as_text(node.right, compile)]}


def _length(s):
    # Characters, not bytes: $strLenCP counts code points.
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/strLenCP/
    return {"$strLenCP": s}


def _substring(s, position, length=None):
    """SUBSTRING(s, position[, length]) with SQL's position counted from 1."""
    if length is None:
        length = _length(s)
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/substrCP/
    return {"$substrCP": [s, {"$subtract": [position, 1]}, length]}


def _left(s, length):
    return {"$substrCP": [s, 0, length]}


def _right(s, length):
    start = {"$max": [0, {"$subtract": [_length(s), length]}]}
    return {"$substrCP": [s, start, length]}


def _trim(operator):
    """
    Return the builder of TRIM, LTRIM or RTRIM with ``operator``: of spaces,
    or of each of the characters of a second argument, as SQLite's and
    PostgreSQL's two-argument forms trim.
    """
    def build(s, chars=" "):
        # SQL trims spaces only; MongoDB's default also trims tabs and newlines.
        # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/trim/
        return {operator: {"input": s, "chars": chars}}
    return build


def _repeat(s, count):
    # $range yields no number for a count <= 0, hence "" as SQL's REPEAT.
    return {"$reduce": {
        "input": {"$range": [0, count]}, "initialValue": "", "in": {"$concat": ["$$value", s]},
    }}


def _pad(left):
    """Return the builder of LPAD (``left``) or RPAD."""
    def build(s, length, fill):
        missing = {"$max": [0, {"$subtract": [length, _length(s)]}]}
        padding = {"$substrCP": [_repeat(fill, missing), 0, missing]}
        # A string longer than length is cut to length, as in SQL.
        kept = _left(s, length)
        return {"$concat": [padding, kept] if left else [kept, padding]}
    return build


def _replace(s, old, new):
    """REPLACE(s, old, new): $split on old, joined with new; an empty old changes nothing."""
    # $split and $reduce rather than $replaceAll (MongoDB 4.4): as exact, and
    # every MongoDB-compatible server has them, while some (the local test
    # server) lack $replaceAll.
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/split/
    joined = {"$reduce": {
        "input": {"$split": [s, old]},
        "initialValue": None,
        "in": {"$cond": [
            {"$eq": ["$$value", None]}, "$$this", {"$concat": ["$$value", new, "$$this"]},
        ]},
    }}
    return {"$cond": [{"$eq": [old, ""]}, s, joined]}


def _instr(s, sub):
    """INSTR(s, sub): the 1-based position of sub in s, 0 when absent ($indexOfCP gives -1)."""
    return {"$add": [{"$indexOfCP": [s, sub]}, 1]}


def _reverse(s):
    # Each character is put in front of those before it.
    return {"$reduce": {
        "input": {"$range": [0, _length(s)]},
        "initialValue": "",
        "in": {"$concat": [{"$substrCP": [s, "$$this", 1]}, "$$value"]},
    }}


def _out_of_table(function, text):
    """
    Return an expression that fails when evaluated, naming ``function`` and
    the string ``text``: converting a non-numeric string raises an error
    (https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/toInt/),
    so a code point beyond CODE_POINTS is refused rather than answered wrongly.
    The message depends on the document: a constant one would be folded,
    and so raised, when the server optimizes the pipeline.
    """
    message = f"{function}() supports code points 1 to {len(CODE_POINTS)} only, not: "
    return {"$toInt": {"$concat": [message, text]}}


def _chr(code):
    """CHR(code): the character with that code point."""
    in_table = {"$and": [{"$gte": [code, 1]}, {"$lte": [code, len(CODE_POINTS)]}]}
    character = {"$substrCP": [CODE_POINTS, {"$subtract": [code, 1]}, 1]}
    return {"$cond": [in_table, character, _out_of_table("CHR", {"$toString": code})]}


def _ascii(s):
    """ASCII(s): the code point of the first character of s, 0 for the empty string."""
    first = {"$substrCP": [s, 0, 1]}
    index = {"$indexOfCP": [CODE_POINTS, first]}
    return {"$cond": [
        {"$eq": [s, ""]}, 0,
        {"$cond": [{"$gte": [index, 0]}, {"$add": [index, 1]}, _out_of_table("ASCII", first)]},
    ]}


# Comparison ----------------------------------------------------------------

def _coalesce(node, compile):
    """COALESCE(a, b, ...): nested two-argument $ifNull, as MongoDB 4.4 has no longer form."""
    args = [compile(arg) for arg in node.args]
    result = args[-1]
    for expression in reversed(args[:-1]):
        result = {"$ifNull": [expression, result]}
    return result


def _nullif(node, compile):
    a, b = (compile(arg) for arg in node.args)
    return {"$cond": [{"$eq": [a, b]}, None, a]}


def _extreme(operator):
    """Return the translator of GREATEST or LEAST, which ignore NULLs as in PostgreSQL."""
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/max/
    def translate(node, compile):
        return {operator: [compile(arg) for arg in node.args]}
    return translate


# CAST ----------------------------------------------------------------------

def _to_date(x):
    # The day of a datetime (or of an ISO string) at midnight, djongo's form of a date.
    day = {"$dateToString": {"format": "%Y-%m-%d", "date": {"$toDate": x}}}
    return {"$toDate": day}


def _to_time(x):
    # djongo stores times as "HH:MM:SS.ffffff"; BSON dates have milliseconds.
    return {"$dateToString": {"format": "%H:%M:%S.%L000", "date": x}}


# Conversions to djongo's column types (base.DatabaseWrapper.data_types).
# https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/convert/
CASTS = {
    "int": lambda x: {"$toInt": x},
    "long": lambda x: {"$toLong": x},
    "double": lambda x: {"$toDouble": x},
    "decimal": lambda x: {"$toDecimal": x},
    "string": lambda x: {"$toString": x},
    "bool": lambda x: {"$toBool": x},
    "datetime": lambda x: {"$toDate": x},
    "date": _to_date,
    "time": _to_time,
    "objectid": lambda x: {"$toObjectId": x},
}


def _to_uuid(value):
    """CAST(x AS uuid) of a selected value: a UUID from its text (any form uuid.UUID reads), NULL for NULL."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DataError(f"invalid input for type uuid: {value!r}") from None


def _to_binary(value):
    """CAST(x AS binary) of a selected value: bytes as they are, text as its UTF-8 bytes, NULL for NULL."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    raise DataError(f"cannot cast {type(value).__name__} {value!r} to binary")


# Casts MongoDB 4.4 has no conversion for, done on the values a SELECT
# returns (translate/expressions.output); elsewhere they are refused.
DECODED_CASTS = {"uuid": _to_uuid, "binary": _to_binary}


# SQL's own type names, which hand-written SQL (a custom Transform) uses,
# as the djongo types of ``CASTS``; the parser reads CHAR(n) and
# VARCHAR(n) as string(n).
SQL_TYPES = {
    "text": "string",
    "smallint": "int", "integer": "int", "bigint": "long", "real": "double", "float": "double",
    "numeric": "decimal", "boolean": "bool", "timestamp": "datetime",
}


def cast(node, compile):
    """CAST(expr AS type) for the types of ``CASTS`` and their SQL names."""
    convert = CASTS.get(SQL_TYPES.get(node.type, node.type))
    if convert is None:
        where = " other than as a selected column" if node.type in DECODED_CASTS else ""
        raise SQLDecodeError(f"CAST to type {node.type!r}{where}")
    converted = convert(compile(node.expr))
    if node.length is None:
        return converted
    # $substrCP makes "" of null: the NULL stays NULL.
    return {"$cond": [is_null(converted), None, {"$substrCP": [converted, 0, node.length]}]}


NO_UUID = _refuse(
    "MongoDB's aggregation expressions make no UUIDs; djongo makes UUID4() and UUID7() values "
    "only in INSERT (create, db_default) and UPDATE ... SET (docs/sql-support.md)"
)
NO_BITWISE = _refuse("MongoDB 4.4 has no bitwise aggregation operators")
NO_HASH = _refuse("MongoDB has no aggregation operator computing hashes")

FUNCTIONS = {
    # Math
    "ABS": _operator("$abs"),
    "ACOS": _operator("$acos"),
    "ASIN": _operator("$asin"),
    "ATAN": _operator("$atan"),
    "ATAN2": _operator("$atan2"),
    "CEILING": _operator("$ceil"),
    "COS": _operator("$cos"),
    "COT": _strict(_cot),
    "DEGREES": _strict(_degrees),
    "EXP": _operator("$exp"),
    "FLOOR": _operator("$floor"),
    "LN": _operator("$ln"),
    "LOG": _log,
    "MOD": _operator("$mod"),
    "PI": _pi,
    "POWER": _operator("$pow"),
    "RADIANS": _strict(_radians),
    "RANDOM": _random,
    "ROUND": _round,
    "SIGN": _sign,
    "SIN": _operator("$sin"),
    "SQRT": _operator("$sqrt"),
    "TAN": _operator("$tan"),
    # Text
    "ASCII": _strict(_ascii),
    "CHR": _strict(_chr),
    "CONCAT": _concat,
    "INSTR": _strict(_instr),
    "LEFT": _strict(_left),
    "LENGTH": _strict(_length),
    "LOWER": _strict(_call("$toLower")),
    "LPAD": _strict(_pad(left=True)),
    "LTRIM": _strict(_trim("$ltrim")),
    "REPEAT": _strict(_repeat),
    "REPLACE": _strict(_replace),
    "REVERSE": _strict(_reverse),
    "RIGHT": _strict(_right),
    "RPAD": _strict(_pad(left=False)),
    "RTRIM": _strict(_trim("$rtrim")),
    "SUBSTRING": _strict(_substring),
    # SQLite's and Oracle's name, which hand-written SQL (a custom Transform) uses.
    "SUBSTR": _strict(_substring),
    "TRIM": _strict(_trim("$trim")),
    "UPPER": _strict(_call("$toUpper")),
    "MD5": NO_HASH,
    "SHA1": NO_HASH,
    "SHA224": NO_HASH,
    "SHA256": NO_HASH,
    "SHA384": NO_HASH,
    "SHA512": NO_HASH,
    # Comparison
    "COALESCE": _coalesce,
    "GREATEST": _extreme("$max"),
    "LEAST": _extreme("$min"),
    "NULLIF": _nullif,
    # Django's bitwise connectors, as DatabaseOperations.combine_expression writes them.
    "BITAND": NO_BITWISE,
    "BITOR": NO_BITWISE,
    "BITXOR": NO_BITWISE,
    "BITLEFTSHIFT": NO_BITWISE,
    "BITRIGHTSHIFT": NO_BITWISE,
    # UUID4() and UUID7(): djongo makes their values in INSERT and UPDATE
    # ... SET (dml.py, uuids.py); an aggregation expression cannot.
    # A UUID's text: only a LIKE on a column of the queried table
    # translates (predicates/patterns.py, uuid_text.py).
    "UUID_TEXT": _refuse(
        "a UUID as text: MongoDB 4.4 cannot turn binary into text; a UUIDField's text lookups work on a "
        "column of the queried table, not in an expression, against a regular expression or a computed pattern"
    ),
    "UUIDV4": NO_UUID,
    "UUIDV7": NO_UUID,
}

# Operators other than + - * / %, such as || (concatenation): node, compile -> expression.
OPERATORS = {
    "||": _pipes,
}
