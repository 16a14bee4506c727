"""
Translate the SQL that djongo has Django write for JSONField key transforms
and lookups (see ``djongo/lookups.py``) into MongoDB expressions and filters.

A JSONField is stored as the native BSON value: a subdocument, an array, a
string, a number, a boolean or null. The shapes are:

- ``JSON_EXTRACT(x, 'a', 0, 'b')``: the value at a key path, SQL's NULL
  when the path does not exist. A string is an object key, an integer an
  array index (or, on an object, the key of that name). With no keys it is
  ``x`` itself, compared as a whole value rather than through MongoDB's
  array matching.
- ``JSON_EXTRACT_TEXT(x, ...)``: the same value as text (``KT()``).
- ``JSON_HAS_KEY(x, 'a', 'b')``: whether the key path exists, even with a
  JSON null at its end.
- ``JSON_CONTAINS(x, y)``: whether the JSON value ``x`` contains ``y``, as
  PostgreSQL's ``@>`` defines it; Django's ``contains`` and
  ``contained_by`` lookups. One side must be a parameter.
- ``JSON_ARRAY(a, ...)``, ``JSON_OBJECT('k', v, ...)``: an array or a
  document built from values (Django's JSONArray and JSONObject).
- ``JSON_CAST(x)``: a cast of a value that is not JSON to JSONField,
  refused.

MongoDB's field paths reach into arrays: ``"$data.a"`` on ``[{"a": 1}]`` is
``[1]``, where SQL's JSON path finds nothing. Every step through a key
therefore checks that the value before it is not an array
(https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/isArray/).
A path continues from an array element through ``$let``, as MongoDB 4.4 has
no operator reading a field of a computed document (``$getField`` is 5.0).
"""
import json

from djongo.exceptions import SQLDecodeError

from .. import dialect, tree
from ..binding import Build
from .predicates.common import path_form
from .values import is_null, value

# The $let variables of nested path steps: json0, json1, ...
VARIABLE = "json{}"


def check_key(key):
    """
    Refuse an object key that a MongoDB field path cannot name: empty, with
    a '.', starting with '$' or holding a NUL. It would read another field,
    or a variable, instead of the key.
    """
    if not isinstance(key, str):
        raise SQLDecodeError(f"JSON key of type {type(key).__name__}")
    if key == "" or "." in key or key.startswith("$") or "\x00" in key:
        raise SQLDecodeError(f"JSON key {key!r} (a key that is empty, contains '.' or starts with '$')")
    return key


def _path_keys(node):
    """Return the keys of a JSON_* call's path: str for keys, int for indexes."""
    keys = []
    for arg in node.args[1:]:
        if not isinstance(arg, tree.Literal) or isinstance(arg.value, bool) \
                or not isinstance(arg.value, (str, int)):
            raise SQLDecodeError(f"{node.name}() with a key that is not a constant")
        keys.append(arg.value if isinstance(arg.value, int) else check_key(arg.value))
    return keys


def _is_path(expression):
    """Return whether ``expression`` is a field path or a variable path ("$a.b", "$$v.b")."""
    return isinstance(expression, str) and expression.startswith("$")


def bind_to_path(expression, body, depth=0):
    """Return ``body(path)`` for a path reading ``expression``, binding it with $let if needed."""
    if _is_path(expression):
        return body(expression)
    name = VARIABLE.format(depth)
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/let/
    return {"$let": {"vars": {name: expression}, "in": body("$$" + name)}}


def extract(root, keys, depth=0):
    """Return the expression for the value at ``keys`` under the path ``root`` (null where there is none)."""
    found, guards = _walk(root, keys, depth)
    if not guards:
        return found
    return {"$cond": [_any(guards), None, found]}


def _walk(root, keys, depth=0):
    """
    Return (value, guards) for ``keys`` under the path ``root``: the value is
    a field path while the keys are names, and SQL's value when no guard is
    true. A guard is true where a key would be read from an array's elements.
    """
    guards = []
    current = root
    for position, key in enumerate(keys):
        if isinstance(key, int):
            current = _index(current, key)
            rest = keys[position + 1:]
            if rest:
                current = bind_to_path(current, lambda path: extract(path, rest, depth + 1), depth)
            break
        # A key of an array's elements is not a key of the array.
        guards.append({"$isArray": current})
        current = f"{current}.{key}"
    return current, guards


def _index(path, index):
    """Element ``index`` of the array at ``path`` (negative counts from the end), or the key "index" of an object."""
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/arrayElemAt/
    return {"$cond": [{"$isArray": path}, {"$arrayElemAt": [path, index]}, f"{path}.{index}"]}


def _root(node, compile):
    if not node.args:
        raise SQLDecodeError(f"{node.name}() without arguments")
    return compile(node.args[0])


# Reading keys of values built in the same SQL -------------------------------

# The result of a path that reads a key a built object lacks, or an index
# past the end of a built array.
ABSENT = object()


def _fold(node):
    """
    Return (root, keys) for the JSON_EXTRACT or JSON_HAS_KEY ``node``, with
    the keys read where the SQL itself shows the value: a JSON_EXTRACT of a
    JSON_EXTRACT is one path, and a key of a JSON_OBJECT or an index of a
    JSON_ARRAY is the argument written for it. ``root`` is ABSENT when the
    path reads a key or an index such a value lacks.

    ``data__a__b`` over ``Cast(F("data__a"), JSONField())``, or
    ``order_by("obj__alias")`` over ``annotate(obj=JSONObject(alias=...))``,
    then read the value directly, without a $let around a computed value.
    """
    root = _root_node(node)
    keys = _path_keys(node)
    while _is_func(root, dialect.JSON_EXTRACT):
        keys = _path_keys(root) + keys
        root = _root_node(root)
    while keys:
        if _is_func(root, dialect.JSON_OBJECT):
            # On an object, an index names the key of that name (as _index).
            pairs = json_object_pairs(root)
            if str(keys[0]) not in pairs:
                return ABSENT, []
            root = pairs[str(keys[0])]
        elif _is_func(root, "JSON_ARRAY"):
            if not isinstance(keys[0], int):
                # A key of an array's elements is not a key of the array.
                return ABSENT, []
            size = len(root.args)
            if not -size <= keys[0] < size:
                return ABSENT, []
            root = root.args[keys[0]]
        else:
            break
        keys = keys[1:]
    return root, keys


def _is_func(node, name):
    return isinstance(node, tree.Func) and node.name == name


def _root_node(node):
    if not node.args:
        raise SQLDecodeError(f"{node.name}() without arguments")
    return node.args[0]


def json_extract(node, compile):
    root, keys = _fold(node)
    if root is ABSENT:
        return {"$literal": None}
    root = compile(root)
    if not keys:
        return root
    return bind_to_path(root, lambda path: extract(path, keys))


def json_extract_text(node, compile):
    """
    The value as text, as PostgreSQL's ->> gives it: strings as they are,
    numbers and booleans written out. An object or array has no text form
    in MongoDB 4.4: $toString raises rather than the query returning a
    wrong text. (In SELECT the value is read as it is and written as text
    in Python: see DECODERS.)
    """
    found = json_extract(node, compile)
    # Strings sort after numbers and before objects in BSON's order
    # (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
    is_string = {"$and": [{"$gte": [found, ""]}, {"$lt": [found, {"$literal": {}}]}]}
    return {"$cond": [is_string, found, {"$cond": [is_null(found), None, {"$toString": found}]}]}


def json_extract_value(node, compile):
    """JSON_EXTRACT_TEXT read in SELECT: the value itself, written as text by decode_text."""
    return json_extract(node, compile)


def decode_text(value):
    """Return the text of a JSON_EXTRACT_TEXT value read back into Python."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def json_has_key(node, compile):
    """The expression form of JSON_HAS_KEY, for conditions that cannot be filters."""
    if len(node.args) < 2:
        raise SQLDecodeError("JSON_HAS_KEY() without a key")
    root, keys = _fold(node)
    if root is ABSENT:
        return {"$literal": False}
    if not keys:
        # The path ends at a value written in the SQL: it exists.
        return {"$literal": True}
    found = bind_to_path(compile(root), lambda path: extract(path, keys))
    # $type tells a missing value from null
    # (https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/type/).
    return {"$ne": [{"$type": found}, "missing"]}


def has_key_filter(node, scope, negated, compile):
    """
    Return the query filter for ``JSON_HAS_KEY(column, keys)`` (its negation
    when ``negated``), or None when the root is not a column of this scope.
    ``$exists`` is true for a key holding null, as SQL/JSON's path exists.
    """
    column = node.args[0] if node.args else None
    if not path_form(scope, column):
        return None
    keys = _path_keys(node)
    if not keys:
        raise SQLDecodeError("JSON_HAS_KEY() without a key")
    path = scope.path(column)
    not_array = []
    for key in keys:
        if not isinstance(key, int):
            # A key of an array's elements is not a key of the array.
            not_array.append(path)
        path = f"{path}.{key}"
    # https://www.mongodb.com/docs/v4.4/reference/operator/query/exists/
    if negated:
        items = [{prefix: {"$type": "array"}} for prefix in not_array] + [{path: {"$exists": False}}]
        return items[0] if len(items) == 1 else {"$or": items}
    found = {prefix: {"$not": {"$type": "array"}} for prefix in not_array}
    found[path] = {"$exists": True}
    return found


# Containment ---------------------------------------------------------------

def json_contains(node, compile):
    """
    ``JSON_CONTAINS(x, %s)`` (contains) or ``JSON_CONTAINS(%s, x)``
    (contained_by): the containment test is built when the parameter is
    bound, from the shape of its value.
    """
    if len(node.args) != 2:
        raise SQLDecodeError(f"JSON_CONTAINS() with {len(node.args)} arguments")
    container, containee = node.args
    if _is_parameter(containee) and not _is_parameter(container):
        subject, known, test = container, containee, _contains_test
    elif _is_parameter(container) and not _is_parameter(containee):
        subject, known, test = containee, container, _contained_by_test
    else:
        raise SQLDecodeError("JSON_CONTAINS() of two computed values (contains or contained_by with an expression)")
    path, guards = _subject_path(subject, compile)
    built = Build(test, (path, value(known)))
    if guards:
        built = {"$and": [{"$not": [_any(guards)]}, built]}
    # NULL contains nothing and is contained by nothing: UNKNOWN.
    return {"$cond": [is_null(path), None, built]}


def _subject_path(node, compile):
    """
    Return (path, guards) reading ``node``: a key path of a column stays a
    field path, so that the containment test reads the fields under it
    directly; anything else is bound to a $let variable.
    """
    if isinstance(node, tree.Func) and node.name == dialect.JSON_EXTRACT:
        root = _root(node, compile)
        keys = _path_keys(node)
        if _is_path(root) and not any(isinstance(key, int) for key in keys):
            return _walk(root, keys)
    return compile(node), []


def _is_parameter(node):
    return isinstance(node, (tree.Param, tree.Literal))


def _contains_test(subject, wanted):
    return bind_to_path(subject, lambda path: contains(path, wanted, top=True), depth=8)


def _contained_by_test(subject, allowed):
    return bind_to_path(subject, lambda path: contained_by(path, allowed, top=True), depth=8)


def is_object(path):
    """Whether ``path`` holds a document: documents sort after strings and before arrays in BSON's order."""
    return {"$and": [{"$gte": [path, {"$literal": {}}]}, {"$lt": [path, {"$literal": []}]}]}


def _all(tests):
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _any(tests):
    return tests[0] if len(tests) == 1 else {"$or": tests}


def _array_or_empty(path):
    """
    The array at ``path``, or [] for any other value: the array operators
    below then never see a non-array, in whatever order a server evaluates
    the branches around them.
    """
    return {"$cond": [{"$isArray": path}, path, []]}


def _object_or_empty(path):
    return {"$cond": [is_object(path), path, {"$literal": {}}]}


def contains(path, wanted, top=False, depth=0):
    """
    Whether the value at ``path`` contains ``wanted`` (PostgreSQL's @>): an
    object each of whose pairs it contains, an array each of whose elements
    one of its elements contains, or an equal scalar. At the top, an array
    also contains a scalar that is one of its elements.
    """
    if isinstance(wanted, dict):
        tests = [is_object(path)]
        tests += [contains(f"{path}.{check_key(key)}", item, depth=depth) for key, item in wanted.items()]
        return _all(tests)
    if isinstance(wanted, list):
        tests = [{"$isArray": path}]
        elements = _array_or_empty(path)
        name = VARIABLE.format(depth)
        for item in wanted:
            if isinstance(item, (dict, list)):
                # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/anyElementTrue/
                tests.append({"$anyElementTrue": [{"$map": {
                    "input": elements, "as": name, "in": contains("$$" + name, item, depth=depth + 1),
                }}]})
            else:
                tests.append({"$in": [{"$literal": item}, elements]})
        return _all(tests)
    equal = {"$eq": [path, {"$literal": wanted}]}
    if top:
        return {"$or": [equal, {"$in": [{"$literal": wanted}, _array_or_empty(path)]}]}
    return equal


def contained_by(path, allowed, top=False, depth=0):
    """Whether ``allowed`` contains the value at ``path`` (PostgreSQL's <@)."""
    if isinstance(allowed, dict):
        keys = [check_key(key) for key in allowed]
        own_keys = {"$map": {"input": {"$objectToArray": _object_or_empty(path)}, "in": "$$this.k"}}
        tests = [is_object(path), {"$setIsSubset": [own_keys, {"$literal": keys}]}]
        for key, item in allowed.items():
            # A key the value lacks is contained trivially.
            tests.append({"$or": [
                {"$not": [{"$in": [{"$literal": key}, own_keys]}]},
                contained_by(f"{path}.{key}", item, depth=depth),
            ]})
        return _all(tests)
    if isinstance(allowed, list):
        if not any(isinstance(item, (dict, list)) for item in allowed):
            # Scalars only: every element is one of them.
            # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/setIsSubset/
            each = {"$and": [{"$isArray": path}, {"$setIsSubset": [_array_or_empty(path), {"$literal": allowed}]}]}
        else:
            each = _each_element_contained(path, allowed, depth)
        if top:
            # At the top, an array contains a scalar that is one of its elements.
            return {"$or": [each, {"$and": [
                {"$not": [{"$isArray": path}]}, {"$not": [is_object(path)]},
                {"$in": [path, {"$literal": allowed}]},
            ]}]}
        return each
    return {"$eq": [path, {"$literal": allowed}]}


def _each_element_contained(path, allowed, depth):
    """Whether each element of the array at ``path`` is contained by an item of ``allowed``."""
    name = VARIABLE.format(depth)
    element = "$$" + name
    options = [contained_by(element, item, depth=depth + 1) for item in allowed]
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/allElementsTrue/
    return {"$and": [{"$isArray": path}, {"$allElementsTrue": [{"$map": {
        "input": _array_or_empty(path), "as": name, "in": _any(options) if options else False,
    }}]}]}


def json_array(node, compile):
    """JSON_ARRAY(a, b, ...) (Django's JSONArray): an array expression of the values, NULL kept as null."""
    if not node.args:
        return {"$literal": []}
    # An array of expressions is evaluated element by element; a missing
    # field becomes null in it.
    # https://www.mongodb.com/docs/v4.4/meta/aggregation-quick-reference/#expression-objects
    return [compile(arg) for arg in node.args]


def json_object_pairs(node):
    """
    Return the {key: value node} pairs of JSON_OBJECT('k1', v1, 'k2', v2, ...)
    in their order. The keys must be string literals that a MongoDB field
    name can be: they become the field names of an expression object.
    """
    if len(node.args) % 2:
        raise SQLDecodeError(f"JSON_OBJECT() with {len(node.args)} arguments (a key without a value)")
    pairs = {}
    for key, item in zip(node.args[::2], node.args[1::2]):
        if not isinstance(key, tree.Literal) or not isinstance(key.value, str):
            raise SQLDecodeError("JSON_OBJECT() with a key that is not a string constant")
        if key.value in pairs:
            # Databases disagree on which value wins: PostgreSQL's jsonb keeps
            # the last, MySQL the first.
            raise SQLDecodeError(f"JSON_OBJECT() with the key {key.value!r} twice")
        pairs[check_key(key.value)] = item
    return pairs


def json_object(node, compile):
    """
    JSON_OBJECT('k1', v1, ...) (Django's JSONObject): a document expression
    with the keys in their order and NULL values kept as null.
    """
    pairs = json_object_pairs(node)
    if not pairs:
        return {"$literal": {}}
    fields = {}
    for key, item in pairs.items():
        expression = compile(item)
        if not (isinstance(item, (tree.Param, tree.Literal)) or _is_func(item, dialect.JSON_OBJECT)
                or _is_func(item, "JSON_ARRAY")):
            # A field of an expression object whose value is missing (a
            # field absent from the document, an index past an array's end)
            # is left out of the object; SQL keeps the key with null.
            expression = {"$ifNull": [expression, None]}
        fields[key] = expression
    # The fields inside an operator are an expression object
    # (https://www.mongodb.com/docs/v4.4/meta/aggregation-quick-reference/#expression-objects).
    # Bare, as a $project field, they would be a nested projection, which
    # maps over the elements when the document has an array of that name.
    # https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/mergeObjects/
    return {"$mergeObjects": [fields]}


def _refuse_cast(node, compile):
    raise SQLDecodeError(
        "JSON_CAST(): CAST to JSONField of a value that is not JSON; MongoDB 4.4 cannot parse JSON text"
    )


def _refuse_text(node, compile):
    raise SQLDecodeError(
        "JSON_TEXT(): a whole JSONField as text (icontains on a JSONField); "
        "MongoDB 4.4 cannot write a document as JSON text"
    )


FUNCTIONS = {
    dialect.JSON_EXTRACT: json_extract,
    dialect.JSON_EXTRACT_TEXT: json_extract_text,
    dialect.JSON_HAS_KEY: json_has_key,
    dialect.JSON_CONTAINS: json_contains,
    "JSON_ARRAY": json_array,
    dialect.JSON_OBJECT: json_object,
    dialect.JSON_CAST: _refuse_cast,
    dialect.JSON_TEXT: _refuse_text,
}

DECODERS = {
    dialect.JSON_EXTRACT_TEXT: decode_text,
}

# Functions whose value a SELECT reads in another form, finished by its decoder.
OUTPUTS = {
    dialect.JSON_EXTRACT_TEXT: json_extract_value,
}

# Functions that yield SQL's truth values (true, false or null) themselves.
PREDICATES = frozenset({dialect.JSON_HAS_KEY, dialect.JSON_CONTAINS})

# Condition functions whose query-filter form predicates/truth.py uses first.
FILTERS = {
    dialect.JSON_HAS_KEY: has_key_filter,
}
