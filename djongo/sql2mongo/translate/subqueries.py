"""
Place the subqueries of a statement: run them first, or join them in.

An uncorrelated subquery (one that reads no column of the statement around
it) runs once, before its statement, and its rows are bound into the
statement like a parameter: ``x IN (SELECT ...)`` becomes a plain ``$in``
filter that can use an index. A correlated subquery (Django's OuterRef)
becomes a ``$lookup`` stage with ``let`` variables for the outer columns
and a sub-pipeline; the statement then reads the joined array
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/#join-conditions-and-subqueries-on-a-joined-collection).
"""
import weakref

from djongo.exceptions import SQLDecodeError

from .. import analysis, tree
from ..binding import PreRun
from . import compound
from .values import value


class Subqueries:
    """The subqueries met while translating one scope's conditions and expressions."""

    def __init__(self, scope, translator_class):
        # The scope holds its Subqueries: a weak reference back keeps the
        # pair out of the cycle collector's work on every translation.
        self._scope = weakref.ref(scope)
        # The SELECT translator (select.SelectTranslator), given rather
        # than imported: select.py imports this module to place its own
        # subqueries, so importing it here would be an import cycle.
        self.translator_class = translator_class
        self.pending = []  # $lookup stages the statement must run before it reads them
        self._placed = {}  # (select, rows read) -> PreRun command or lookup field

    @property
    def scope(self):
        return self._scope()

    def _place(self, select, rows="all"):
        """
        Return the inner command of an uncorrelated subquery, or the field of
        a correlated one; ``rows`` says what the statement reads: "all" the
        rows, "any" (whether there are some) or the "first".
        """
        key = (select, rows)
        if key not in self._placed:
            if isinstance(select, tree.Compound):
                self._placed[key] = self._place_compound(select, rows)
            elif compound.counts_compound(select):
                self._placed[key] = compound.select_command(select, self._translator)
            elif not analysis.is_correlated(select):
                self._placed[key] = self._translator(select).command()
            else:
                translator = self._translator(select)
                stages, _ = translator.pipeline()
                if rows == "any":
                    stages = stages + [{"$limit": 1}]
                self._placed[key] = self._lookup(translator, stages)
        return self._placed[key]

    def _translator(self, select):
        return self.translator_class(select, outer=self.scope)

    def _lookup(self, translator, stages):
        """Join in the rows of ``stages`` with a $lookup; return the field holding them."""
        field = self.scope.unique_name("__sq")
        self.pending.append({"$lookup": {
            "from": translator.collection, "let": dict(translator.scope.variables),
            "pipeline": stages, "as": field,
        }})
        return field

    def _place_compound(self, select, rows):
        """
        Return the Combine command of an uncorrelated compound subquery, or
        the field of a correlated one: each operand is joined in with its
        own $lookup and the arrays are combined with MongoDB's set
        expressions, which compare whole rows
        (https://www.mongodb.com/docs/manual/reference/operator/aggregation/setUnion/).
        """
        operands = [
            self._translator(operand) if isinstance(operand, tree.Select) and not compound.counts_compound(operand)
            else None
            for operand in select.selects
        ]
        if not analysis.is_correlated(select):
            return compound.select_command(select, self._translator)
        pipelines = [None if translator is None else translator.pipeline()[0] for translator in operands]
        if None in operands:
            raise SQLDecodeError(f"a correlated {select.op} holding a compound SELECT")
        if select.all and select.op != "UNION":
            raise SQLDecodeError(f"a correlated {select.op} ALL")
        if select.order_by and (select.limit is not None or select.offset is not None):
            # Sorting an array takes $sortArray, which MongoDB 5.2 added.
            raise SQLDecodeError(f"ORDER BY with LIMIT in a correlated {select.op}")
        combined = None
        for translator, stages in zip(operands, pipelines):
            rows = "$" + self._lookup(translator, stages)
            if combined is None:
                combined = rows
            elif select.op == "UNION":
                combined = {"$concatArrays" if select.all else "$setUnion": [combined, rows]}
            elif select.op == "INTERSECT":
                combined = {"$setIntersection": [combined, rows]}
            else:
                combined = {"$setDifference": [combined, rows]}
        # LIMIT n (n > 0) changes neither whether there are rows nor the first one.
        limit_matters = rows == "all" or select.offset is not None or not (
            isinstance(select.limit, tree.Literal) and select.limit.value > 0
        )
        if limit_matters and (select.limit is not None or select.offset is not None):
            skip = 0 if select.offset is None else value(select.offset)
            # $slice wants a positive count, even for an empty array.
            limit = {"$max": [{"$size": combined}, 1]} if select.limit is None else value(select.limit)
            combined = {"$slice": [combined, skip, limit]}
        field = self.scope.unique_name("__sq")
        self.pending.append({"$addFields": {field: combined}})
        return field

    def fields(self):
        """Return the fields that the subqueries placed so far hold their rows in."""
        return [placed for placed in self._placed.values() if isinstance(placed, str)]

    def take_pending(self, apart=False):
        """
        Return the $lookup stages placed since the last call, and forget
        them. ``apart``: they run in a command of their own (the aggregation
        that finds an UPDATE's rows), so the fields they add are not there
        for what is translated next, which places the same subquery again.
        """
        pending, self.pending = self.pending, []
        if apart:
            self._placed = {key: placed for key, placed in self._placed.items() if not isinstance(placed, str)}
        return pending

    # Expressions -----------------------------------------------------------

    def values(self, select):
        """Return an expression for the array of the subquery's first-column values."""
        placed = self._place(select)
        if isinstance(placed, str):
            return _first_column(placed)
        return {"$literal": PreRun(placed, "values")}

    def rows(self, select):
        """Return an expression for the array of the subquery's rows, each a document of fields c0, c1, ...."""
        placed = self._place(select)
        if isinstance(placed, str):
            return "$" + placed
        return {"$literal": PreRun(placed, "rows")}

    def exists(self, select):
        """Return an expression that is true when the subquery has rows."""
        placed = self._place(select, rows="any")
        if isinstance(placed, str):
            return {"$gt": [{"$size": "$" + placed}, 0]}
        # $literal: a bare true or false in $project would include or exclude a field.
        return {"$literal": PreRun(placed, "any")}

    def scalar(self, select):
        """Return an expression for the subquery's one value (NULL when it has no rows)."""
        placed = self._place(select, rows="first")
        if isinstance(placed, str):
            return {"$ifNull": [{"$arrayElemAt": [_first_column(placed), 0]}, None]}
        return {"$literal": PreRun(placed, "value")}

    # Filters ---------------------------------------------------------------

    def in_operator(self, select, negated, implied=False):
        """
        Return the field condition of ``IN (subquery)``, or None if the
        subquery is correlated; an ``implied`` one matches every row when
        its subquery reaches its LIMIT (see tree.InSubquery).
        """
        placed = self._place(select)
        if isinstance(placed, str):
            return None
        if implied and not negated and isinstance(select.limit, tree.Literal):
            return PreRun(placed, "implied in", select.limit.value)
        return PreRun(placed, "not in" if negated else "in")

    def row_in_filter(self, select, paths):
        """
        Return the filter of ``(a, b) IN (subquery)`` over the fields
        ``paths``, or None if the subquery is correlated.
        """
        placed = self._place(select)
        if isinstance(placed, str):
            return None
        return {"$and": PreRun(placed, "rows in", paths=tuple(paths))}

    def exists_filter(self, select, negated):
        """Return the filter of ``[NOT] EXISTS (subquery)``."""
        placed = self._place(select, rows="any")
        if isinstance(placed, str):
            return {placed + ".0": {"$exists": not negated}}
        return {"$expr": PreRun(placed, "none" if negated else "any")}


def _first_column(field):
    """Return an expression for the array of the first column's values of the rows joined in at ``field``."""
    # $map keeps NULLs, which NOT IN must see; "$field.c0" would drop them.
    return {"$map": {"input": "$" + field, "in": {"$ifNull": ["$$this.c0", None]}}}
