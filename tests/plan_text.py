"""
A plan's commands as text, and the corpus of SQL/command pairs stored so.

tests/unit/fixtures/orm_plans.txt holds the SQL statements the ORM wrote in
the integration tests (``scripts/capture-sql`` records them, through
tests/sqlcapture.py), each followed by the commands djongo translates it
into, as ``render_plan`` writes them; tests/unit/test_corpus.py plans each
statement again and compares. A change in translation is a failing test,
and once the file is written again, a diff to review.

The text is Python's literal syntax, in ASCII, laid out to diff well: a
value that fits in ``WIDTH`` columns stays on one line; a longer one puts
each item on a line of its own, indented by two spaces, or as many as fit
on a line when they are short values (names, Slots, numbers). A dataclass
is written as a call, with its fields that have no default as positional
arguments and the others as keyword arguments, left out when they hold
their default. A function is written ``module:qualified_name``, the module
relative to djongo.sql2mongo when it is one of its own, a closure with the
values it holds; a sentinel ``object()`` by the name a module of
djongo.sql2mongo gives it. Nothing written depends on memory addresses,
ids or the hash seed: a value whose ``repr`` would show an address is
refused.
"""
import dataclasses
import datetime
import decimal
import enum
import functools
import pathlib
import re
import sys
import types
import uuid

from bson import Int64
from bson.regex import Regex

from djongo.sql2mongo.plans import get_plan, parse

CORPUS = pathlib.Path(__file__).resolve().parent / "unit" / "fixtures" / "orm_plans.txt"

WIDTH = 100
# The longest item of a list, tuple or set that shares its line with others.
SHORT = 24
INDENT = "  "
PACKAGE = "djongo.sql2mongo."

HEADER = """\
# SQL the ORM wrote in the integration tests, each statement followed by the
# MongoDB commands djongo translates it into (tests/plan_text.py writes them),
# one block per statement, blocks separated by blank lines. A statement that
# needs the recorded columns of tables before it can be translated says so
# instead. tests/unit/test_corpus.py checks every block. Write the file again:
#   scripts/capture-sql (runs the integration tests: new SQL and commands), or
#   DJONGO_UPDATE_CORPUS=1 python -m pytest tests/unit/test_corpus.py (same SQL).
"""

NEEDS_COLUMNS = "-- needs the recorded columns of "
NO_COMMANDS = "-- no commands"

# Values written as their repr, which holds no address and is the same on
# every supported Python.
_REPR_TYPES = (
    type(None), bool, int, float, bytes, decimal.Decimal, uuid.UUID,
    datetime.datetime, datetime.date, datetime.time, datetime.timedelta, datetime.timezone,
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class _Group:
    """A bracketed sequence of items, each a (prefix, node) pair; a node is a str or a _Group."""

    __slots__ = ("open", "items", "close", "flat")

    def __init__(self, open_, items, close, single_comma=False):
        self.open, self.items, self.close = open_, items, close
        inner = ", ".join(prefix + _flat(node) for prefix, node in items)
        self.flat = f"{open_}{inner}{',' if single_comma and len(items) == 1 else ''}{close}"


def _flat(node):
    return node if isinstance(node, str) else node.flat


def _lines(node, indent, prefix="", suffix=""):
    """Return the lines of ``node`` at ``indent``, its first one after ``prefix``, its last one followed by ``suffix``."""
    flat = _flat(node)
    if isinstance(node, str) or not node.items or len(indent) + len(prefix) + len(flat) + len(suffix) <= WIDTH:
        return [f"{indent}{prefix}{flat}{suffix}"]
    lines = [f"{indent}{prefix}{node.open}"]
    if all(not item_prefix and len(_flat(item)) <= SHORT for item_prefix, item in node.items):
        # A sequence of short values (names, Slots, numbers): as many on a line as fit.
        line = ""
        for _, item in node.items:
            item = _flat(item)
            if line and len(indent) + len(INDENT) + len(line) + len(item) + 2 > WIDTH:
                lines.append(f"{indent}{INDENT}{line.rstrip()}")
                line = ""
            line += f"{item}, "
        lines.append(f"{indent}{INDENT}{line[:-1]}")
        lines.append(f"{indent}{node.close}{suffix}")
        return lines
    for item_prefix, item in node.items:
        lines.extend(_lines(item, indent + INDENT, item_prefix, ","))
    lines.append(f"{indent}{node.close}{suffix}")
    return lines


def render(value):
    """Return ``value`` as text, on as many lines as its width needs."""
    return "\n".join(_lines(_node(value), ""))


def render_statement(sql):
    """
    Return the text of what ``sql`` plans to without facts of a database:
    its commands, or the line saying which tables' recorded columns it
    needs first (plans.Needs).
    """
    needs = parse(sql).needs
    if needs.tables:
        return NEEDS_COLUMNS + ", ".join(needs.tables)
    return render_plan(get_plan(sql))


def render_plan(plan):
    """Return the text of ``plan``'s commands, one after another."""
    if not plan.commands:
        return NO_COMMANDS
    return "\n".join(render(command) for command in plan.commands)


def _node(value):
    kind = type(value)
    if kind in (dict, list, tuple) or isinstance(value, (set, frozenset)):
        return _container(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass(value)
    if isinstance(value, Int64):
        return f"Int64({int(value)})"
    if isinstance(value, enum.Enum):
        return f"{kind.__qualname__}.{value.name}"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return _function(value)
    if isinstance(value, types.MethodType):
        return _Group(f"{_function(value.__func__)}(", [("self=", _node(value.__self__))], ")")
    if isinstance(value, functools.partial):
        items = [("", _node(value.func))] + [("", _node(arg)) for arg in value.args]
        items += [(f"{name}=", _node(arg)) for name, arg in sorted(value.keywords.items())]
        return _Group("functools.partial(", items, ")")
    if kind is str:
        # ascii(), not repr(): which characters repr() escapes depends on
        # the Unicode version of the Python.
        return ascii(value)
    if isinstance(value, Regex):
        return f"Regex({ascii(value.pattern)}, {value.flags!r})"
    if isinstance(value, re.Pattern):
        return f"re.compile({ascii(value.pattern)}, {int(value.flags)})"
    if kind is object:
        return _sentinel(value)
    text = repr(value).encode("ascii", "backslashreplace").decode()
    if not isinstance(value, _REPR_TYPES) and _ADDRESS.search(text):
        raise TypeError(f"cannot write {kind.__qualname__} without its address: teach tests/plan_text.py")
    return text


def _container(value):
    if type(value) is dict:
        return _Group("{", [(f"{_flat(_node(key))}: ", _node(item)) for key, item in value.items()], "}")
    if type(value) is list:
        return _Group("[", [("", _node(item)) for item in value], "]")
    if type(value) is tuple:
        return _Group("(", [("", _node(item)) for item in value], ")", single_comma=True)
    # A set's order depends on the hash seed: write its items sorted.
    items = sorted((_node(item) for item in value), key=_flat)
    if not items:
        return f"{type(value).__name__}()"
    if type(value) is set:
        return _Group("{", [("", item) for item in items], "}")
    return _Group(f"{type(value).__name__}({{", [("", item) for item in items], "})")


def _dataclass(value):
    items = []
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if field.default is not dataclasses.MISSING:
            default = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            items.append(("", _node(item)))
            continue
        if type(item) is not type(default) or item != default:
            items.append((f"{field.name}=", _node(item)))
    return _Group(f"{type(value).__qualname__}(", items, ")")


def _function(function):
    module = function.__module__ or ""
    if module.startswith(PACKAGE):
        module = module[len(PACKAGE):]
    qualname = function.__qualname__
    if getattr(function, "__closure__", None):
        # A closure's cells hold what it was made with.
        cells = {
            name: cell.cell_contents
            for name, cell in zip(function.__code__.co_freevars, function.__closure__)
        }
        return _Group(f"{module}:{qualname}(", [(f"{name}=", _node(cell)) for name, cell in cells.items()], ")")
    return f"{module}:{qualname}"


@functools.lru_cache(maxsize=None)
def _sentinels():
    """Return {id: name} of the bare object()s the modules of djongo.sql2mongo name."""
    names = {}
    for module_name in sorted(sys.modules):
        if module_name.startswith(PACKAGE):
            for attribute, item in sorted(vars(sys.modules[module_name]).items()):
                if type(item) is object:
                    names.setdefault(id(item), f"{module_name[len(PACKAGE):]}:{attribute}")
    return names


def _sentinel(value):
    name = _sentinels().get(id(value))
    if name is None:
        _sentinels.cache_clear()  # a module imported since
        name = _sentinels().get(id(value))
    if name is None:
        raise TypeError("cannot write an object() no module of djongo.sql2mongo names")
    return name


def read_corpus(path=CORPUS):
    """Return the (sql, expected text) pairs of the corpus file at ``path``."""
    pairs = []
    for block in path.read_text().split("\n\n"):
        lines = block.strip("\n").splitlines()
        if lines and not all(line.startswith("#") for line in lines):
            pairs.append((lines[0], "\n".join(lines[1:])))
    return pairs


def read_statements(path=CORPUS):
    """Return the SQL statements of the corpus file at ``path``."""
    return [sql for sql, _ in read_corpus(path)]


def corpus_text(pairs):
    """Return the text of a corpus file holding the (sql, text) ``pairs``."""
    return HEADER + "".join(f"\n{sql}\n{text}\n" for sql, text in pairs)


def write_corpus(statements, path=CORPUS):
    """
    Plan each of ``statements`` (one-line SQL texts that plan without
    error) and write them, sorted, with their commands to ``path``.
    """
    pairs = [(sql, render_statement(sql)) for sql in sorted(set(statements))]
    path.write_text(corpus_text(pairs))
