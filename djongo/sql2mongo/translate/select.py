"""
Translate SELECT into ``find``, ``count_documents`` or an ``aggregate`` pipeline.

``find`` when possible, ``aggregate`` when needed: a single-table select of
columns with a plain filter, sort, skip and limit is a ``find``; joins,
grouping, DISTINCT and computed columns need a pipeline.
"""
from djongo.exceptions import SQLDecodeError

from .. import tree
from ..commands import Aggregate, Const, CountDocuments, Find
from . import expressions
from .scope import Scope, join_field
from .values import is_value, value
from .where import MATCH_ALL, condition_filter

AGGREGATES = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX"})


def translate_select(select):
    """Return the command that runs ``select``."""
    if isinstance(select, tree.Compound):
        raise SQLDecodeError(f"{select.op} of SELECTs")
    if select.source is None:
        raise SQLDecodeError("SELECT without FROM")
    return SelectTranslator(select).command()


def _is_count_star_only(select):
    return (
        len(select.items) == 1
        and _is_count_star(select.items[0].expr)
    )


def _is_count_star(expr):
    return (
        isinstance(expr, tree.Func) and expr.name == "COUNT" and not expr.distinct
        and len(expr.args) == 1 and isinstance(expr.args[0], tree.Star) and expr.args[0].table is None
    )


def _is_aggregate(expr):
    return isinstance(expr, tree.Func) and expr.name in AGGREGATES


def _item_name(item):
    if item.alias:
        return item.alias
    expr = item.expr
    if isinstance(expr, tree.Column):
        return expr.name
    if isinstance(expr, tree.Literal):
        return str(expr.value)
    if isinstance(expr, tree.Func):
        return f"{expr.name}(...)"
    return "?column?"


class SelectTranslator:
    """Translate one single-source SELECT."""

    def __init__(self, select):
        self.select = select
        source = select.source
        self.leading_stages = []
        if isinstance(source, tree.DerivedTable):
            # FROM (SELECT ...) alias: the inner select's pipeline comes
            # first, and this select reads the fields it outputs.
            inner = source.select
            if isinstance(inner, tree.Compound):
                raise SQLDecodeError(f"{inner.op} in a subquery in FROM")
            inner_translator = SelectTranslator(inner)
            stages, columns, _ = inner_translator.pipeline()
            self.inner = inner_translator
            self.leading_stages = stages
            self.collection = inner_translator.collection
            fields = {name: column for name, column in zip(inner_translator.names, columns)}
            self.scope = Scope(source.ref or "", None, fields)
        else:
            self.inner = None
            self.collection = source.name
            self.scope = Scope(source.ref, source.name)
        for join in select.joins:
            self.scope.add_join(join.table.ref)
        self.names = tuple(_item_name(item) for item in select.items)

    # Choosing the command ----------------------------------------------------

    def command(self):
        select = self.select
        if self.inner is not None and self.inner.can_find() and _is_count_star_only(select) \
                and not select.joins and select.where is None and not select.group_by:
            # Django's count() of a sliced queryset: SELECT COUNT(*) FROM (SELECT ... LIMIT n) subquery.
            find = self.inner.find()
            return CountDocuments(find.collection, find.filter, find.skip, find.limit, self.names)
        if self.inner is None and not select.joins and not select.group_by and not select.distinct \
                and _is_count_star_only(select) \
                and select.having is None and select.limit is None and select.offset is None:
            return CountDocuments(self.collection, self._filter(select.where), names=self.names)
        if self.can_find():
            return self.find()
        pipeline, columns, empty_row = self.pipeline()
        decoders = tuple(expressions.decoder(item.expr) for item in select.items)
        if not any(decoders):
            decoders = ()
        return Aggregate(self.collection, pipeline, columns, self.names, empty_row, decoders)

    def can_find(self):
        select = self.select
        if self.inner is not None or select.joins or select.group_by or select.having is not None or select.distinct:
            return False
        for item in select.items:
            expr = item.expr
            if not (isinstance(expr, tree.Column) or is_value(expr)
                    or (isinstance(expr, tree.Star) and len(select.items) == 1)):
                return False
        return all(self._order_path(order) is not None for order in select.order_by)

    def _filter(self, where):
        return MATCH_ALL if where is None else condition_filter(where, self.scope)

    # find ------------------------------------------------------------------

    def find(self):
        select = self.select
        columns = []
        projection = {}
        if isinstance(select.items[0].expr, tree.Star):
            projection = None
        else:
            for item in select.items:
                expr = item.expr
                if isinstance(expr, tree.Column):
                    path = self.scope.path(expr)
                    projection[path] = 1
                    columns.append(path)
                else:
                    columns.append(Const(value(expr)))
            if "_id" not in projection:
                projection["_id"] = 0
        sort = tuple(
            (self._order_path(order), -1 if order.descending else 1) for order in select.order_by
        )
        return Find(
            self.collection, self._filter(select.where), projection, sort,
            _count(select.offset), _count(select.limit), tuple(columns),
            () if projection is None else self.names,
        )

    def _order_path(self, order):
        """Return the field path an ORDER BY item sorts on, or None if it needs computing."""
        if not self._natural_nulls(order):
            return None
        expr = self._resolve_order_expr(order.expr)
        if isinstance(expr, tree.Column):
            return self.scope.path(expr)
        return None

    @staticmethod
    def _natural_nulls(order):
        # MongoDB sorts null and missing values first in ascending order and
        # last in descending order
        # (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
        return order.nulls is None or order.nulls == ("LAST" if order.descending else "FIRST")

    def _resolve_order_expr(self, expr):
        """Resolve ORDER BY aliases and positions to the select item's expression."""
        if isinstance(expr, tree.Literal) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
            if not 1 <= expr.value <= len(self.select.items):
                raise SQLDecodeError(f"ORDER BY position {expr.value}")
            return self.select.items[expr.value - 1].expr
        if isinstance(expr, tree.Column) and expr.table is None:
            for item in self.select.items:
                if item.alias == expr.name:
                    return item.expr
        return expr

    # aggregate -------------------------------------------------------------

    def pipeline(self):
        """Return (pipeline, output columns, row for no input) of the aggregate path."""
        select = self.select
        if select.having is not None:
            raise SQLDecodeError("HAVING")
        if any(isinstance(item.expr, tree.Star) for item in select.items):
            raise SQLDecodeError("SELECT * with joins, grouping or DISTINCT")
        stages = list(self.leading_stages)
        early, late = self._split_where()
        if early is not None:
            stages.append({"$match": condition_filter(early, self.scope)})
        for join in select.joins:
            stages.extend(self._join_stages(join))
        if late is not None:
            stages.append({"$match": condition_filter(late, self.scope)})
        grouped = bool(select.group_by) or select.distinct or any(_is_aggregate(i.expr) for i in select.items)
        if grouped:
            group_stages, empty_row = self._group_stages()
            stages.extend(group_stages)
            stages.extend(self._sort_stage(self._output_key))
            stages.extend(self._slice_stages())
        else:
            empty_row = None
            stages.extend(self._sort_stage(lambda expr: self._path_or_none(expr)))
            stages.extend(self._slice_stages())
            project = {"_id": 0}
            for index, item in enumerate(select.items):
                project[f"c{index}"] = expressions.translate(item.expr, self.scope)
            stages.append({"$project": project})
        columns = tuple(f"c{index}" for index in range(len(select.items)))
        return stages, columns, empty_row

    def _split_where(self):
        """Split WHERE into the part on the FROM table alone (matched before any join) and the rest."""
        where = self.select.where
        if where is None or not self.select.joins:
            return where, None
        conjuncts = where.items if isinstance(where, tree.And) else (where,)
        early, late = [], []
        for conjunct in conjuncts:
            owners = {self.scope.owner(column) for column in _columns(conjunct)}
            (early if owners <= {self.scope.base_ref} else late).append(conjunct)
        return _conjunction(early), _conjunction(late)

    def _join_stages(self, join):
        """Return the ``$lookup`` and ``$unwind`` stages of one join."""
        ref = join.table.ref
        pairs = self._equi_join_pairs(join)
        as_field = join_field(ref)
        if len(pairs) == 1:
            local, foreign = pairs[0]
            lookup = {"$lookup": {
                "from": join.table.name, "localField": local,
                "foreignField": foreign, "as": as_field,
            }}
        else:
            lookup = {"$lookup": {
                "from": join.table.name,
                "let": {f"v{index}": "$" + local for index, (local, _) in enumerate(pairs)},
                "pipeline": [{"$match": {"$expr": {"$and": [
                    {"$eq": ["$" + foreign, f"$$v{index}"]} for index, (_, foreign) in enumerate(pairs)
                ]}}}],
                "as": as_field,
            }}
        stages = [lookup]
        # $lookup matches a null or missing local value to foreign documents
        # whose field is null or missing; SQL's NULL = NULL is never true, so
        # such matches are dropped.
        locals_ = [local for local, _ in pairs]
        stages.append({"$addFields": {as_field: {"$cond": [
            {"$and": [expressions.not_null("$" + local) for local in locals_]}, "$" + as_field, [],
        ]}}})
        if join.kind == "LEFT":
            stages.append({"$unwind": {"path": "$" + as_field, "preserveNullAndEmptyArrays": True}})
        else:
            stages.append({"$unwind": "$" + as_field})
        return stages

    def _equi_join_pairs(self, join):
        """Return the (local path, foreign field) pairs of an ON made of column equalities."""
        ref = join.table.ref
        conjuncts = join.on.items if isinstance(join.on, tree.And) else (join.on,)
        pairs = []
        for condition in conjuncts:
            if not (isinstance(condition, tree.Comparison) and condition.op == "="
                    and isinstance(condition.left, tree.Column) and isinstance(condition.right, tree.Column)):
                raise SQLDecodeError("JOIN condition other than column equalities")
            left, right = condition.left, condition.right
            if self.scope.owner(left) == ref:
                left, right = right, left
            if self.scope.owner(right) != ref or self.scope.owner(left) == ref:
                raise SQLDecodeError("JOIN condition that does not link the joined table")
            pairs.append((self.scope.path(left), right.name))
        return pairs

    def _group_stages(self):
        """Return the ``$group`` and ``$project`` stages, and the row SQL returns for no input."""
        select = self.select
        keys = list(select.group_by)
        if select.distinct:
            keys.extend(item.expr for item in select.items if not _is_aggregate(item.expr))
        # $ifNull makes a missing field and null one group key, as both are NULL in SQL.
        group_id = {
            f"k{index}": {"$ifNull": [expressions.translate(key, self.scope), None]}
            for index, key in enumerate(keys)
        }
        group = {"_id": group_id or None}
        project = {"_id": 0}
        empty = []
        for index, item in enumerate(select.items):
            expr = item.expr
            name = f"c{index}"
            if _is_aggregate(expr):
                project[name] = self._accumulate(expr, name, group)
                empty.append(0 if expr.name == "COUNT" else None)
            elif expr in keys:
                project[name] = f"$_id.k{keys.index(expr)}"
            elif is_value(expr):
                project[name] = expressions.translate(expr, self.scope)
                empty.append(value(expr))
            else:
                raise SQLDecodeError("selected column that is neither grouped nor aggregated")
        empty_row = tuple(empty) if not keys and len(empty) == len(select.items) else None
        return [{"$group": group}, {"$project": project}], empty_row

    def _accumulate(self, func, name, group):
        """Add the accumulators of aggregate ``func`` to ``group``; return its output expression."""
        if func.name == "COUNT" and func.args and isinstance(func.args[0], tree.Star):
            group[name] = {"$sum": 1}
            return f"${name}"
        if len(func.args) != 1:
            raise SQLDecodeError(f"{func.name}() with {len(func.args)} arguments")
        arg = expressions.translate(func.args[0], self.scope)
        if func.distinct:
            if func.name != "COUNT":
                raise SQLDecodeError(f"{func.name}(DISTINCT ...)")
            group[name] = {"$addToSet": arg}
            return {"$size": {"$setDifference": [f"${name}", [None]]}}
        if func.name == "COUNT":
            group[name] = {"$sum": {"$cond": [expressions.not_null(arg), 1, 0]}}
            return f"${name}"
        if func.name == "SUM":
            # $sum of no values is 0; SQL's SUM of no non-NULL values is NULL.
            group[name] = {"$sum": arg}
            group[name + "_n"] = {"$sum": {"$cond": [expressions.not_null(arg), 1, 0]}}
            return {"$cond": [{"$eq": [f"${name}_n", 0]}, None, f"${name}"]}
        group[name] = {"$" + func.name.lower(): arg}  # $avg, $min, $max ignore nulls
        return f"${name}"

    def _output_key(self, expr):
        """Return the output field an ORDER BY expression of a grouped select sorts on."""
        for index, item in enumerate(self.select.items):
            if item.expr == expr:
                return f"c{index}"
        return None

    def _path_or_none(self, expr):
        if isinstance(expr, tree.Column):
            return self.scope.path(expr)
        return None

    def _sort_stage(self, key_of):
        sort = {}
        for order in self.select.order_by:
            key = key_of(self._resolve_order_expr(order.expr)) if self._natural_nulls(order) else None
            if key is None:
                raise SQLDecodeError("ORDER BY an expression or with NULLS FIRST/LAST")
            sort.setdefault(key, -1 if order.descending else 1)
        return [{"$sort": sort}] if sort else []

    def _slice_stages(self):
        stages = []
        if self.select.offset is not None:
            stages.append({"$skip": _count(self.select.offset)})
        if self.select.limit is not None:
            stages.append({"$limit": _count(self.select.limit)})
        return stages


def _count(node):
    """Return LIMIT or OFFSET as an int or a Slot."""
    return None if node is None else value(node)


def _columns(node):
    """Yield the Column nodes inside a condition or expression."""
    if isinstance(node, tree.Column):
        yield node
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _columns(item)
    elif hasattr(node, "__dataclass_fields__") and not isinstance(node, (tree.Select, tree.Compound)):
        for name in node.__dataclass_fields__:
            yield from _columns(getattr(node, name))


def _conjunction(conditions):
    if not conditions:
        return None
    if len(conditions) == 1:
        return conditions[0]
    return tree.And(tuple(conditions))
