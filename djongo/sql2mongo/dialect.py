"""
djongo's own SQL: what djongo's side of Django writes beyond the SQL Django
writes for every backend, defined once for its writers and its readers.

The writers are DatabaseOperations (operations.py), the JSONField lookups
(lookups.py), the compiler's hints (compiler.py) and ArrayReferenceField
(models/fields/reference.py); each writes through the helpers here. The
readers are the parser (hints and literals) and the translators, whose
tables are keyed by the names here. tests/unit/test_dialect.py feeds what
each writer writes to the parser and the translators.
"""

# Functions -----------------------------------------------------------------

# Dates as the text SQL databases give them, which text lookups on dates
# match (DatabaseOperations.lookup_cast): DATETIME_TEXT(x), DATE_TEXT(x).
DATETIME_TEXT = "DATETIME_TEXT"
DATE_TEXT = "DATE_TEXT"
# SUM of a NOT NULL column of the query's own table (lookups.sum_as_djongo):
# NULL only over no rows, so it needs no test of each value for NULL.
SUM_NOT_NULL = "SUM_NOT_NULL"
# UPDATE "t" SET "n" = NOT_NULL_NUMBER(expression): the new value of a NOT
# NULL numeric column (compiler.NotNullNumber), which $inc and $mul may
# write; found only around an UPDATE's new value (translate/dml.py).
NOT_NULL_NUMBER = "NOT_NULL_NUMBER"
# A UUID column as its text (lookup_cast of text lookups on a UUIDField),
# matched with bit tests on the binary (translate/uuid_text.py).
UUID_TEXT = "UUID_TEXT"
# EXTRACT('kind', x, zone), DATE_TRUNC('kind', x, zone), TIME_TRUNC('kind',
# x, zone): zone is a time zone name or NULL for UTC.
EXTRACT = "EXTRACT"
DATE_TRUNC = "DATE_TRUNC"
TIME_TRUNC = "TIME_TRUNC"
# TIME_EXTRACT('kind', x): a part of a TimeField's "HH:MM:SS.ffffff".
TIME_EXTRACT = "TIME_EXTRACT"
# DURATION(x) marks a DurationField operand (integer microseconds);
# DURATION_ARITHMETIC('+' or '-', a, b) adds it to or subtracts it from a date.
DURATION = "DURATION"
DURATION_ARITHMETIC = "DURATION_ARITHMETIC"

# JSONField (lookups.py): JSON_EXTRACT(x, 'key', ...) the value at a path,
# JSON_EXTRACT(x) a value cast to JSON, JSON_EXTRACT_TEXT(x, 'key', ...) it
# as text, JSON_HAS_KEY(x, 'key', ...) whether the path exists, JSON_TEXT(x)
# a whole value as text, JSON_OBJECT('key', value, ...) an object,
# JSON_CAST(x) a cast to JSON of a value that is not JSON, JSON_CONTAINS(a, b)
# PostgreSQL's a @> b.
JSON_EXTRACT = "JSON_EXTRACT"
JSON_EXTRACT_TEXT = "JSON_EXTRACT_TEXT"
JSON_HAS_KEY = "JSON_HAS_KEY"
JSON_TEXT = "JSON_TEXT"
JSON_OBJECT = "JSON_OBJECT"
JSON_CAST = "JSON_CAST"
JSON_CONTAINS = "JSON_CONTAINS"

# ArrayReferenceField (models/fields/reference.py): ARRAY_HOLDS(column, x)
# whether the array holds x; SET column = ARRAY_APPEND(column, keys) and
# ARRAY_REMOVE(column, keys) change it in place.
ARRAY_HOLDS = "ARRAY_HOLDS"
ARRAY_APPEND = "ARRAY_APPEND"
ARRAY_REMOVE = "ARRAY_REMOVE"


def call(function, *arguments):
    """Write the call ``FUNCTION(argument, ...)``; the arguments are SQL already."""
    return f"{function}({', '.join(arguments)})"


# Hints ---------------------------------------------------------------------

# JOIN ... ON a = b /*+ UNIQUE(1, 2) */: the ON columns, by position, that
# are unique, so a join finds at most one row (compiler.py).
UNIQUE = "UNIQUE"


def hint(name, positions):
    """Write the hint ``/*+ NAME(1, 2) */`` of 1-based ``positions``, or nothing when there are none."""
    return f"/*+ {name}({', '.join(map(str, positions))}) */" if positions else ""


# Literals ------------------------------------------------------------------

def literal(value):
    """Write ``value`` as a SQL literal that the parser reads back unchanged."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        # sqlparse's lexer reads \' as an escaped quote, so a backslash before
        # a quote, or at the end, would change where the string ends.
        if "\\'" in value or value.endswith("\\"):
            raise ValueError(f"cannot write {value!r} as a SQL literal: a backslash precedes a quote")
        return "'%s'" % value.replace("'", "''")
    if isinstance(value, (int, float)):
        return repr(value)
    raise ValueError(f"cannot write {type(value).__name__} as a SQL literal")
