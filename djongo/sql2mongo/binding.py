"""
Templates and their binding: where a statement's parameters go in a command.

The filters, updates and pipelines of a command are templates: ``Slot``s
stand for the parameters, ``PreRun``s for subqueries run first, ``Build``s
for parts made at bind time. ``bind`` fills them in when the statement
runs, so a parameter is only ever a value in a document, never an operator
or a piece of a regular expression.
"""
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from bson.regex import Regex

from djongo.exceptions import DataError

from . import rowsets
from .bsonvalues import to_bson

DEFAULT = object()  # a DEFAULT value in an INSERT row: the field is left out


@dataclass(frozen=True, slots=True)
class Slot:
    """A parameter hole; ``convert`` turns the bound value into what the query needs."""
    index: int
    convert: Optional[Callable] = None

    def resolve(self, params):
        value = to_bson(params[self.index])
        return value if self.convert is None else self.convert(value)


@dataclass(frozen=True, slots=True)
class Const:
    """A constant output column, e.g. the ``1`` of ``SELECT 1 AS "a"``."""
    value: Any


@dataclass(frozen=True, slots=True)
class PreRun:
    """
    An uncorrelated subquery, run before its statement; ``shape`` says what
    its rows become in the statement: "values" (the first column's values),
    "value" (the first of them, or None), "any" and "none" (whether there are
    rows), "in" and "not in" (the field condition of [NOT] IN, with SQL's
    NULL rules), "implied in" (IN, or every row when the subquery returns
    ``limit`` rows: a condition that only narrows the rows early), "rows"
    (each row as a document of fields c0, c1, ...) and "rows in" (the filter of ``(a, b) IN (SELECT
    ...)`` over the fields ``paths``, as a one-item ``$and`` list).
    """
    command: Any
    shape: str
    limit: Optional[int] = None
    paths: tuple = ()

    def resolve(self, rows):
        shape = self.shape
        if shape == "rows":
            return [{f"c{i}": item for i, item in enumerate(row)} for row in rows]
        if shape == "rows in":
            return [row_filter(self.paths, rows)]
        values = [row[0] for row in rows]
        if shape == "values":
            return values
        if shape == "value":
            return values[0] if values else None
        if shape == "any":
            return bool(values)
        if shape == "none":
            return not values
        if shape == "implied in" and len(values) >= self.limit:
            # $nin of nothing matches every document, a missing field too.
            return {"$nin": []}
        if shape in ("in", "implied in"):
            return {"$in": members(item for item in distinct_keys(values) if item is not None)}
        if shape == "not in":
            values = distinct_keys(values)
            # x NOT IN (.., NULL) is never TRUE.
            if any(item is None for item in values):
                return {"$in": []}
            return {"$nin": [*members(values), None]}
        raise ValueError(f"unknown subquery shape {shape!r}")


def row_filter(paths, rows):
    """
    Return the filter matching the documents whose fields ``paths`` equal
    one of ``rows``: a row holding a NULL equals nothing. ``$eq`` compares
    an embedded document as a value instead of reading its keys as
    operators (https://www.mongodb.com/docs/manual/reference/operator/query/eq/).
    """
    matches, seen = [], set()
    for row in rows:
        if any(item is None for item in row):
            continue
        try:
            key = tuple(rowsets.value_key(item) for item in row)
        except TypeError:  # a value no key can stand for: keep the row as it is
            key = id(row)
        if key not in seen:
            seen.add(key)
            matches.append({path: {"$eq": member(item)} for path, item in zip(paths, row)})
    if not matches:
        return {paths[0]: {"$in": []}}
    return matches[0] if len(matches) == 1 else {"$or": matches}


def member(value):
    """
    Return ``value``, a value of an IN list (a parameter, or a key a
    subquery read): MongoDB's ``$in`` and ``$nin`` match a regular
    expression in their list as a pattern
    (https://www.mongodb.com/docs/manual/reference/operator/query/in/), so
    one is refused rather than become a pattern.
    """
    if isinstance(value, (re.Pattern, Regex)):
        raise DataError(f"regular expression {value!r} in an IN list: MongoDB would match it as a pattern")
    return value


def members(values):
    """Return the list ``values`` of an IN list, each checked by member()."""
    return [member(item) for item in values]


def distinct_keys(values):
    """
    Return the keys ``values`` hold for an IN test, each once: the elements
    of an array count one by one, as MongoDB matches a key against an array
    (an ArrayReferenceField's column) and as ``$lookup`` joins its elements
    (https://www.mongodb.com/docs/manual/reference/operator/query/in/).
    """
    keys = {}
    for value in values:
        for item in value if isinstance(value, list) else (value,):
            try:
                keys.setdefault(rowsets.value_key(item), item)
            except TypeError:  # a value no key can stand for: keep it as it is
                keys[id(item)] = item
    return list(keys.values())


@dataclass(frozen=True, slots=True)
class Build:
    """A part of a template made at bind time: ``function(*bound parts)``."""
    function: Callable
    parts: tuple


def bind(template, params, run=None):
    """
    Return a copy of ``template`` with every Slot replaced by its parameter
    and every PreRun by its result; ``run(command)`` returns a command's rows.
    """
    kind = type(template)
    if kind is Slot:
        return template.resolve(params)
    if kind is dict:
        return {key: bind(value, params, run) for key, value in template.items()}
    if kind is list:
        return [bind(value, params, run) for value in template]
    if kind is Build:
        return template.function(*(bind(part, params, run) for part in template.parts))
    if kind is PreRun:
        if run is None:
            raise ValueError("a subquery cannot be bound without a database")
        return template.resolve(run(template.command))
    return template
