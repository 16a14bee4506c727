"""Resolve column references to document field paths and aggregation variables."""
import itertools

from djongo.exceptions import SQLDecodeError

from .. import tree


def join_field(ref):
    """Return the field under which the rows of joined table ``ref`` are nested."""
    return f"__{ref}"


class Scope:
    """
    The tables a statement can refer to and where their fields live.

    The FROM table's fields are at the document root; each joined table's
    row is nested under ``join_field(alias)`` by its ``$lookup``.

    A subquery's scope has an ``outer`` scope. A column of an outer table
    (a correlated reference, Django's OuterRef) becomes a ``$$variable``
    that the subquery's ``$lookup`` defines in its ``let``
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/lookup/#join-conditions-and-subqueries-on-a-joined-collection).
    """

    def __init__(self, base_ref, base_name=None, fields=None, outer=None):
        # ``fields`` maps the column names of a derived table (FROM (SELECT
        # ...) alias) to the fields its pipeline outputs.
        self.fields = fields
        self.prefixes = {base_ref: ""}
        if base_name and base_name != base_ref:
            self.names = {base_name: base_ref}
        else:
            self.names = {}
        self.base_ref = base_ref
        self.outer = outer
        # The let of this scope's $lookup: variable name -> outer expression.
        self.variables = {}
        self._variable_of = {}
        self._names = outer._names if outer is not None else itertools.count()
        # Where this scope's subqueries go: the select translator sets a
        # Subqueries (see subqueries.py); other statements run none.
        self.subqueries = NO_SUBQUERIES
        # Window expressions -> the fields holding their values, once the
        # window stages have run (translate/windows.py).
        self.windows = {}

    def add_join(self, ref):
        if ref in self.prefixes:
            raise SQLDecodeError(f"table {ref!r} joined twice without an alias")
        self.prefixes[ref] = join_field(ref) + "."

    @property
    def is_single(self):
        return len(self.prefixes) == 1

    def unique_name(self, stem):
        """Return a field or variable name no other part of the statement uses."""
        return f"{stem}{next(self._names)}"

    def is_local(self, column):
        """Return whether ``column`` belongs to a table of this scope (not an outer one)."""
        table = column.table
        if table is None or table in self.prefixes:
            return self.base_ref is not None or self.outer is None
        if table in self.names:
            # An aliased table's own name is out of scope in SQL; Django
            # uses it in a subquery on the same table (FROM "t" U1) to mean
            # the outer query's "t".
            return self.outer is None or not self.outer.knows(table)
        return False

    def knows(self, table):
        """Return whether ``table`` names a table of this scope or of one around it."""
        if table in self.prefixes or table in self.names:
            return True
        return self.outer is not None and self.outer.knows(table)

    def prefix(self, table):
        if self.base_ref is None:
            raise SQLDecodeError("column reference in a SELECT without FROM")
        if table is None:
            if self.is_single:
                return ""
            raise SQLDecodeError("unqualified column in a statement with joins")
        try:
            return self.prefixes[table]
        except KeyError:
            if table in self.names:
                return ""
            raise SQLDecodeError(f"reference to table {table!r}, which is not in FROM or JOIN") from None

    def path(self, column):
        """Return the field path of ``column``, a column of this scope's tables."""
        prefix = self.prefix(column.table)
        if self.fields is not None and prefix == "":
            try:
                return self.fields[column.name]
            except KeyError:
                raise SQLDecodeError(f"column {column.name!r}, which the subquery in FROM does not select") from None
        return prefix + column.name

    def expression(self, column):
        """Return the aggregation expression reading ``column``: a field path or an outer variable."""
        if self.is_local(column) or self.outer is None:
            return "$" + self.path(column)
        key = (column.table, column.name)
        if key not in self._variable_of:
            # A variable of a scope further out is passed down again rather
            # than read through the nesting, which keeps each $lookup's
            # inputs explicit in its own let.
            name = self.unique_name("o")
            # A missing field is passed as null: both are SQL's NULL, and
            # a variable bound to nothing at all is harder to reason about.
            self.variables[name] = {"$ifNull": [self.outer.expression(column), None]}
            self._variable_of[key] = "$$" + name
        return self._variable_of[key]

    def replacement(self, node):
        """Return the expression standing for ``node`` (a grouped value or a window), or None."""
        return self.windows.get(node)

    def owner(self, column):
        """Return the table reference ``column`` belongs to."""
        if column.table is None or column.table in self.names:
            return self.base_ref
        if not self.is_local(column):
            return None
        self.prefix(column.table)
        return column.table


class NoSubqueries:
    """The subqueries of a scope that cannot run any, such as an index's WHERE or a CHECK: each one is refused."""

    pending = ()

    def take_pending(self):
        return []

    def _refuse(self, select, *args):
        raise SQLDecodeError("subquery in a condition that cannot run one (an index's WHERE, a CHECK)")

    values = exists = scalar = in_operator = exists_filter = _refuse


NO_SUBQUERIES = NoSubqueries()


class GroupedScope(Scope):
    """
    The scope after ``$group``: only the GROUP BY keys and the aggregates
    exist, as fields of the grouped documents.
    """

    def __init__(self, inner, replacements):
        self.__dict__.update(inner.__dict__)
        self._replacements = replacements
        # Django writes a grouped expression twice, in SELECT and in GROUP
        # BY, each time with its own placeholders for the same values.
        self._by_shape = {without_params(node): expression for node, expression in replacements.items()}
        # Subqueries read grouped values, so they are placed after $group.
        self.subqueries = type(inner.subqueries)(self, inner.subqueries.translator_class)

    def replacement(self, node):
        found = self._replacements.get(node)
        if found is None and not isinstance(node, tree.Column):
            found = self._by_shape.get(without_params(node))
        return found if found is not None else self.windows.get(node)

    def path(self, column):
        raise SQLDecodeError("selected column that is neither grouped nor aggregated")

    def expression(self, column):
        found = self._replacements.get(column)
        if found is not None:
            return found
        if self.is_local(column):
            raise SQLDecodeError("selected column that is neither grouped nor aggregated")
        return super().expression(column)


def without_params(node):
    """Return ``node`` with every parameter numbered -1, to compare shapes."""
    def unnumbered(item):
        return type(item)(-1) if isinstance(item, (tree.Param, tree.ListParam)) else item

    return tree.transform(node, unnumbered, into_selects=True)
