"""Resolve column references to document field paths."""
from djongo.exceptions import SQLDecodeError


def join_field(ref):
    """Return the field under which the rows of joined table ``ref`` are nested."""
    return f"__{ref}"


class Scope:
    """
    The tables a statement can refer to and where their fields live.

    The FROM table's fields are at the document root; each joined table's
    row is nested under ``join_field(alias)`` by its ``$lookup``.
    """

    def __init__(self, base_ref, base_name=None, fields=None):
        # ``fields`` maps the column names of a derived table (FROM (SELECT
        # ...) alias) to the fields its pipeline outputs.
        self.fields = fields
        self.prefixes = {base_ref: ""}
        if base_name and base_name != base_ref:
            self.names = {base_name: base_ref}
        else:
            self.names = {}
        self.base_ref = base_ref

    def add_join(self, ref):
        if ref in self.prefixes:
            raise SQLDecodeError(f"table {ref!r} joined twice without an alias")
        self.prefixes[ref] = join_field(ref) + "."

    @property
    def is_single(self):
        return len(self.prefixes) == 1

    def prefix(self, table):
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
        """Return the field path of ``column``."""
        prefix = self.prefix(column.table)
        if self.fields is not None and prefix == "":
            try:
                return self.fields[column.name]
            except KeyError:
                raise SQLDecodeError(f"column {column.name!r}, which the subquery in FROM does not select") from None
        return prefix + column.name

    def owner(self, column):
        """Return the table reference ``column`` belongs to."""
        if column.table is None or column.table in self.names:
            return self.base_ref
        self.prefix(column.table)
        return column.table
