"""
Translate window functions (``f(...) OVER (...)``) into ``$setWindowFields`` stages.

Each window becomes a short run of stages that only add fields to the rows
(https://www.mongodb.com/docs/manual/reference/operator/aggregation/setWindowFields/):

1. ``$addFields`` computes what the window reads: the partition key, each
   ORDER BY key (and a NULLS FIRST/LAST key where MongoDB's own order of
   nulls is not the one asked for), the function's argument.
2. ``$setWindowFields`` stages whose operators read those fields only
   (a field path, or the constant 1), never an expression: that is the
   subset of MongoDB's semantics djongo evaluates itself on a server that
   lacks the stage (``setwindowfields.py``).
3. ``$addFields`` stages that finish SQL's value from the window fields.

Where MongoDB's operator does what SQL says, it is used directly:
``$documentNumber`` for ROW_NUMBER, ``$shift`` for LAG and LEAD, ``$sum``,
``$avg``, ``$min``, ``$max``, ``$stdDevPop``, ``$stdDevSamp``, ``$first``
and ``$last`` over a ``documents`` window for ROWS frames. Where it does
not, an exact equivalent is composed:

- Peers. ``$rank`` and ``$denseRank`` take one sortBy field only
  (https://www.mongodb.com/docs/manual/reference/operator/aggregation/rank/),
  and a ``range`` window's "current" bound is the current document, not
  its peers, while its numeric bounds need a single ascending numeric
  sortBy field. So each row gets ``rn`` (``$documentNumber``) and, from
  ``$shift`` of every ORDER BY key, a flag saying it starts a new peer
  group; a running ``$sum`` of the flag is the peer group's number ``g``
  (DENSE_RANK) and a running ``$max`` of ``rn`` where the flag is set is
  RANK. RANGE frames bounded by UNBOUNDED and CURRENT ROW are then
  ``range`` windows on ``g``, a numeric ascending field, whose bound 0 is
  exactly the current row's peers.
- RANGE frames with an offset read the single ORDER BY key itself (negated
  for DESC, as ``range`` windows need an ascending sortBy).
- NTILE, PERCENT_RANK and CUME_DIST are arithmetic on ``rn``, the rank,
  the partition's row count and the last row number of the peer group.
- NTH_VALUE, and every function over a frame with EXCLUDE, collect the
  frame's rows with ``$push`` and pick from or fold that array.
- SUM is NULL over a frame without non-NULL values, where ``$sum`` gives
  0: a second ``$sum`` counts the non-NULL values.
"""
from djongo.exceptions import SQLDecodeError

from .. import dialect, tree
from ..binding import Slot
from .values import is_null

# The order of rows a window without ORDER BY reads them in: any order is
# SQL's, and operators such as $shift and $documentNumber need a sortBy.
ANY_ORDER = {"_id": 1}
WHOLE = {"documents": ["unbounded", "unbounded"]}
RUNNING = {"documents": ["unbounded", "current"]}

AGGREGATES = {
    "SUM": "$sum", dialect.SUM_NOT_NULL: "$sum", "AVG": "$avg", "MIN": "$min", "MAX": "$max",
    "STDDEV_POP": "$stdDevPop", "STDDEV_SAMP": "$stdDevSamp", "VAR_POP": "$stdDevPop", "VAR_SAMP": "$stdDevSamp",
    "COUNT": "$sum",
}
PEER_RANKS = {"RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST"}
NUMBERED = {"ROW_NUMBER", "NTILE"}
SHIFTS = {"LAG": -1, "LEAD": 1}
VALUES = {"FIRST_VALUE", "LAST_VALUE", "NTH_VALUE"}


def window_stages(windows, scope, translate):
    """
    Return (stages, replacements): the stages computing each of ``windows``
    (Window nodes, each once) over the rows, and the expression that reads
    each window's value afterwards. ``translate(node)`` compiles an
    expression in ``scope``.
    """
    stages, replacements = [], {}
    for window in windows:
        name = scope.unique_name("__w")
        window_stages_, field = WindowTranslator(window, name, translate).stages()
        stages.extend(window_stages_)
        replacements[window] = "$" + field
    return stages, replacements


def _offset(value, sign):
    """Return the ``by`` of $shift for LAG or LEAD's offset ``value``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SQLDecodeError(f"window offset {value!r}: a non-negative integer is expected")
    return sign * value


def _lag_offset(value):
    return _offset(value, -1)


def _lead_offset(value):
    return _offset(value, 1)


class WindowTranslator:
    """The stages of one window; its helper fields are named ``<name><suffix>``."""

    def __init__(self, window, name, translate):
        self.window = window
        self.func = window.func
        self.name = name
        self.translate = translate
        self.inputs = {}  # the first $addFields
        self.partition = None
        self.sort = {}
        self.numbered = False
        if self.func.distinct:
            raise SQLDecodeError(f"DISTINCT in window function {self.func.name}()")
        if self.func.order_by:
            raise SQLDecodeError(f"ORDER BY inside window function {self.func.name}()")

    def field(self, suffix):
        return f"{self.name}{suffix}"

    def set_input(self, suffix, expression):
        self.inputs[self.field(suffix)] = expression
        return "$" + self.field(suffix)

    # Inputs ------------------------------------------------------------------

    def _inputs(self):
        window = self.window
        keys = [{"$ifNull": [self.translate(expr), None]} for expr in window.partition_by]
        if len(keys) == 1:
            self.partition = self.set_input("p", keys[0])
        elif keys:
            self.partition = self.set_input("p", {f"k{index}": key for index, key in enumerate(keys)})
        self.order_fields, self.order_values = [], []
        for index, order in enumerate(window.order_by):
            expression = self.translate(order.expr)
            if not _natural_nulls(order):
                # A key that is 1 for NULL sorts NULLs after the rest, 0 before.
                last = int(order.nulls == "LAST")
                nulls = self.field(f"n{index}")
                self.inputs[nulls] = {"$cond": [is_null(expression), last, 1 - last]}
                self.sort[nulls] = 1
            key = self.field(f"o{index}")
            self.inputs[key] = {"$ifNull": [expression, None]}
            self.order_values.append(self.inputs[key])
            self.sort[key] = -1 if order.descending else 1
            self.order_fields.append(key)

    def _swf(self, output, sort=None):
        """Return a $setWindowFields stage over this window's partitions; an output's window None is left out."""
        for operator in output.values():
            if "window" in operator and operator["window"] is None:
                del operator["window"]
        stage = {}
        if self.partition is not None:
            stage["partitionBy"] = self.partition
        if sort:
            stage["sortBy"] = sort
        stage["output"] = output
        return {"$setWindowFields": stage}

    @property
    def order(self):
        """
        Return the sortBy of stages that read the rows in ORDER BY's order.
        Once the rows are numbered, that is the number: MongoDB's sort is
        not stable, so sorting peers again could order them differently
        from the stage that numbered them.
        """
        if self.numbered:
            return {self.field("r"): 1}
        return self.sort or ANY_ORDER

    # Stages ------------------------------------------------------------------

    def stages(self):
        """Return (stages, the field holding the window's value)."""
        func = self.func
        self._inputs()
        stages = []
        result = self.field("")
        name = func.name
        needs_peers = name in PEER_RANKS or self._frame_needs_peers()
        needs_numbers = needs_peers or name in NUMBERED or self._exclusion() is not None
        needs_count = name in ("PERCENT_RANK", "CUME_DIST", "NTILE")
        numbering = self._numbering(needs_peers, needs_count) if needs_numbers else []
        self.numbered = needs_numbers
        value_stages = []
        if name in SHIFTS:
            value_stages = self._shift(SHIFTS[name])
        elif name in AGGREGATES or name in VALUES:
            value_stages = self._framed()
        elif name not in PEER_RANKS and name not in NUMBERED:
            raise SQLDecodeError(f"window function {name}()")
        if self.inputs:
            stages.append({"$addFields": self.inputs})
        stages.extend(numbering)
        stages.extend(value_stages)
        final = self._final()
        if final is not None:
            stages.append({"$addFields": {result: final}})
        return stages, result

    def _numbering(self, peers, count):
        """Return the stages numbering the rows (``r``), their peer groups (``g``) and ranks (``k``)."""
        rn, output = self.field("r"), {}
        output[rn] = {"$documentNumber": {}}
        if count:
            output[self.field("c")] = {"$sum": 1, "window": WHOLE}
        if not peers:
            return [self._swf(output, self.sort or ANY_ORDER)]
        # A row starts a new peer group when it is first in its partition
        # or one of its ORDER BY keys differs from the row before's.
        previous = []
        for index, key in enumerate(self.order_fields):
            output[self.field(f"b{index}")] = {"$shift": {"output": "$" + key, "by": -1}}
            previous.append({"$ne": ["$" + key, "$" + self.field(f"b{index}")]})
        starts = {"$or": [{"$eq": ["$" + rn, 1]}, *previous]}
        stages = [
            self._swf(output, self.sort or ANY_ORDER),
            {"$addFields": {
                self.field("s"): {"$cond": [starts, 1, 0]},
                self.field("t"): {"$cond": [starts, "$" + rn, 0]},
            }},
            self._swf({
                self.field("g"): {"$sum": "$" + self.field("s"), "window": RUNNING},
                self.field("k"): {"$max": "$" + self.field("t"), "window": RUNNING},
            }, {rn: 1}),
        ]
        if self.func.name == "CUME_DIST":
            # The last row number of each peer group: rows up to it precede the row or are its peers.
            stages.append(self._swf(
                {self.field("e"): {"$max": "$" + rn, "window": {"range": [0, 0]}}}, {self.field("g"): 1},
            ))
        return stages

    def _shift(self, sign):
        func = self.func
        if not func.args or len(func.args) > 3:
            raise SQLDecodeError(f"{func.name}() with {len(func.args)} arguments")
        self.set_input("a", {"$ifNull": [self.translate(func.args[0]), None]})
        offset = func.args[1] if len(func.args) > 1 else tree.Literal(1)
        convert = _lag_offset if sign < 0 else _lead_offset
        if isinstance(offset, tree.Param):
            by = Slot(offset.index, convert)
        elif isinstance(offset, tree.Literal):
            by = convert(offset.value)
        else:
            raise SQLDecodeError(f"{func.name}() with an offset that is not a constant")
        shift = {"output": "$" + self.field("a"), "by": by}
        default = func.args[2] if len(func.args) > 2 else None
        if default is None or isinstance(default, (tree.Literal, tree.Param)):
            # $shift's default must be a constant
            # (https://www.mongodb.com/docs/manual/reference/operator/aggregation/shift/).
            if default is not None:
                shift["default"] = self.translate(default)
            self.value = "$" + self.field("v")
            return [self._swf({self.field("v"): {"$shift": shift}}, self.order)]
        # Another default: shift the row's number too, null outside the partition.
        self.set_input("i", {"$literal": 1})
        inside = {"$shift": {"output": "$" + self.field("i"), "by": by}}
        self.value = {"$cond": [{"$eq": ["$" + self.field("j"), 1]}, "$" + self.field("v"), self.translate(default)]}
        return [self._swf({self.field("v"): {"$shift": shift}, self.field("j"): inside}, self.order)]

    # Frames ------------------------------------------------------------------

    def _frame(self):
        """Return the frame SQL gives the window: its own, or the default."""
        frame = self.window.frame
        if frame is None:
            frame = tree.Frame("RANGE", None, 0 if self.window.order_by else None)
        if not self.window.order_by and frame.kind == "RANGE":
            # Without ORDER BY every row is a peer of every other.
            frame = tree.Frame("RANGE", None, None, frame.exclusion)
        return frame

    def _exclusion(self):
        frame = self.window.frame
        return None if frame is None else frame.exclusion

    def _frame_needs_peers(self):
        if self.func.name not in AGGREGATES and self.func.name not in VALUES:
            return False
        frame = self._frame()
        if frame.exclusion in ("GROUP", "TIES"):
            return True
        return frame.kind == "RANGE" and not _unbounded(frame) and not _has_offset(frame)

    def _window(self):
        """Return (window, sortBy) of the $setWindowFields computing the function over the frame."""
        frame = self._frame()
        if _unbounded(frame):
            return WHOLE, self.order
        if frame.kind == "ROWS":
            return {"documents": [_bound(frame.start, "current"), _bound(frame.end, "current")]}, self.order
        if not _has_offset(frame):
            # The peers of the current row are the rows of its peer group g.
            return {"range": [_bound(frame.start, 0), _bound(frame.end, 0)]}, {self.field("g"): 1}
        order_by = self.window.order_by
        if len(order_by) != 1:
            raise SQLDecodeError(f"RANGE frame with an offset over {len(order_by)} ORDER BY keys")
        # range windows need one ascending numeric sortBy field: a DESC key
        # is negated, so that PRECEDING stays below the current value.
        key = self.order_values[0]
        self.set_input("q", {"$multiply": [-1, key]} if order_by[0].descending else key)
        return {"range": [_bound(frame.start, 0), _bound(frame.end, 0)]}, {self.field("q"): 1}

    def _framed(self):
        """Return the stages computing an aggregate, FIRST_VALUE, LAST_VALUE or NTH_VALUE over the frame."""
        func = self.func
        name = func.name
        star = name == "COUNT" and len(func.args) == 1 and isinstance(func.args[0], tree.Star)
        expected = 2 if name == "NTH_VALUE" else 1
        if len(func.args) != expected:
            raise SQLDecodeError(f"window function {name}() with {len(func.args)} arguments")
        if not star:
            # Fields of one $addFields cannot read each other: the inputs
            # derived from the argument repeat its expression.
            self.argument = {"$ifNull": [self.translate(func.args[0]), None]}
            self.set_input("a", self.argument)
        window, sort = self._window()
        exclusion = self._frame().exclusion
        if exclusion is not None or name == "NTH_VALUE":
            return self._collected(window, sort, exclusion, star)
        if window == WHOLE and name not in VALUES:
            # Over the whole partition an aggregate needs no order, and
            # MongoDB no sort: an output without a window reads the partition.
            window, sort = None, None
        output = {}
        count = self.field("m")
        if star or name == "COUNT":
            self.set_input("u", {"$literal": 1} if star else {"$cond": [is_null(self.argument), 0, 1]})
            output[self.field("v")] = {"$sum": "$" + self.field("u"), "window": window}
            self.value = "$" + self.field("v")
        elif name in ("FIRST_VALUE", "LAST_VALUE"):
            operator = "$first" if name == "FIRST_VALUE" else "$last"
            output[self.field("v")] = {operator: "$" + self.field("a"), "window": window}
            # An empty frame gives NULL: counted rather than left to $first
            # and $last (see SERVER-82078 for a server that got it wrong).
            output[count] = {"$sum": 1, "window": window}
            self.value = {"$cond": [{"$eq": ["$" + count, 0]}, None, {"$ifNull": ["$" + self.field("v"), None]}]}
        else:
            output[self.field("v")] = {AGGREGATES[name]: "$" + self.field("a"), "window": window}
            value = {"$ifNull": ["$" + self.field("v"), None]}
            if name in ("SUM", dialect.SUM_NOT_NULL):
                # $sum of no numbers is 0; SQL's SUM is NULL.
                self.set_input("u", {"$cond": [is_null(self.argument), 0, 1]})
                output[count] = {"$sum": "$" + self.field("u"), "window": window}
                value = {"$cond": [{"$eq": ["$" + count, 0]}, None, value]}
            elif name in ("VAR_POP", "VAR_SAMP"):
                value = {"$multiply": [value, value]}
            self.value = value
        return [self._swf(output, sort)]

    def _collected(self, window, sort, exclusion, star):
        """
        Collect the frame's rows with $push, drop those EXCLUDE names, and
        fold or pick from the rest.
        """
        if exclusion is None:
            self.set_input("w", {"v": {"$literal": 1} if star else self.argument})
            stages = []
        else:
            # Each entry names its row and peer group, which the numbering
            # stages compute after the inputs.
            entry = {"v": {"$literal": 1} if star else "$" + self.field("a"), "i": "$" + self.field("r")}
            if exclusion != "CURRENT ROW":
                entry["g"] = "$" + self.field("g")
            stages = [{"$addFields": {self.field("w"): entry}}]
        stages.append(self._swf({self.field("l"): {"$push": "$" + self.field("w"), "window": window}}, sort))
        entries = "$" + self.field("l")
        if exclusion is not None:
            mine, peer = {"$eq": ["$$e.i", "$" + self.field("r")]}, {"$eq": ["$$e.g", "$" + self.field("g")]}
            keep = {
                "CURRENT ROW": {"$not": [mine]},
                "GROUP": {"$not": [peer]},
                "TIES": {"$or": [mine, {"$not": [peer]}]},
            }[exclusion]
            entries = {"$filter": {"input": entries, "as": "e", "cond": keep}}
        values = {"$map": {"input": entries, "as": "e", "in": "$$e.v"}}
        stages.append({"$addFields": {self.field("x"): values}})
        self.value = self._fold("$" + self.field("x"))
        return stages

    def _fold(self, values):
        """Return SQL's value of the function over the array ``values`` of the frame's values."""
        name = self.func.name
        non_null = {"$filter": {"input": values, "as": "e", "cond": {"$ne": ["$$e", None]}}}
        if name == "COUNT":
            return {"$size": non_null}
        if name in ("FIRST_VALUE", "LAST_VALUE", "NTH_VALUE"):
            if name == "NTH_VALUE":
                index = {"$subtract": [self.translate(self.func.args[1]), 1]}
            else:
                index = 0 if name == "FIRST_VALUE" else -1
            inside = {"$lt": [index, {"$size": values}]} if name == "NTH_VALUE" else {"$gt": [{"$size": values}, 0]}
            return {"$cond": [inside, {"$ifNull": [{"$arrayElemAt": [values, index]}, None]}, None]}
        folded = {"$ifNull": [{AGGREGATES[name]: values}, None]}
        if name in ("SUM", dialect.SUM_NOT_NULL):
            return {"$cond": [{"$eq": [{"$size": non_null}, 0]}, None, folded]}
        if name in ("VAR_POP", "VAR_SAMP"):
            return {"$multiply": [folded, folded]}
        return folded

    # The value ---------------------------------------------------------------

    def _final(self):
        name = self.func.name
        rn, count = "$" + self.field("r"), "$" + self.field("c")
        if name == "ROW_NUMBER":
            return rn
        if name == "RANK":
            return "$" + self.field("k")
        if name == "DENSE_RANK":
            return "$" + self.field("g")
        if name == "PERCENT_RANK":
            rank = "$" + self.field("k")
            return {"$cond": [
                {"$lte": [count, 1]}, 0.0,
                {"$divide": [{"$subtract": [rank, 1]}, {"$subtract": [count, 1]}]},
            ]}
        if name == "CUME_DIST":
            return {"$divide": ["$" + self.field("e"), count]}
        if name == "NTILE":
            return self._ntile(rn, count)
        return self.value

    def _ntile(self, rn, count):
        """
        Return NTILE(n): the first ``count mod n`` buckets hold ``count div
        n + 1`` rows, the others ``count div n``.
        """
        if len(self.func.args) != 1:
            raise SQLDecodeError(f"NTILE() with {len(self.func.args)} arguments")
        buckets = self.translate(self.func.args[0])
        size = {"$floor": {"$divide": [count, buckets]}}
        rest = {"$mod": [count, buckets]}
        big = {"$multiply": [rest, {"$add": [size, 1]}]}
        zero_based = {"$subtract": [rn, 1]}
        in_big = {"$floor": {"$divide": [zero_based, {"$add": [size, 1]}]}}
        in_small = {"$add": [rest, {"$floor": {"$divide": [
            {"$subtract": [zero_based, big]}, {"$max": [size, 1]},
        ]}}]}
        return {"$toLong": {"$add": [{"$cond": [{"$lt": [zero_based, big]}, in_big, in_small]}, 1]}}


def _natural_nulls(order):
    # MongoDB sorts null first in ascending order and last in descending
    # order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
    return order.nulls is None or order.nulls == ("LAST" if order.descending else "FIRST")


def _bound(offset, current):
    if offset is None:
        return "unbounded"
    return current if offset == 0 else offset


def _unbounded(frame):
    return frame.start is None and frame.end is None


def _has_offset(frame):
    return frame.start not in (None, 0) or frame.end not in (None, 0)
