"""
Have Django's own JSONField write SQL that djongo's translator reads.

Django asks a backend for a node's SQL through ``as_<vendor>`` methods
(https://docs.djangoproject.com/en/5.2/ref/models/expressions/#django.db.models.Func.as_sql).
``install()`` sets ``as_djongo`` on the JSONField transforms and lookups of
``django.db.models.fields.json``, so ``from django.db import models`` and
``djongo.models`` get the same native JSONField. The SQL functions they
write are translated by ``djongo/sql2mongo/translate/jsonfield.py``:

- key and index transforms: ``JSON_EXTRACT(col, 'a', 0)``, and
  ``JSON_EXTRACT_TEXT(...)`` for ``KT()``;
- ``has_key``, ``has_keys``, ``has_any_keys`` and ``key__isnull``:
  ``JSON_HAS_KEY(col, 'a', 'b')``, joined with AND / OR, or under NOT;
- ``exact``: ``JSON_EXTRACT(col) = %s``, so a whole array is not matched by
  one of its elements; ``None`` (JSON null) as ``IS NULL``;
- ``contains`` and ``contained_by``: Django's own ``JSON_CONTAINS``;
- ``regex`` and ``iregex`` on a key: Django's own ``JSON_EXTRACT_TEXT(...)
  REGEXP %s``, a regular expression on a computed value;
- ``JSONObject(k=v)``: ``JSON_OBJECT('k', v)``, its keys string literals;
- ``Cast(x, JSONField())``: ``JSON_EXTRACT(x)`` when ``x`` is JSON already,
  the value itself; ``JSON_CAST(x)``, which the translator refuses, when
  it is not.

Key names are written into the SQL as string literals, so that the
translator can build field paths from them once per SQL text; lookup values
stay parameters.
"""
from django.db.models import Value, lookups as builtin
from django.db.models.fields import json as django_json
from django.db.models.functions import Cast, JSONObject

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo import dialect


def _key_sql(key, index_allowed=True):
    """Write a key of a JSON path: an integer for an array index, else a string literal."""
    key = str(key)
    if index_allowed:
        try:
            index = int(key)
        except ValueError:
            pass
        else:
            # "01" or " 1" name object keys; only the integer's own
            # spelling is an index, as in Django's compile_json_path.
            if str(index) == key:
                return str(index)
    try:
        return dialect.literal(key)
    except ValueError:
        raise SQLDecodeError(f"JSON key {key!r} (a backslash before a quote)") from None


def _path_sql(keys, final_is_key=False):
    parts = [_key_sql(key) for key in keys[:-1]]
    if keys:
        parts.append(_key_sql(keys[-1], index_allowed=not final_is_key))
    return ", ".join(parts)


def key_transform_as_djongo(self, compiler, connection, function=dialect.JSON_EXTRACT):
    lhs, params, keys = self.preprocess_lhs(compiler, connection)
    return f"{function}({lhs}, {_path_sql(keys)})", tuple(params)


def key_text_transform_as_djongo(self, compiler, connection):
    return key_transform_as_djongo(self, compiler, connection, function=dialect.JSON_EXTRACT_TEXT)


def has_key_as_djongo(self, compiler, connection):
    """Write JSON_HAS_KEY(col, path) per key, joined by the lookup's AND / OR."""
    if isinstance(self.lhs, django_json.KeyTransform):
        lhs, lhs_params, lhs_keys = self.lhs.preprocess_lhs(compiler, connection)
    else:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        lhs_keys = []
    rhs = self.rhs if isinstance(self.rhs, (list, tuple)) else [self.rhs]
    # has_key's last key is a key even when it looks like a number; the
    # key__isnull lookup's (HasKeyOrArrayIndex) may be an array index.
    final_is_key = not isinstance(self, django_json.HasKeyOrArrayIndex)
    parts, params = [], []
    for key in rhs:
        if isinstance(key, django_json.KeyTransform):
            # has_key=F("data__a__b") asks for the path a.b, as in Django's
            # own backends.
            *_, rhs_keys = key.preprocess_lhs(compiler, connection)
        else:
            rhs_keys = [key]
        path = _path_sql([*lhs_keys, *rhs_keys], final_is_key=final_is_key)
        parts.append(dialect.call(dialect.JSON_HAS_KEY, lhs, path))
        params.extend(lhs_params)
    if self.logical_operator:
        return "(%s)" % self.logical_operator.join(parts), tuple(params)
    return "".join(parts), tuple(params)


def key_isnull_as_djongo(self, compiler, connection):
    """key__isnull=True: the key is absent (a key holding JSON null is not NULL)."""
    sql, params = django_json.HasKeyOrArrayIndex(self.lhs.lhs, self.lhs.key_name).as_djongo(compiler, connection)
    if self.rhs:
        return f"NOT {sql}", params
    return sql, params


def exact_as_djongo(self, compiler, connection):
    lhs, lhs_params = self.process_lhs(compiler, connection)
    # Exact's own rhs, without JSONExact's rewrite of None to the string
    # 'null' (a JSON text, which native storage does not use).
    rhs, rhs_params = builtin.Exact.process_rhs(self, compiler, connection)
    is_key = isinstance(self.lhs, django_json.KeyTransform)
    if rhs == "%s" and list(rhs_params) == [None]:
        # JSON null. A key holding null: the key exists and its value is
        # null. The whole field: MongoDB has one null, so JSON null and SQL
        # NULL are stored alike (docs/json-field.md).
        if is_key:
            has_key, has_key_params = django_json.HasKeyOrArrayIndex(
                self.lhs.lhs, self.lhs.key_name,
            ).as_djongo(compiler, connection)
            # A missing key compares as SQL's NULL does: UNKNOWN, so that
            # exclude(data__a=None) keeps only rows whose "a" is not null.
            sql = f"(({has_key} AND {lhs} IS NULL) OR (NOT {has_key} AND NULL))"
            return sql, (*has_key_params, *lhs_params, *has_key_params)
        return f"{lhs} IS NULL", tuple(lhs_params)
    if not is_key:
        # The whole value: a query filter's {"data": v} would also match
        # an array holding v.
        lhs = dialect.call(dialect.JSON_EXTRACT, lhs)
    return f"{lhs} = {rhs}", (*lhs_params, *rhs_params)


def icontains_as_djongo(self, compiler, connection):
    # icontains on the whole field compares its JSON text on SQL backends;
    # the translator refuses JSON_TEXT() with the reason.
    lhs, lhs_params = self.process_lhs(compiler, connection)
    rhs, rhs_params = self.process_rhs(compiler, connection)
    return f"{dialect.call(dialect.JSON_TEXT, lhs)} ILIKE {rhs}", (*lhs_params, *rhs_params)


def iexact_as_djongo(self, compiler, connection):
    """
    Compare case-insensitively with an expression (``name__iexact=F("x")``,
    a subquery) as PostgreSQL does, ``UPPER(lhs) = UPPER(rhs)``: its value
    is text to equal, not a LIKE pattern whose % and _ match anything. A
    value keeps ILIKE, with the wildcards Django escaped.
    """
    if type(self) is not builtin.IExact or not hasattr(self.rhs, "as_sql"):
        return self.as_sql(compiler, connection)
    lhs, lhs_params = self.process_lhs(compiler, connection)
    rhs, rhs_params = self.process_rhs(compiler, connection)
    return f"UPPER({lhs}) = UPPER({rhs})", (*lhs_params, *rhs_params)


def json_object_as_djongo(self, compiler, connection):
    """
    Write JSON_OBJECT('key', value, ...) with the keys as string literals
    rather than Django's parameters, so that the translator knows the
    field names of the document once per SQL text.
    """
    expressions = self.get_source_expressions()
    parts, params = [], []
    for key, item in zip(expressions[::2], expressions[1::2]):
        if isinstance(key, Value) and isinstance(key.value, str):
            key_sql, key_params = _key_sql(key.value, index_allowed=False), ()
        else:
            # The translator refuses a key that is not a constant.
            key_sql, key_params = compiler.compile(key)
        item_sql, item_params = compiler.compile(item)
        parts.append(f"{key_sql}, {item_sql}")
        params.extend((*key_params, *item_params))
    return dialect.call(dialect.JSON_OBJECT, *parts), tuple(params)


def cast_as_djongo(self, compiler, connection, **extra_context):
    """
    Write Cast(x, JSONField()) as x itself when x is a JSON value already
    (JSON_EXTRACT with no path, compared as a whole value), and as
    JSON_CAST(x) otherwise: making JSON of text means parsing it, which
    MongoDB 4.4 cannot do, and the translator refuses it. Other casts are
    Django's CAST(x AS type).
    """
    if not isinstance(self.output_field, django_json.JSONField):
        return self.as_sql(compiler, connection, **extra_context)
    source = self.get_source_expressions()[0]
    sql, params = compiler.compile(source)
    if isinstance(source._output_field_or_none, django_json.JSONField):
        return dialect.call(dialect.JSON_EXTRACT, sql), tuple(params)
    return dialect.call(dialect.JSON_CAST, sql), tuple(params)


def install():
    """
    Set the as_djongo methods on Django's JSONField transforms and lookups,
    on JSONObject, and on Cast (whose as_djongo changes only casts to
    JSONField).
    """
    django_json.KeyTransform.as_djongo = key_transform_as_djongo
    django_json.KeyTextTransform.as_djongo = key_text_transform_as_djongo
    django_json.HasKeyLookup.as_djongo = has_key_as_djongo
    django_json.KeyTransformIsNull.as_djongo = key_isnull_as_djongo
    django_json.JSONExact.as_djongo = exact_as_djongo
    django_json.JSONIContains.as_djongo = icontains_as_djongo
    builtin.IExact.as_djongo = iexact_as_djongo
    JSONObject.as_djongo = json_object_as_djongo
    Cast.as_djongo = cast_as_djongo
