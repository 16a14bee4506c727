"""
Have Django's own JSONField write SQL that djongo's translator reads (and
Sum, which writes SUM_NOT_NULL for a NOT NULL column of its own table).

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
import os
import warnings

import django
from django.core.exceptions import EmptyResultSet
from django.db.models import Sum, Value, lookups as builtin
from django.db.models.expressions import Col, ExpressionList
from django.db.models.fields import json as django_json
from django.db.models.functions import Cast, JSONObject

try:
    from django.utils.deprecation import django_file_prefixes
except ImportError:  # Django 5.2, whose JSONExact warns of nothing
    django_file_prefixes = None

from djongo.exceptions import SQLDecodeError
from djongo.sql2mongo import dialect
from djongo.sql2mongo.bsonvalues import JSON_NULL

# The files of djongo, which a warning about the caller's code skips.
DJONGO_FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")


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


def _is_json_null(sql, params):
    """Return whether the compiled value ``sql``, ``params`` is JSON null (None is the deprecated spelling)."""
    return sql == "%s" and len(params) == 1 and (params[0] is None or params[0] is JSON_NULL)


def _json_null_sql(lookup, compiler, connection, lhs, lhs_params):
    """
    Write "``lookup``'s left side is JSON null". A key holding null: the
    key exists and its value is null; a missing key compares as SQL's NULL
    does, UNKNOWN, so that exclude(data__a=None) keeps only rows whose "a"
    is not null. The whole field: MongoDB has one null, so JSON null and
    SQL NULL are stored alike, and both match (docs/json-field.md).
    """
    if isinstance(lookup.lhs, django_json.KeyTransform):
        has_key, has_key_params = django_json.HasKeyOrArrayIndex(
            lookup.lhs.lhs, lookup.lhs.key_name,
        ).as_djongo(compiler, connection)
        sql = f"(({has_key} AND {lhs} IS NULL) OR (NOT {has_key} AND NULL))"
        return sql, (*has_key_params, *lhs_params, *has_key_params)
    return f"{lhs} IS NULL", tuple(lhs_params)


def _process_rhs_warning_the_caller(lookup, compiler, connection):
    """
    Return ``lookup.process_rhs()``, JSONExact's: JSON null comes as
    JSON_NULL (adapt_json_value), which it does not rewrite to the JSON
    text 'null' as it does None. Django 6.1 warns there that None for JSON
    null on the whole field is deprecated, naming as the caller the first
    frame outside Django, this module's: the warning is raised again
    naming the code that built the query.
    """
    if lookup.rhs is not None or isinstance(lookup.lhs, django_json.KeyTransform) or django.VERSION < (6, 1):
        return lookup.process_rhs(compiler, connection)
    # Only for the deprecated spelling: catch_warnings() changes the
    # warnings filters of the whole process while it runs.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        processed = lookup.process_rhs(compiler, connection)
    for warning in caught:
        warnings.warn(warning.message, skip_file_prefixes=(*django_file_prefixes(), DJONGO_FILES))
    return processed


def exact_as_djongo(self, compiler, connection):
    lhs, lhs_params = self.process_lhs(compiler, connection)
    rhs, rhs_params = _process_rhs_warning_the_caller(self, compiler, connection)
    is_key = isinstance(self.lhs, django_json.KeyTransform)
    if _is_json_null(rhs, rhs_params):
        return _json_null_sql(self, compiler, connection, lhs, lhs_params)
    if not is_key:
        # The whole value: a query filter's {"data": v} would also match
        # an array holding v.
        lhs = dialect.call(dialect.JSON_EXTRACT, lhs)
    return f"{lhs} = {rhs}", (*lhs_params, *rhs_params)


def in_as_djongo(self, compiler, connection):
    """
    Write ``data__in`` and ``data__k__in`` as IN of whole JSON values
    (JSON_EXTRACT(col), so that an array does not match by one of its
    elements), and a JSON null in the list (``JSONNull()``) as "is JSON
    null", which SQL's IN would never match.
    """
    if isinstance(self.rhs, ExpressionList):
        # A list holding expressions (JSONNull(), F()), its values wrapped in Value().
        items = self.rhs.get_source_expressions()
    elif self.rhs_is_direct_value():
        # In.process_rhs() leaves None out: NULL is in no list.
        items = [item for item in self.rhs if item is not None]
    else:
        return self.as_sql(compiler, connection)  # a subquery
    lhs, lhs_params = self.process_lhs(compiler, connection)
    if not items:
        raise EmptyResultSet
    sqls, params = self.batch_process_rhs(compiler, connection, items)
    kept_sqls, kept_params, has_null = [], [], False
    position = 0
    for sql in sqls:
        count = sql.count("%s")
        item_params = params[position:position + count]
        position += count
        if _is_json_null(sql, item_params):
            has_null = True
        else:
            kept_sqls.append(sql)
            kept_params.extend(item_params)
    parts, all_params = [], []
    if has_null:
        null_sql, null_params = _json_null_sql(self, compiler, connection, lhs, lhs_params)
        parts.append(null_sql)
        all_params.extend(null_params)
    if kept_sqls:
        value = lhs if isinstance(self.lhs, django_json.KeyTransform) else dialect.call(dialect.JSON_EXTRACT, lhs)
        parts.append(f"{value} IN ({', '.join(kept_sqls)})")
        all_params.extend((*lhs_params, *kept_params))
    return "(%s)" % " OR ".join(parts), tuple(all_params)


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


# The text of a date or a datetime, as the text lookups compare it
# (DatabaseOperations.lookup_cast): "1908-05-28", "2005-07-28 12:30:00".
DATE_TEXTS = {"DateField": dialect.DATE_TEXT, "DateTimeField": dialect.DATETIME_TEXT}


def cast_as_djongo(self, compiler, connection, **extra_context):
    """
    Write Cast(x, JSONField()) as x itself when x is a JSON value already
    (JSON_EXTRACT with no path, compared as a whole value): a JSONField or
    any field whose internal type is "JSONField", stored as JSON; and as
    JSON_CAST(x) otherwise: making JSON of text means parsing it, which
    MongoDB 4.4 cannot do, and the translator refuses it. Write a cast of a
    date or a datetime to text as the cast of its text, as SQL databases
    give it ("1908-05-28"): MongoDB's $toString of a BSON date writes the
    ISO form with milliseconds and a Z
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/toString/).
    Other casts are Django's CAST(x AS type).
    """
    source = self.get_source_expressions()[0]
    if self.output_field.get_internal_type() in ("CharField", "TextField"):
        source_field = source._output_field_or_none
        text = DATE_TEXTS.get(source_field.get_internal_type()) if source_field is not None else None
        if text is not None:
            sql, params = compiler.compile(source)
            db_type = self.output_field.cast_db_type(connection)
            return f"CAST({dialect.call(text, sql)} AS {db_type})", tuple(params)
    if not isinstance(self.output_field, django_json.JSONField):
        return self.as_sql(compiler, connection, **extra_context)
    sql, params = compiler.compile(source)
    # A field stored as a JSONField is JSON already, whatever its class
    # (Wagtail's StreamField subclasses Field and says "JSONField").
    source_field = source._output_field_or_none
    if source_field is not None and source_field.get_internal_type() == "JSONField":
        return dialect.call(dialect.JSON_EXTRACT, sql), tuple(params)
    return dialect.call(dialect.JSON_CAST, sql), tuple(params)


def sum_as_djongo(self, compiler, connection, **extra_context):
    """
    Write SUM of a NOT NULL column of the query's own table as SUM_NOT_NULL:
    each row has a value there, so the sum is NULL only over no rows, and
    MongoDB need not test each value for NULL (issue 23). A joined table's
    column may be NULL on a row of the outer join, and a filter's CASE
    makes NULLs: those keep SQL's SUM.
    """
    source = self.get_source_expressions()[0]
    if (not self.distinct and self.filter is None and isinstance(source, Col) and not source.target.null
            and source.alias == compiler.query.base_table):
        return self.as_sql(compiler, connection, function=dialect.SUM_NOT_NULL, **extra_context)
    return self.as_sql(compiler, connection, **extra_context)


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
    # The whole field's own IN lookup came with Django 6.1 (JSONIn); before
    # it, data__in was Django's In, which djongo leaves as it is.
    django_json.KeyTransformIn.as_djongo = in_as_djongo
    if hasattr(django_json, "JSONIn"):
        django_json.JSONIn.as_djongo = in_as_djongo
    django_json.JSONIContains.as_djongo = icontains_as_djongo
    builtin.IExact.as_djongo = iexact_as_djongo
    JSONObject.as_djongo = json_object_as_djongo
    Cast.as_djongo = cast_as_djongo
    Sum.as_djongo = sum_as_djongo
