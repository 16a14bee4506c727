"""
Translate SELECT into ``find``, ``count_documents`` or an ``aggregate`` pipeline.

``find`` when possible, ``aggregate`` when needed: a single-table select of
columns with a plain filter, sort, skip and limit is a ``find``; joins,
grouping, DISTINCT, computed columns and correlated subqueries need a
pipeline. Which one is a fact of the tree, decided before anything is
translated (``SelectTranslator.shape``).
"""
import dataclasses

from djongo.exceptions import SQLDecodeError

from .. import analysis, tree
from ..binding import Const
from ..commands import Aggregate, CountDocuments, Find
from . import aggregates, compound, expressions, windows
from .scope import GroupedScope, Scope, join_field
from .subqueries import Subqueries
from .values import is_value, not_null, row_count, value
from .where import MATCH_ALL, condition_filter

# SELECT without FROM reads one row from nowhere: an aggregate on any
# collection, even a missing one, whose $facet outputs exactly one document
# (https://www.mongodb.com/docs/manual/reference/operator/aggregation/facet/).
NO_TABLE = "__schema__"
ONE_ROW = [{"$limit": 1}, {"$facet": {"row": [{"$limit": 1}]}}, {"$project": {"row": 0}}]

# The shapes a SELECT can take.
SLICED_COUNT, COUNT, FIND, PIPELINE = "sliced count", "count", "find", "pipeline"


def translate_select(select):
    """Return the command that runs ``select``, a Select or a Compound."""
    return compound.select_command(select, SelectTranslator)


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
    """Translate one single-source SELECT; ``outer`` is the scope of the statement around a subquery."""

    def __init__(self, select, outer=None):
        if isinstance(select, tree.Compound):
            raise SQLDecodeError(f"{select.op} where one SELECT is expected")
        self.select = select
        source = select.source
        self.leading_stages = []
        if source is None:
            self.inner = None
            self.collection = NO_TABLE
            self.leading_stages = list(ONE_ROW)
            self.scope = Scope(None, outer=outer)
        elif isinstance(source, tree.DerivedTable):
            # FROM (SELECT ...) alias: the inner select's pipeline comes
            # first, and this select reads the fields it outputs.
            inner = source.select
            if isinstance(inner, tree.Compound):
                # Its rows are combined outside MongoDB: compound.select_command()
                # counts them, and nothing else can read them.
                raise SQLDecodeError(f"a SELECT from a {inner.op} other than COUNT(*)")
            self.inner = SelectTranslator(inner, outer=outer)
            self.collection = self.inner.collection
            self.scope = Scope(source.ref or "", None, outer=outer)
            if len(select.items) == 1 and select.items[0].expr in (tree.Star(), tree.Star(source.ref)):
                # SELECT * FROM (SELECT ...) alias, as Django filters on a
                # window (its "qualify" subquery): the inner select's columns.
                select = self.select = dataclasses.replace(select, items=tuple(
                    tree.SelectItem(tree.Column(name, source.ref)) for name in self.inner.names
                ))
        else:
            self.inner = None
            self.collection = source.name
            self.scope = Scope(source.ref, source.name, outer=outer)
        self.scope.subqueries = Subqueries(self.scope, SelectTranslator)
        for join in select.joins:
            self.scope.add_join(join.table.ref)
        self.names = tuple(_item_name(item) for item in select.items)

    # Choosing the command ----------------------------------------------------

    def shape(self):
        """Return the form this SELECT takes: SLICED_COUNT, COUNT, FIND or PIPELINE."""
        select = self.select
        if analysis.has_correlated_subquery(select):
            # A subquery reading this select's rows needs a $lookup stage.
            return PIPELINE
        plain = not select.joins and select.where is None and not select.group_by and select.counts_rows()
        if plain and self.inner is not None and self.inner.shape() == FIND:
            # Django's count() of a sliced queryset: SELECT COUNT(*) FROM (SELECT ... LIMIT n) subquery.
            return SLICED_COUNT
        if (self.inner is None and select.source is not None and not select.joins and not select.group_by
                and not select.distinct and select.counts_rows() and select.having is None
                and select.limit is None and select.offset is None):
            return COUNT
        if self._findable():
            return FIND
        return PIPELINE

    def command(self):
        shape = self.shape()
        if shape == SLICED_COUNT:
            find = self.inner.find()
            return CountDocuments(find.collection, find.filter, find.skip, find.limit, self.names)
        if shape == COUNT:
            return CountDocuments(self.collection, self._filter(self.select.where), names=self.names)
        if shape == FIND:
            return self.find()
        return self.aggregate()

    def aggregate(self):
        """Return the Aggregate command of the pipeline path."""
        pipeline, columns = self.pipeline()
        decoders = tuple(expressions.decoder(item.expr) for item in self.select.items)
        if not any(decoders):
            decoders = ()
        return Aggregate(self.collection, pipeline, columns, self.names, decoders)

    def _findable(self):
        select = self.select
        if select.source is None or self.inner is not None or select.joins or select.group_by or select.having is not None or select.distinct:
            return False
        for item in select.items:
            expr = item.expr
            if not (isinstance(expr, tree.Column) and self.scope.is_local(expr) or is_value(expr)
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
        return Find(
            self.collection, self._filter(select.where), projection, tuple(self._sort_keys().items()),
            row_count(select.offset), row_count(select.limit), tuple(columns),
            () if projection is None else self.names,
        )

    def _order_path(self, order):
        """Return the field path an ORDER BY item sorts on, or None if it needs computing."""
        if not _natural_nulls(order):
            return None
        expr = self._resolve_order_expr(order.expr)
        if isinstance(expr, tree.Column) and self.scope.is_local(expr):
            return self.scope.path(expr)
        return None

    def _resolve_order_expr(self, expr):
        """Resolve ORDER BY aliases and positions to the select item's expression."""
        position = analysis.order_position(expr, len(self.select.items))
        if position is None:
            position = analysis.aliased_position(expr, self.select.items)
        return expr if position is None else self.select.items[position].expr

    # aggregate -------------------------------------------------------------

    def pipeline(self):
        """Return (pipeline, output columns) of the aggregate path."""
        select = self.select
        if any(isinstance(item.expr, tree.Star) for item in select.items):
            raise SQLDecodeError("SELECT * with joins, grouping or DISTINCT")
        stages = self._source_stages()
        early, late = self._split_where()
        stages.extend(self._match(early))
        grouped = bool(select.group_by) or select.distinct or select.having is not None \
            or any(analysis.contains_aggregate(item.expr) for item in select.items)
        windowed = self._windows()
        sort_on_paths = not grouped and not windowed and all(self._order_path(order) is not None for order in select.order_by)
        # Sorting on the FROM table's own fields before the $lookup stages
        # lets MongoDB serve the sort from an index and stop early: $lookup
        # and $unwind keep the order of the documents they receive.
        sort_first = sort_on_paths and select.joins and all(
            self.scope.owner(self._resolve_order_expr(order.expr)) == self.scope.base_ref
            for order in select.order_by
        )
        # After joins that keep every row exactly once, the slice may come first too.
        slice_first = sort_first and late is None and self._joins_keep_rows()
        if sort_first:
            stages.extend(self._sort_stages())
        if slice_first:
            stages.extend(self._slice_stages())
        for join in select.joins:
            stages.extend(self._join_stages(join))
        if select.joins and (grouped or (select.order_by and not sort_first)):
            # A $lookup brings whole documents; before a stage that holds
            # every row ($group, $sort), keep only the fields still read.
            stages.append(self._keep_read_fields(late))
        stages.extend(self._match(late))
        if windowed and select.distinct and not select.group_by:
            # SELECT DISTINCT applies to the rows the windows computed.
            stages.extend(self._window_stages(windowed, self.scope))
            windowed = []
        if grouped:
            group_stages, scope = self._group_stages()
            stages.extend(group_stages)
            if select.having is not None:
                having = expressions.condition(select.having, scope)
                stages.extend(scope.subqueries.take_pending())
                stages.append({"$match": {"$expr": {"$eq": [having, True]}}})
        else:
            scope = self.scope
        if windowed:
            # Windows read the rows WHERE, the joins and GROUP BY leave, and
            # only add fields to them: ORDER BY and the slice come after.
            stages.extend(self._window_stages(windowed, scope))
        columns = tuple(f"c{index}" for index in range(len(select.items)))
        project = {"_id": 0}
        for column, item in zip(columns, select.items):
            project[column] = expressions.output(item.expr, scope)
        if sort_on_paths:
            # Sorting and slicing before computing the columns lets MongoDB
            # compute only the rows it returns.
            stages.extend(self.scope.subqueries.take_pending())
            if not sort_first:
                stages.extend(self._sort_stages())
            if not slice_first:
                stages.extend(self._slice_stages())
            stages.append({"$project": project})
        else:
            sort = self._computed_sort(project, columns, scope)
            stages.extend(scope.subqueries.take_pending())
            stages.append({"$project": project})
            if select.distinct and select.group_by:
                # DISTINCT applies to the grouped rows: group them again on
                # every output field.
                stages.append({"$group": {"_id": {name: f"${name}" for name in project if name != "_id"}}})
                stages.append({"$replaceRoot": {"newRoot": "$_id"}})
            if sort:
                stages.append({"$sort": sort})
            stages.extend(self._slice_stages())
        return stages, columns

    def _windows(self):
        """Return the window expressions the select list and ORDER BY compute, each once."""
        select = self.select
        found = list(dict.fromkeys(analysis.windows(
            [item.expr for item in select.items] + [self._resolve_order_expr(order.expr) for order in select.order_by]
        )))
        if found and select.distinct and not select.group_by and any(
                analysis.contains_aggregate(item.expr) for item in select.items):
            raise SQLDecodeError("SELECT DISTINCT of aggregates with a window function")
        clauses = (("WHERE", [select.where]), ("GROUP BY", select.group_by), ("HAVING", [select.having]))
        for clause, parts in clauses:
            if next(analysis.windows(parts), None) is not None:
                raise SQLDecodeError(f"window function in {clause}")
        return found

    def _window_stages(self, windowed, scope):
        """Return the stages computing ``windowed``; ``scope`` then reads each window's field."""
        window_stages, replacements = windows.window_stages(
            windowed, scope, lambda node: expressions.translate(node, scope),
        )
        scope.windows = replacements
        return [*scope.subqueries.take_pending(), *window_stages]

    def _source_stages(self):
        """Return the stages that produce the FROM rows: a derived table's own pipeline, or none."""
        if self.inner is None:
            return list(self.leading_stages)
        stages, columns = self.inner.pipeline()
        self.scope.fields = dict(zip(self.inner.names, columns))
        # The derived table's own outer references are this select's too.
        self.scope.variables = self.inner.scope.variables
        return stages

    def _keep_read_fields(self, late):
        """Return the $project keeping the fields that ``late`` and the clauses after WHERE read."""
        select = self.select
        parts = [late, *(item.expr for item in select.items), *select.group_by, select.having]
        parts += [self._resolve_order_expr(order.expr) for order in select.order_by]
        paths = set()
        for part in parts:
            columns = list(analysis.columns(part))
            columns += [column for inner in analysis.subqueries(part) for column in analysis.outer_columns(inner)]
            paths.update(self.scope.path(column) for column in columns if self.scope.is_local(column))
        # Subqueries matched before the joins may be read again after them.
        paths.update(self.scope.subqueries.fields())
        project = {path: 1 for path in sorted(paths)}
        if "_id" not in project:
            project["_id"] = 0 if project else 1
        return {"$project": project}

    def _sort_keys(self):
        """Return the sort document of an ORDER BY on field paths (every item has one)."""
        # A key sorted on again later cannot change the order: the first says it all.
        sort = {}
        for order in self.select.order_by:
            sort.setdefault(self._order_path(order), -1 if order.descending else 1)
        return sort

    def _sort_stages(self):
        sort = self._sort_keys()
        return [{"$sort": sort}] if sort else []

    def _joins_keep_rows(self):
        """Does every join give each row exactly one row: a LEFT join into a unique column?"""
        return all(
            join.kind == "LEFT" and (pair := self._equi_join_pair(join)) is not None
            and tree.Column(pair[1], join.table.ref) in join.unique
            for join in self.select.joins
        )

    def _match(self, condition):
        """
        Return the stages matching ``condition``: first a $match on its
        conjuncts that need no $lookup, then the $lookups of correlated
        subqueries and a $match on the rest, so those run on fewer rows.
        """
        if condition is None:
            return []
        plain, correlated = [], []
        refs = analysis.table_refs(self.select)
        for conjunct in analysis.conjuncts(condition):
            (correlated if analysis.subquery_reads(conjunct, refs) else plain).append(conjunct)
        stages = []
        for part in (plain, correlated):
            if part:
                filter_ = condition_filter(analysis.conjunction(part), self.scope)
                stages.extend(self.scope.subqueries.take_pending())
                stages.append({"$match": filter_})
        return stages

    def _computed_sort(self, project, columns, scope):
        """Add the ORDER BY keys to ``project`` and return the $sort document on them."""
        sort = {}
        items = [item.expr for item in self.select.items]
        for index, order in enumerate(self.select.order_by):
            expr = self._resolve_order_expr(order.expr)
            if expr in items:
                key = columns[items.index(expr)]
                computed = project[key]
            else:
                key = f"__o{index}"
                computed = expressions.translate(expr, scope)
                project[key] = computed
            direction = -1 if order.descending else 1
            if not _natural_nulls(order):
                # A key that is 1 for NULL sorts NULLs after the rest, 0 before.
                nulls = f"__n{index}"
                project[nulls] = {"$cond": [expressions.is_null(computed), int(order.nulls == "LAST"), 1 - int(order.nulls == "LAST")]}
                sort.setdefault(nulls, 1)
            sort.setdefault(key, direction)
        return sort

    def _split_where(self):
        """
        Split WHERE into the part that reads the FROM table alone (matched
        before any join), subqueries included, and the rest.
        """
        where = self.select.where
        if where is None or not self.select.joins:
            return where, None
        refs = analysis.table_refs(self.select)
        early, late = [], []
        for conjunct in analysis.conjuncts(where):
            if analysis.referenced_tables(conjunct, refs) <= {self.scope.base_ref, None}:
                early.append(conjunct)
            else:
                late.append(conjunct)
        return analysis.conjunction(early), analysis.conjunction(late)

    def _join_stages(self, join):
        """Return the ``$lookup`` and ``$unwind`` stages of one join."""
        ref = join.table.ref
        as_field = join_field(ref)
        pair = self._equi_join_pair(join)
        stages = []
        if pair is not None:
            local, foreign = pair
            lookup = {"$lookup": {
                "from": join.table.name, "localField": local, "foreignField": foreign, "as": as_field,
            }}
            # $lookup matches a null or missing local value to foreign
            # documents whose field is null or missing; SQL's NULL = NULL is
            # never true. An INNER join drops such rows before looking
            # anything up; a LEFT join keeps them with no match.
            if join.kind == "INNER":
                stages += [{"$match": {local: {"$ne": None}}}, lookup]
            else:
                stages += [lookup, {"$addFields": {as_field: {"$cond": [
                    not_null("$" + local), "$" + as_field, [],
                ]}}}]
        else:
            stages.append(self._pipeline_lookup(join, as_field))
        if join.kind == "LEFT":
            stages.append({"$unwind": {"path": "$" + as_field, "preserveNullAndEmptyArrays": True}})
        else:
            stages.append({"$unwind": "$" + as_field})
        return stages

    def _equi_join_pair(self, join):
        """Return (local path, foreign field) when ON is one equality of a column of each side, else None."""
        pair = analysis.join_equality(join)
        if pair is None or not self.scope.is_local(pair[0]):
            return None
        near, far = pair
        return self.scope.path(near), far.name

    def _pipeline_lookup(self, join, as_field):
        """
        Join with ``let`` and a sub-pipeline matching the whole ON condition:
        the joined table's columns are its fields, the other tables' columns
        are variables.
        """
        inner = Scope(join.table.ref, join.table.name, outer=self.scope)
        inner.subqueries = Subqueries(inner, SelectTranslator)
        filter_ = condition_filter(join.on, inner)
        return {"$lookup": {
            "from": join.table.name, "let": dict(inner.variables),
            "pipeline": [*inner.subqueries.take_pending(), {"$match": filter_}], "as": as_field,
        }}

    def _group_stages(self):
        """Return the ``$group`` stages and the scope in which grouped values are read."""
        select = self.select
        keys = list(select.group_by)
        if select.distinct and not keys:
            keys.extend(item.expr for item in select.items if not analysis.contains_aggregate(item.expr))
        keys = list(dict.fromkeys(keys))
        # $ifNull makes a missing field and null one group key, as both are
        # NULL in SQL. One key is the _id itself: grouping on a document
        # costs more than grouping on a value.
        key_values = [{"$ifNull": [expressions.translate(key, self.scope), None]} for key in keys]
        if len(keys) == 1:
            group = {"_id": key_values[0]}
            replacements = {keys[0]: "$_id"}
        else:
            group = {"_id": {f"k{index}": key_value for index, key_value in enumerate(key_values)} or None}
            replacements = {key: f"$_id.k{index}" for index, key in enumerate(keys)}
        sources = [item.expr for item in select.items] + [select.having]
        sources += [self._resolve_order_expr(order.expr) for order in select.order_by]
        funcs = list(dict.fromkeys(analysis.aggregates(sources)))
        defaults = {}
        compile_ = lambda arg: expressions.translate(arg, self.scope)  # noqa: E731
        for index, func in enumerate(funcs):
            replacements[func] = aggregates.accumulate(func, f"a{index}", group, defaults, compile_)
        grouping = [*self._aggregate_order_stages(funcs), {"$group": group}]
        stages = self.scope.subqueries.take_pending()
        if keys:
            stages.extend(grouping)
        else:
            # Without GROUP BY, SQL returns one row even for no input rows.
            # $facet always outputs one document, holding the group's output
            # or nothing (https://www.mongodb.com/docs/manual/reference/operator/aggregation/facet/).
            stages += [
                {"$facet": {"g": grouping}},
                {"$replaceRoot": {"newRoot": {"$ifNull": [{"$arrayElemAt": ["$g", 0]}, defaults]}}},
            ]
        return stages, GroupedScope(self.scope, replacements)

    def _aggregate_order_stages(self, funcs):
        """
        Return the stages that put the rows in the order of the aggregates'
        own ORDER BY (``STRING_AGG(x, ',' ORDER BY y)``) before the $group:
        $push collects values in the order the documents enter the $group
        (https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/push/).
        One $sort serves one order, so aggregates ordered differently are
        refused.
        """
        orders = {func.order_by for func in funcs if func.order_by and func.name in aggregates.ORDERED}
        if not orders:
            return []
        if len(orders) > 1:
            raise SQLDecodeError("aggregates with different ORDER BY in one SELECT")
        computed, sort = {}, {}
        for order in orders.pop():
            expr = order.expr
            if _natural_nulls(order) and isinstance(expr, tree.Column) and self.scope.is_local(expr):
                key = self.scope.path(expr)
            else:
                key = self.scope.unique_name("__ao")
                computed[key] = expressions.translate(expr, self.scope)
                if not _natural_nulls(order):
                    # A key that is 1 for NULL sorts NULLs after the rest, 0 before.
                    last = int(order.nulls == "LAST")
                    nulls = self.scope.unique_name("__an")
                    computed[nulls] = {"$cond": [expressions.is_null(computed[key]), last, 1 - last]}
                    sort.setdefault(nulls, 1)
            sort.setdefault(key, -1 if order.descending else 1)
        return [{"$addFields": computed}, {"$sort": sort}] if computed else [{"$sort": sort}]

    def _slice_stages(self):
        stages = []
        if self.select.offset is not None:
            stages.append({"$skip": row_count(self.select.offset)})
        if self.select.limit is not None:
            stages.append({"$limit": row_count(self.select.limit)})
        return stages


def _natural_nulls(order):
    # MongoDB sorts null and missing values first in ascending order and
    # last in descending order
    # (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
    return order.nulls is None or order.nulls == ("LAST" if order.descending else "FIRST")
