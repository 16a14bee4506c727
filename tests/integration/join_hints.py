"""
A check, run on every statement of the integration suite, that each JOIN
Django writes carries the right ``/*+ UNIQUE(...) */`` hint.

The optimizer trusts the hint to know that a join finds at most one row
(djongo/compiler.py, join_as_djongo): a hint missing from a join into a
unique column loses a plan, and one on the wrong join changes the rows a
query returns. This check judges each JOIN of the SQL text on its own, from
the models' fields rather than from Django's Join objects that the compiler
reads: the column on each side of ``ON (a = b)``, found by table and column
name, and whether it is unique while the other side holds one value.
"""
import re

from django.apps import apps

QUOTED = r'"[^"]+"'
REFERENCE = rf'(?P<{{0}}_alias>{QUOTED}|\w+)\.(?P<{{0}}_column>{QUOTED})'
# Django's Join.as_sql: "<kind> JOIN <table>[ <alias>] ON (<conditions>)";
# only a lone equality has no parenthesis inside the ON.
JOIN = re.compile(
    rf'(?:INNER|LEFT OUTER) JOIN (?P<table>{QUOTED})(?: (?P<alias>\w+))? ON \((?P<on>[^()]*)\)'
    r'(?: /\*\+ UNIQUE\((?P<positions>[\d, ]+)\) \*/)?'
)
EQUALITY = re.compile(rf'^{REFERENCE.format("left")} = {REFERENCE.format("right")}$')
# Where a table gets its name in a statement, for aliases (T3, U0).
KEYWORDS = "ON|WHERE|INNER|LEFT|RIGHT|FULL|CROSS|ORDER|GROUP|LIMIT|OFFSET|HAVING|UNION|INTERSECT|EXCEPT|FOR|WINDOW|AS"
NAMED = re.compile(rf'(?:FROM|JOIN) (?P<table>{QUOTED})(?: (?P<alias>(?!(?:{KEYWORDS})\b)\w+))?')


def _unquoted(name):
    return name[1:-1] if name.startswith('"') else name


class JoinHintCheck:
    """An execute wrapper (``connection.execute_wrapper``) that checks each JOIN's hint before the SQL runs."""

    def __init__(self):
        self.checked = 0  # JOINs judged, to show the check ran
        self._fields = None

    def __call__(self, execute, sql, params, many, context):
        self.check(sql)
        return execute(sql, params, many, context)

    def fields(self):
        """Return {(table, column): field} of every concrete field of every installed model."""
        if self._fields is None:
            self._fields = {
                (model._meta.db_table, field.column): field
                for model in apps.get_models(include_auto_created=True)
                for field in model._meta.concrete_fields
            }
        return self._fields

    def check(self, sql):
        """Raise AssertionError naming the JOIN of ``sql`` whose hint is not what its columns call for."""
        names = [(found.start(), found["alias"] or _unquoted(found["table"]), _unquoted(found["table"]))
                 for found in NAMED.finditer(sql)]
        for join in JOIN.finditer(sql):
            equality = EQUALITY.match(join["on"].strip())
            if equality is None:
                expected = []  # several conditions (a composite key, a generic relation): no hint
                fields = None
            else:
                fields = [self._field(names, join.end(), equality[f"{side}_alias"], equality[f"{side}_column"])
                          for side in ("left", "right")]
                if None in fields:
                    continue  # a table of no installed model: nothing to judge by
                expected = [
                    position for position, field, other in ((1, fields[0], fields[1]), (2, fields[1], fields[0]))
                    if field.unique and not getattr(other, "holds_many_keys", False)
                ]
            written = [int(part) for part in join["positions"].split(",")] if join["positions"] else []
            self.checked += 1
            if written != expected:
                raise AssertionError(
                    f"the JOIN {join.group(0)!r} should carry UNIQUE{tuple(expected)}, not UNIQUE{tuple(written)} "
                    f"(its columns: {fields}), in: {sql}"
                )

    def _field(self, names, before, alias, column):
        """Return the field of ``alias``.``column``, the alias named last before position ``before``."""
        alias = _unquoted(alias)
        tables = [table for start, name, table in names if name == alias and start < before]
        if not tables:
            return None
        return self.fields().get((tables[-1], _unquoted(column)))


check = JoinHintCheck()
