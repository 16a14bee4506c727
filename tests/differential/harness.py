"""
Evaluate generated cases on both databases and compare the results.

A case passes when djongo (alias ``default``) and SQLite (alias ``sqlite``)
return the same result after normalisation, or when both raise. Results are
compared as ordered lists when the case is totally ordered, otherwise as
sorted multisets.

Normalisations (each one a representation difference, not a semantic one):

* Numbers (int, float, Decimal, bool) become floats rounded to 9
  significant digits. SQLite returns Decimal columns and aggregates over
  them through Django's converters, djongo through its own, and AVG/SUM may
  come back as float on one side and Decimal or int on the other; 9 digits
  absorbs the binary rounding of float arithmetic. bool becomes 0/1 because
  a BooleanField annotation without a converter comes back as an int on
  SQLite.
* -0.0 becomes 0.0.
* A model instance becomes the tuple of its concrete column values followed
  by its annotations (``obj.__dict__`` order is not relied upon).
* A dict (``values()``, ``aggregate()``) becomes its items sorted by key.

Reports show results after normalisation, so a model row appears as the
tuple of its column values (in model field order) and annotations.
"""
import datetime
import logging
import math
import re
import time
import traceback
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, models
from django.db.models import (
    Avg, Case as CaseExpr, Count, Exists, ExpressionWrapper, F, FloatField, IntegerField, Max, Min, OuterRef, Q,
    Subquery, Sum, Value, When,
)
from django.db.models import RowRange, ValueRange, Window, WindowFrameExclusion
from django.db.models.functions import (
    Coalesce, CumeDist, DenseRank, FirstValue, Lag, LastValue, Lead, NthValue, Ntile, PercentRank, Rank, RowNumber,
)
from django.test.utils import CaptureQueriesContext

from tests.differential.app.models import Child, GrandChild, Parent, Tag

ALIASES = ("default", "sqlite")
logger = logging.getLogger(__name__)

NAMESPACE = {
    "Parent": Parent, "Child": Child, "GrandChild": GrandChild, "Tag": Tag,
    "Q": Q, "F": F, "Value": Value, "Count": Count, "Sum": Sum, "Avg": Avg, "Min": Min, "Max": Max,
    "Case": CaseExpr, "When": When, "Coalesce": Coalesce, "Exists": Exists, "OuterRef": OuterRef,
    "Subquery": Subquery, "IntegerField": IntegerField,
    "ExpressionWrapper": ExpressionWrapper, "FloatField": FloatField,
    "Decimal": Decimal, "datetime": datetime, "UTC": datetime.timezone.utc,
    "Window": Window, "RowRange": RowRange, "ValueRange": ValueRange, "Exclude": WindowFrameExclusion,
    "RowNumber": RowNumber, "Rank": Rank, "DenseRank": DenseRank, "PercentRank": PercentRank, "CumeDist": CumeDist,
    "Ntile": Ntile, "Lag": Lag, "Lead": Lead, "FirstValue": FirstValue, "LastValue": LastValue, "NthValue": NthValue,
}


@dataclass
class Outcome:
    """What one alias returned for one case."""
    value: object = None
    error: str = None          # "ExceptionClass: message" when evaluation raised
    error_class: str = None
    sql: list = field(default_factory=list)   # the SQL statements the alias executed
    seconds: float = 0.0


@dataclass
class Failure:
    """A case whose two outcomes disagree."""
    index: int
    case: object
    outcomes: dict

    @property
    def category(self):
        """Return a short class of the failure, for the summary."""
        mongo, lite = self.outcomes["default"], self.outcomes["sqlite"]
        if mongo.error and not lite.error:
            return "djongo raises " + _generic(mongo.error)
        if lite.error and not mongo.error:
            return "SQLite raises (djongo answers) " + _generic(lite.error)
        return "wrong result"

    def report(self):
        """Return a readable multi-line report of this failure."""
        lines = [f"#{self.index} [{self.category}] ordered={self.case.ordered}", f"  {self.case.description}"]
        for alias in ALIASES:
            outcome = self.outcomes[alias]
            lines.append(f"  -- {alias} SQL:")
            lines.extend(f"     {sql}" for sql in outcome.sql or ["(none executed)"])
            if outcome.error:
                lines.append(f"  -- {alias} error: {outcome.error}")
            else:
                lines.append(f"  -- {alias} result: {_short(normalize(outcome.value))}")
        mongo, lite = self.outcomes["default"], self.outcomes["sqlite"]
        if not mongo.error and not lite.error:
            left, right = normalize(mongo.value), normalize(lite.value)
            if isinstance(left, tuple) and isinstance(right, tuple):
                only_mongo, only_lite = _multiset_difference(left, right)
                if only_mongo or only_lite:
                    lines.append(f"  -- only in djongo: {_short(only_mongo)}")
                    lines.append(f"  -- only in SQLite: {_short(only_lite)}")
                else:
                    lines.append("  -- same rows, different order")
        return "\n".join(lines)


def _multiset_difference(left, right):
    """Return (items of left missing from right, items of right missing from left), counting repeats."""
    remaining = list(right)
    only_left = []
    for item in left:
        if item in remaining:
            remaining.remove(item)
        else:
            only_left.append(item)
    return only_left, remaining


def _generic(error):
    """Return the first line of an error with numbers (variable names, positions) replaced by N."""
    return re.sub(r"\d+", "N", error.splitlines()[0])


def _short(value, limit=1500):
    """Return repr(value), cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def normalize(value):
    """Return ``value`` with representation differences removed (see the module docstring)."""
    if isinstance(value, models.Model):
        fields = [normalize(getattr(value, f.attname)) for f in value._meta.concrete_fields]
        annotations = [normalize(getattr(value, name)) for name in getattr(value, "_diff_annotations", ())]
        return tuple(fields + annotations)
    if isinstance(value, dict):
        return tuple((key, normalize(item)) for key, item in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(normalize(item) for item in value)
    if isinstance(value, (bool, int, float, Decimal)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return number
        number = float(f"{number:.9g}")
        return 0.0 if number == 0 else number
    return value


_RANKS = {type(None): 0, float: 1, str: 2, datetime.date: 3, datetime.datetime: 4, tuple: 5}


def sort_key(value):
    """Return a key that orders normalised values of mixed types (None first)."""
    rank = _RANKS.get(type(value), 9)
    if isinstance(value, tuple):
        return (rank, tuple(sort_key(item) for item in value))
    if isinstance(value, datetime.datetime):
        return (rank, value.isoformat())
    if rank == 9:
        return (rank, repr(value))
    return (rank, value)


def _materialize(result, annotation_names):
    """Return the evaluated result of a case as plain Python values."""
    if isinstance(result, models.QuerySet):
        rows = list(result)
        for row in rows:
            if isinstance(row, models.Model):
                row._diff_annotations = annotation_names
        return rows
    return result


def evaluate(case, alias):
    """Evaluate ``case`` on ``alias`` and return its Outcome."""
    outcome = Outcome()
    connection = connections[alias]
    captured = CaptureQueriesContext(connection)
    start = time.monotonic()
    with captured:
        try:
            result = eval(case.source(alias), dict(NAMESPACE))  # noqa: S307 - our own generated source
            names = list(result.query.annotation_select) if isinstance(result, models.QuerySet) else []
            outcome.value = _materialize(result, names)
        except Exception as exc:  # noqa: BLE001 - every error is a finding to report
            outcome.error_class = type(exc).__name__
            message = str(exc).strip().splitlines()
            outcome.error = f"{outcome.error_class}: {message[0] if message else ''}"
            if not isinstance(exc, connection.Database.DatabaseError) and not type(exc).__module__.startswith(
                ("django", "djongo")
            ):
                # An unexpected exception: keep where it came from.
                outcome.error += "\n" + "".join(traceback.format_exception(exc)[-4:]).rstrip()
    outcome.seconds = time.monotonic() - start
    outcome.sql = [query["sql"] for query in captured.captured_queries] or _compiled_sql(case, alias)
    return outcome


def _compiled_sql(case, alias):
    """Return the SQL Django compiles for the case's queryset on ``alias`` (terminal call stripped)."""
    source = case.source(alias)
    for terminal in (".count()", ".exists()"):
        if source.endswith(terminal):
            source = source[: -len(terminal)]
    if ".aggregate(" in source:
        source = source[: source.rindex(".aggregate(")]
    try:
        qs = eval(source, dict(NAMESPACE))  # noqa: S307
        sql, params = qs.query.get_compiler(alias).as_sql()
        return [f"{sql} -- params {params!r}"]
    except Exception as exc:  # noqa: BLE001
        return [f"(could not compile: {type(exc).__name__}: {exc})"]


def compare(case, outcomes):
    """Return True when the two outcomes agree."""
    mongo, lite = outcomes["default"], outcomes["sqlite"]
    if mongo.error or lite.error:
        return bool(mongo.error and lite.error)
    left, right = normalize(mongo.value), normalize(lite.value)
    if isinstance(left, tuple) and isinstance(right, tuple) and not case.ordered:
        left, right = sorted(left, key=sort_key), sorted(right, key=sort_key)
    return left == right


SLOW_SECONDS = 1.0


def run_cases(cases):
    """Evaluate every case on both aliases; return (failures, number of cases where both raised)."""
    failures, both_raised = [], 0
    for index, case in enumerate(cases):
        outcomes = {}
        for alias in ALIASES:
            outcomes[alias] = evaluate(case, alias)
        if outcomes["default"].seconds > SLOW_SECONDS:
            logger.warning("case #%d took %.1fs on djongo: %s", index, outcomes["default"].seconds, case.description)
        if not compare(case, outcomes):
            failures.append(Failure(index, case, outcomes))
        elif outcomes["default"].error:
            both_raised += 1
    return failures, both_raised


def summary(failures, total, both_raised, seed, replay):
    """Return the report of a run: failures grouped by category, then each failure."""
    by_category = {}
    for failure in failures:
        by_category.setdefault(failure.category, []).append(failure)
    lines = [
        f"differential seed {seed}: {len(failures)} of {total} querysets disagree "
        f"({both_raised} raised on both aliases and count as agreeing)",
        f"replay: {replay}",
    ]
    for category, items in sorted(by_category.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(items):4d}  {category}")
    for failure in failures:
        lines.append("")
        lines.append(failure.report())
    return "\n".join(lines)
