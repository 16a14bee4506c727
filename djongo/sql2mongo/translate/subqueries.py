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
from ..commands import PreRun


class Subqueries:
    """The subqueries met while translating one scope's conditions and expressions."""

    def __init__(self, scope, translator_class):
        self.scope = scope
        self.translator_class = translator_class
        self.pending = []  # $lookup stages the statement must run before it reads them
        self._placed = {}  # (select, exists) -> PreRun command or lookup field

    def _place(self, select, exists=False):
        """Return the inner command of an uncorrelated subquery, or the field of a correlated one."""
        key = (select, exists)
        if key not in self._placed:
            translator = self.translator_class(select, outer=self.scope)
            command = translator.command()
            if not translator.scope.variables:
                self._placed[key] = command
            else:
                stages, _, _ = translator.pipeline()
                field = self.scope.unique_name("__sq")
                if exists:
                    stages = stages + [{"$limit": 1}]
                self.pending.append({"$lookup": {
                    "from": translator.collection, "let": dict(translator.scope.variables),
                    "pipeline": stages, "as": field,
                }})
                self._placed[key] = field
        return self._placed[key]

    def reset(self):
        """Forget every placed subquery, to translate the statement again another way."""
        self.pending = []
        self._placed = {}

    def take_pending(self):
        """Return the $lookup stages placed since the last call, and forget them."""
        pending, self.pending = self.pending, []
        return pending

    # Expressions -----------------------------------------------------------

    def values(self, select):
        """Return an expression for the array of the subquery's first-column values."""
        placed = self._place(select)
        if isinstance(placed, str):
            # $map keeps NULLs, which NOT IN must see; "$field.c0" would drop them.
            return {"$map": {"input": "$" + placed, "in": {"$ifNull": ["$$this.c0", None]}}}
        return {"$literal": PreRun(placed, "values")}

    def exists(self, select):
        """Return an expression that is true when the subquery has rows."""
        placed = self._place(select, exists=True)
        if isinstance(placed, str):
            return {"$gt": [{"$size": "$" + placed}, 0]}
        # $literal: a bare true or false in $project would include or exclude a field.
        return {"$literal": PreRun(placed, "any")}

    def scalar(self, select):
        """Return an expression for the subquery's one value (NULL when it has no rows)."""
        placed = self._place(select)
        if isinstance(placed, str):
            return {"$ifNull": [{"$arrayElemAt": [self.values(select), 0]}, None]}
        return {"$literal": PreRun(placed, "value")}

    # Filters ---------------------------------------------------------------

    def in_operator(self, select, negated):
        """Return the field condition of ``IN (subquery)``, or None if the subquery is correlated."""
        placed = self._place(select)
        if isinstance(placed, str):
            return None
        return PreRun(placed, "not in" if negated else "in")

    def exists_filter(self, select, negated):
        """Return the filter of ``[NOT] EXISTS (subquery)``."""
        placed = self._place(select, exists=True)
        if isinstance(placed, str):
            return {placed + ".0": {"$exists": not negated}}
        return {"$expr": PreRun(placed, "none" if negated else "any")}
