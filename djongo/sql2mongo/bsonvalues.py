"""Python values as BSON stores them."""
import datetime
import decimal

from bson.decimal128 import Decimal128

from djongo.exceptions import DataError


# Types BSON stores as they are: most parameters, so looked up first.
_NATIVE_TYPES = frozenset({int, str, float, bool, type(None), bytes})


class _JSONNull:
    """
    JSON's null as a JSONField value (``JSONNull()``, ``Value(None,
    JSONField())``), told apart from SQL's NULL (None) until it is bound:
    a NOT NULL JSONField may hold it, and the JSON lookups compare with it.
    MongoDB has one null, so both are stored as BSON null.
    """
    __slots__ = ()

    def __repr__(self):
        return "JSON null"


JSON_NULL = _JSONNull()


def bson_values(values):
    """Return the list of ``values``, each as BSON stores it."""
    return [value if type(value) in _NATIVE_TYPES else to_bson(value) for value in values]


def to_bson(value):
    """Return ``value`` as a type BSON stores natively."""
    if type(value) in _NATIVE_TYPES:
        return value
    if value is JSON_NULL:
        return None
    if isinstance(value, decimal.Decimal):
        try:
            return Decimal128(value)
        except decimal.DecimalException:
            raise DataError(
                f"Decimal {value} does not fit BSON's Decimal128 (34 significant digits, exponents -6176 to 6111)"
            ) from None
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        # BSON has no date type: a date is stored as midnight UTC.
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        # BSON has no time type: a fixed-width string sorts in time order.
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (memoryview, bytearray)):
        return bytes(value)
    if isinstance(value, (tuple, list)):
        return [to_bson(item) for item in value]
    if isinstance(value, dict):
        # Subdocuments (EmbeddedField, JSONField values) hold Python values too.
        return {key: to_bson(item) for key, item in value.items()}
    return value
