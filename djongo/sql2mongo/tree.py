"""
The query tree: small immutable nodes named after SQL syntax.

The parser builds these from sqlparse tokens; the translators dispatch on
their classes. Nodes carry no behaviour, so a tree can be compared, hashed
and printed in tests.
"""
import dataclasses
from dataclasses import dataclass
from typing import Any, Optional


def node(cls):
    return dataclass(frozen=True, slots=True)(cls)


def depth(root):
    """Return the number of levels of the tree under ``root``, counted without recursion."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (tuple, list)):
            stack.extend((child, level) for child in item)
            continue
        slots = getattr(type(item), "__slots__", None)
        if slots is None or not hasattr(item, "__dataclass_fields__"):
            continue
        deepest = max(deepest, level)
        stack.extend((getattr(item, name), level + 1) for name in item.__dataclass_fields__)
    return deepest


# Walking and rewriting -----------------------------------------------------
#
# Every rule and translator goes through these four, as sqlglot's
# expressions do through walk() and transform(): ``children`` and ``walk``
# to read a tree, ``map_children`` and ``transform`` to rewrite one. By
# default none enters a nested SELECT, whose columns belong to another
# scope; ``into_selects=True`` does.


def _is_node(item):
    return dataclasses.is_dataclass(item) and not isinstance(item, type)


def _is_select(item):
    return isinstance(item, (Select, Compound))


def children(node, into_selects=False):
    """Yield the nodes directly inside ``node`` (a node, or a tuple or list of them)."""
    if isinstance(node, (tuple, list)):
        for item in node:
            if isinstance(item, (tuple, list)):
                yield from children(item, into_selects)
            elif _is_node(item):
                yield item
    elif _is_node(node) and (into_selects or not _is_select(node)):
        for name in node.__dataclass_fields__:
            child = getattr(node, name)
            if isinstance(child, (tuple, list)):
                yield from children(child, into_selects)
            elif _is_node(child):
                yield child


def walk(node, into_selects=False):
    """Yield ``node`` and every node inside it, parents before their children."""
    if node is None:
        return
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (tuple, list)):
            stack.extend(reversed(item))
            continue
        yield item
        stack.extend(reversed(list(children(item, into_selects))))


def transform(node, function, into_selects=False):
    """
    Return ``node`` rewritten top-down: where ``function(item)`` returns
    another node, that node takes the item's place and is not entered;
    where it returns the item itself, the item's children are rewritten in
    turn. Unchanged subtrees stay shared, so ``transform(...) is node``
    tells that nothing changed.
    """
    # Module-level recursion rather than a nested function: a closure that
    # calls itself is a reference cycle, left to the cycle collector on
    # every statement planned (test_plans.GarbageTests).
    if node is None or isinstance(node, (str, int, float, bool)):
        return node
    if not isinstance(node, tuple):
        new = function(node)
        if new is not node:
            return new
        if _is_select(node) and not into_selects:
            return node
    return _map_children(node, transform, function, into_selects)


def transform_up(node, function, into_selects=False):
    """
    Return ``node`` rewritten bottom-up: each node's children first, then
    ``function`` of the node they are now in. Unchanged subtrees stay
    shared.
    """
    if node is None or isinstance(node, (str, int, float, bool)):
        return node
    if _is_select(node) and not into_selects:
        return node
    node = _map_children(node, transform_up, function, into_selects)
    return node if isinstance(node, tuple) else function(node)


def map_children(node, function):
    """
    Return ``node`` with each of its children (the items of a tuple, the
    fields of a node) replaced by ``function(child)``; ``node`` itself when
    nothing changes, so unchanged subtrees stay shared.
    """
    return _map_children(node, _call, function)


def _call(child, function):
    return function(child)


def _map_children(node, rewrite, *args):
    """map_children() with ``rewrite(child, *args)`` as the function."""
    if isinstance(node, tuple):
        items = tuple(rewrite(item, *args) for item in node)
        return node if all(new is old for new, old in zip(items, node)) else items
    if not _is_node(node):
        return node
    changes = {}
    for field in dataclasses.fields(node):
        child = getattr(node, field.name)
        new = rewrite(child, *args)
        if new is not child:
            changes[field.name] = new
    return dataclasses.replace(node, **changes) if changes else node


# Expressions ---------------------------------------------------------------

@node
class Column:
    """A column reference: ``"table"."name"`` or ``"name"``."""
    name: str
    table: Optional[str] = None


@node
class Param:
    """A ``%s`` placeholder; ``index`` is its position in the parameters."""
    index: int


@node
class ListParam:
    """
    A ``%s`` placeholder bound to a list, as in ``x IN %s``: the plan cache
    writes every ``IN (%s, ..., %s)`` this way, so one plan serves lists of
    any length (see plans.py). Index -1 is the list of key values a
    KeyedJoin passes to its inner statement.
    """
    index: int


@node
class Literal:
    """A constant written in the SQL text: number, string, NULL, TRUE, FALSE."""
    value: Any


@node
class Default:
    """The DEFAULT keyword in a VALUES row."""


@node
class Star:
    """``*`` or ``"table".*``."""
    table: Optional[str] = None


@node
class Func:
    """
    A function call such as ``COUNT(*)`` or ``MAX("t"."id")``; an aggregate
    may order its input, ``STRING_AGG("t"."name", %s ORDER BY "t"."id" DESC)``.
    """
    name: str
    args: tuple = ()
    distinct: bool = False
    order_by: tuple = ()  # of OrderItem


@node
class Frame:
    """
    A window frame, ``ROWS|RANGE BETWEEN start AND end [EXCLUDE ...]``.
    A bound is an offset in rows (ROWS) or in the ORDER BY value (RANGE):
    negative PRECEDING, 0 CURRENT ROW, positive FOLLOWING; None is
    UNBOUNDED (PRECEDING for ``start``, FOLLOWING for ``end``).
    ``exclusion`` is None (EXCLUDE NO OTHERS), "CURRENT ROW", "GROUP" or "TIES".
    """
    kind: str  # "ROWS" or "RANGE"
    start: Optional[int] = None
    end: Optional[int] = 0
    exclusion: Optional[str] = None


@node
class Window:
    """``func OVER ([PARTITION BY ...] [ORDER BY ...] [frame])``."""
    func: Any  # Func
    partition_by: tuple = ()
    order_by: tuple = ()  # of OrderItem
    frame: Optional[Frame] = None


@node
class BinaryOp:
    """Arithmetic or concatenation: ``left op right``."""
    op: str
    left: Any
    right: Any


@node
class Negative:
    """Unary minus."""
    operand: Any


@node
class Case:
    """``CASE [operand] WHEN .. THEN .. [ELSE ..] END``."""
    whens: tuple  # of (condition, result)
    default: Any = None
    operand: Any = None


@node
class Cast:
    """``CAST(expr AS type)``, or ``CAST(expr AS string(length))``."""
    expr: Any
    type: str
    length: Optional[int] = None


@node
class Subquery:
    """A parenthesised SELECT used as a value or a row source."""
    select: Any


# Conditions ----------------------------------------------------------------

@node
class Comparison:
    """``left op right`` with op one of = <> < <= > >=."""
    op: str
    left: Any
    right: Any


@node
class InList:
    """``expr [NOT] IN (item, ...)``."""
    expr: Any
    items: tuple
    negated: bool = False


@node
class Row:
    """
    A row value, ``(a, b)``: Django writes one for a composite key compared
    with a subquery, ``(a, b) IN (SELECT x, y ...)`` or ``(a, b) = (SELECT
    x, y ... LIMIT 1)``, the only places the parser accepts it.
    """
    items: tuple


@node
class InSubquery:
    """
    ``expr [NOT] IN (SELECT ...)``, ``expr`` a value or a Row. ``implied``
    marks a condition the optimizer added that the rest of WHERE already
    implies (see optimize/reduce_joins.py): it only narrows the rows early,
    so it may be skipped when its subquery finds more rows than its LIMIT.
    ``scalar`` marks ``(a, b) = (SELECT ... LIMIT 1)``, which differs from
    IN only when the subquery has no row: the row then compares as NULLs.
    """
    expr: Any
    select: Any
    negated: bool = False
    implied: bool = False
    scalar: bool = False


@node
class Between:
    """``expr [NOT] BETWEEN low AND high``."""
    expr: Any
    low: Any
    high: Any
    negated: bool = False


@node
class Like:
    """``expr [NOT] LIKE|ILIKE pattern`` with backslash as the escape character."""
    expr: Any
    pattern: Any
    negated: bool = False
    insensitive: bool = False


@node
class Regex:
    """``expr [NOT] REGEXP|IREGEXP pattern``: Django's regex and iregex lookups."""
    expr: Any
    pattern: Any
    negated: bool = False
    insensitive: bool = False


@node
class IsNull:
    """``expr IS [NOT] NULL``."""
    expr: Any
    negated: bool = False


@node
class IsBoolean:
    """``expr IS [NOT] TRUE|FALSE``."""
    expr: Any
    value: bool
    negated: bool = False


@node
class Exists:
    """``EXISTS (SELECT ...)``."""
    select: Any


@node
class IsTrue:
    """A bare expression in a condition position, e.g. ``WHERE "t"."is_active"``."""
    expr: Any


@node
class And:
    items: tuple


@node
class Or:
    items: tuple


@node
class Not:
    item: Any


# Statements ----------------------------------------------------------------

@node
class Table:
    """A table in FROM or JOIN, with its optional alias."""
    name: str
    alias: Optional[str] = None

    @property
    def ref(self):
        """Return the name columns use to refer to this table."""
        return self.alias or self.name


@node
class DerivedTable:
    """``FROM (SELECT ...) alias``."""
    select: Any
    alias: Optional[str] = None

    @property
    def ref(self):
        return self.alias


@node
class Join:
    """
    ``kind JOIN table ON condition``; kind is INNER or LEFT. ``unique``
    holds the columns of ON that Django's compiler declared unique (a
    ``/*+ UNIQUE(...) */`` hint after ON, see djongo/compiler.py): the
    optimizer may then count on at most one match per row.
    """
    kind: str
    table: Table
    on: Any
    unique: tuple = ()  # of Column


@node
class SelectItem:
    expr: Any
    alias: Optional[str] = None


@node
class OrderItem:
    expr: Any
    descending: bool = False
    nulls: Optional[str] = None  # 'FIRST', 'LAST' or None


@node
class Select:
    items: tuple
    source: Any = None  # Table, DerivedTable or None
    joins: tuple = ()
    where: Any = None
    group_by: tuple = ()
    having: Any = None
    order_by: tuple = ()
    limit: Any = None  # Literal or Param
    offset: Any = None
    distinct: bool = False

    def counts_rows(self):
        """Return whether the select list is just ``COUNT(*)``."""
        if len(self.items) != 1:
            return False
        expr = self.items[0].expr
        return (
            isinstance(expr, Func) and expr.name == "COUNT" and not expr.distinct and len(expr.args) == 1
            and isinstance(expr.args[0], Star) and expr.args[0].table is None
        )


@node
class Compound:
    """``select UNION|INTERSECT|EXCEPT [ALL] select ...``."""
    op: str
    selects: tuple
    all: bool = False
    order_by: tuple = ()
    limit: Any = None
    offset: Any = None


# Plans ---------------------------------------------------------------------
# Nodes the optimizer makes (djongo/sql2mongo/optimize/), never the parser.

@node
class KeyedJoin:
    """
    A LEFT JOIN that djongo completes itself: run ``outer``, then ``inner``
    (whose first column is a key, each key on at most one row) and give each
    outer row, at the positions ``fills`` names, the values of the inner row
    whose key equals the outer row's column ``key``, or the defaults when
    there is none. The rows are then sorted by ``order`` and sliced.

    With ``by_keys``, inner reads only the keys the outer rows hold: its
    WHERE has ``key IN ListParam(-1)``. ``width`` columns are returned: the
    outer statement may select a hidden key column after them.
    """
    outer: Any  # Select
    inner: Any  # Select
    key: int
    fills: tuple  # of (outer position, inner position, default Literal)
    width: int
    by_keys: bool = False
    first_per_key: bool = False  # keep the first inner row of each key, in inner's ORDER BY
    order: tuple = ()  # of (position, descending, nulls "FIRST" | "LAST" | None)
    limit: Any = None
    offset: Any = None


@node
class ForUpdate:
    """
    ``SELECT ... FOR UPDATE [NOWAIT | SKIP LOCKED]``: the rows read are locked
    until the transaction ends; ``mode`` is "wait", "nowait" or "skip locked".
    """
    statement: Any
    mode: str = "wait"


@node
class Explain:
    """
    ``EXPLAIN [(FORMAT TEXT|JSON, VERBOSITY v)] statement``: the MongoDB
    commands a SELECT runs and the server's explain output for each.
    """
    statement: Any
    format: str = "TEXT"
    verbosity: str = "queryPlanner"


@node
class OnConflict:
    """
    ``ON CONFLICT [(target)] DO NOTHING`` when ``updates`` is None, else
    ``ON CONFLICT (target) DO UPDATE SET column = EXCLUDED.source, ...``.
    """
    target: tuple = ()  # of column names
    updates: Optional[tuple] = None  # of (column, source column) pairs


@node
class Insert:
    table: str
    columns: tuple
    rows: tuple  # of tuples of expressions
    returning: tuple = ()  # of Column
    on_conflict: Optional[OnConflict] = None


@node
class Update:
    table: str
    assignments: tuple  # of (column name, expression)
    where: Any = None


@node
class Delete:
    table: str
    where: Any = None
