"""
Random querysets, written as Python source.

Each generated case is the text of an ORM expression such as
``Child.objects.filter(Q(score__lt=4) | ~Q(parent__name__icontains='a%'))
.order_by('-score', 'pk')[2:7]``. The text is the case's description: it is
what a failure report shows and what one pastes into a shell to replay it.
The harness evaluates it once per database alias (see harness.py), so both
databases receive querysets built from scratch, never a shared object.

The generator knows the schema (FIELDS, RELATIONS below) and draws filters,
annotations, orderings, slices and terminal calls from a seeded
``random.Random``; the same seed always yields the same cases.
"""
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from tests.differential.dataset import BASE_DAY, BASE_MOMENT, TAG_NAMES, WORDS

# Column types: int, float, dec, str, bool, date, dt; "?" marks a nullable column.
FIELDS = {
    "Parent": {
        "id": "int", "name": "str", "code": "str?", "num": "int", "opt": "int?",
        "ratio": "float?", "price": "dec?", "flag": "bool", "day": "date?", "moment": "dt?",
    },
    "Child": {
        "id": "int", "label": "str", "note": "str?", "score": "int", "bonus": "int?",
        "weight": "float", "amount": "dec?", "active": "bool", "day": "date", "moment": "dt?",
    },
    "GrandChild": {
        "id": "int", "title": "str", "qty": "int", "extra": "int?", "cost": "dec", "seen": "date?",
    },
    "Tag": {"id": "int", "name": "str", "weight": "int?"},
}

# (relation name, target model, multi-valued?, nullable?)
RELATIONS = {
    "Parent": [("children", "Child", True, True), ("buddies", "Child", True, True)],
    "Child": [
        ("parent", "Parent", False, False), ("buddy", "Parent", False, True),
        ("tags", "Tag", True, True), ("grandchildren", "GrandChild", True, True),
    ],
    "GrandChild": [("child", "Child", False, True)],
    "Tag": [("children", "Child", True, True)],
}

# For OuterRef subqueries: (inner model, inner field that points at the outer model).
CORRELATED = {
    "Parent": [("Child", "parent"), ("Child", "buddy"), ("GrandChild", "child__parent")],
    "Child": [("GrandChild", "child"), ("Parent", "children"), ("Tag", "children")],
    "GrandChild": [("Child", "grandchildren"), ("GrandChild", "child")],
    "Tag": [("Child", "tags")],
}

NUMERIC = ("int", "float", "dec")
STR_FRAGMENTS = ["a", "A", "al", "AL", "ph", "%", "_", "\\", "_1", "ta", "Z", "e", "x", "b", ".", "*", "^", "(", "'"]


def base_type(kind):
    """Return a column type without its nullability mark."""
    return kind.rstrip("?")


@dataclass
class Case:
    """One generated queryset: its source text and how to compare its results."""
    model: str
    chain: str           # everything after ``<Model>.objects``, terminal call included
    ordered: bool        # True when the result order is fully determined
    kind: str            # "rows", "values", "values_list", "scalar"

    @property
    def description(self):
        return f"{self.model}.objects{self.chain}"

    def source(self, alias):
        """Return the Python source that evaluates this case on the database ``alias``."""
        return f"{self.model}.objects.using({alias!r}){self.chain}"


class Generator:
    """Draw random querysets from a seeded ``random.Random``."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.counter = 0

    # -- values ---------------------------------------------------------
    def value(self, kind, lookup="exact"):
        """Return the source of a constant of column type ``kind`` fit for ``lookup``."""
        r = self.rng
        kind = base_type(kind)
        if kind == "int":
            return repr(r.randint(-6, 25))
        if kind == "float":
            return repr(r.choice([0.0, 0.5, -1.25, 2.75, 3.0, 10.125, 1000.0, 0.1, 1.5, -8.0]))
        if kind == "dec":
            return f"Decimal({str(Decimal(r.randint(-1000, 10000)) / 100)!r})"
        if kind == "bool":
            return repr(r.random() < 0.5)
        if kind == "date":
            return repr(BASE_DAY + datetime.timedelta(days=r.randint(-2, 62)))
        if kind == "dt":
            moment = BASE_MOMENT + datetime.timedelta(minutes=r.randint(0, 60 * 24 * 62))
            return f"datetime.datetime({moment.year}, {moment.month}, {moment.day}, {moment.hour}, {moment.minute}, tzinfo=UTC)"
        # str
        if lookup in ("contains", "icontains", "startswith", "endswith"):
            if r.random() < 0.6:
                return repr(r.choice(STR_FRAGMENTS))
            word = r.choice(WORDS + TAG_NAMES)
            i = r.randint(0, len(word))
            return repr(word[i:i + r.randint(0, 4)])
        word = r.choice(WORDS + TAG_NAMES)
        if lookup == "iexact" and r.random() < 0.5:
            word = word.swapcase()
        return repr(word)

    # -- paths ----------------------------------------------------------
    def path(self, model, max_depth=2, allow_multi=True):
        """Return (prefix, target model, multi-valued?) of a random relation path."""
        prefix, target, multi = "", model, False
        for _ in range(self.rng.choice([0, 0, 1, 1, 2][: 3 + max_depth])):
            # At most one multi-valued hop: two (e.g. tags__children__) multiply
            # the joined rows, which costs seconds per query on mongo-java-server.
            choices = [rel for rel in RELATIONS[target] if (allow_multi and not multi) or not rel[2]]
            if not choices:
                break
            name, target, rel_multi, _ = self.rng.choice(choices)
            prefix += name + "__"
            multi = multi or rel_multi
        return prefix, target, multi

    def field(self, model, kinds=None):
        """Return (name, type) of a random column of ``model``, optionally among ``kinds``."""
        items = [(n, k) for n, k in FIELDS[model].items() if kinds is None or base_type(k) in kinds]
        return self.rng.choice(items)

    @staticmethod
    def has_field(model, kinds):
        """Return True when ``model`` has a column of one of ``kinds``."""
        return any(base_type(k) in kinds for k in FIELDS[model].values())

    # -- filters --------------------------------------------------------
    def lookup_q(self, model):
        """Return the source of one Q() leaf over a column, maybe across relations."""
        r = self.rng
        prefix, target, _ = self.path(model)
        name, kind = self.field(target)
        bt = base_type(kind)
        lookups = ["exact", "exact", "in", "isnull", "lt", "lte", "gt", "gte", "range"]
        if bt == "str":
            lookups += ["iexact", "contains", "icontains", "startswith", "endswith"] * 2
        if bt == "bool":
            lookups = ["exact", "exact", "isnull", "in"]
        lookup = r.choice(lookups)
        key = f"{prefix}{name}__{lookup}"
        if lookup == "isnull":
            return f"Q({key}={r.random() < 0.5!r})"
        if lookup == "in":
            items = ", ".join(self.value(kind) for _ in range(r.randint(0, 4)))
            return f"Q({key}=[{items}])"
        if lookup == "range":
            low, high = sorted([self.value(kind), self.value(kind)], key=lambda s: eval(s, NAMESPACE_FOR_VALUES))
            return f"Q({key}=({low}, {high}))"
        if lookup == "exact" and kind.endswith("?") and r.random() < 0.15:
            return f"Q({prefix}{name}=None)"
        if lookup == "exact":
            key = f"{prefix}{name}"
        return f"Q({key}={self.value(kind, lookup)})"

    def f_q(self, model):
        """Return the source of a Q() comparing a column with another column (F), maybe plus a constant."""
        r = self.rng
        while True:
            kinds = r.choice([("int",), ("int",), ("int", "float", "dec"), ("date",), ("str",)])
            prefix, target, _ = self.path(model, max_depth=1)
            prefix2, target2, _ = self.path(model, max_depth=1)
            if self.has_field(target, kinds) and self.has_field(target2, kinds):
                break
        left, _ = self.field(target, kinds)
        right, _ = self.field(target2, kinds)
        rhs = f"F({prefix2 + right!r})"
        if kinds[0] == "int" and r.random() < 0.5:
            rhs += f" {r.choice('+-*')} {r.randint(1, 5)}"
        lookup = r.choice(["exact", "lt", "lte", "gt", "gte"])
        return f"Q({prefix}{left}__{lookup}={rhs})"

    def subquery_q(self, model):
        """Return the source of a condition with a subquery: __in, Exists or a scalar Subquery."""
        r = self.rng
        shape = r.choice(["in", "in", "exists", "scalar"])
        if shape == "in":
            rels = [rel for rel in RELATIONS[model] if not rel[2]]
            if rels and r.random() < 0.5:
                name, target, _, _ = r.choice(rels)
                inner = f"{target}.objects.filter({self.q(target, depth=1, subqueries=False)})"
                if r.random() < 0.5:
                    inner += ".values('pk')"
                return f"Q({name}__in={inner})"
            inner_model, link = r.choice(CORRELATED[model])
            inner = f"{inner_model}.objects.filter({self.q(inner_model, depth=1, subqueries=False)}).values({link!r})"
            return f"Q(pk__in={inner})"
        inner_model, link = r.choice(CORRELATED[model])
        cond = self.q(inner_model, depth=1, subqueries=False)
        if shape == "exists":
            text = f"Exists({inner_model}.objects.filter({cond}, {link}=OuterRef('pk')))"
            return f"~{text}" if r.random() < 0.3 else text
        name, kind = self.field(inner_model, ("int",))
        sub = (f"Subquery({inner_model}.objects.filter({link}=OuterRef('pk'))"
               f".order_by('-{name}', 'pk').values({name!r})[:1])")
        own, _ = self.field(model, ("int",))
        return f"Q({own}__{r.choice(['lt', 'gte', 'exact'])}={sub})"

    def q(self, model, depth=2, subqueries=True):
        """Return the source of a Q tree combining leaves with &, | and ~."""
        r = self.rng
        if depth <= 0 or r.random() < 0.35:
            roll = r.random()
            if subqueries and roll < 0.12:
                leaf = self.subquery_q(model)
            elif roll < 0.27:
                leaf = self.f_q(model)
            else:
                leaf = self.lookup_q(model)
            if r.random() < 0.15 and not leaf.startswith("~"):
                leaf = "~" + leaf
            return leaf
        left = self.q(model, depth - 1, subqueries)
        right = self.q(model, depth - 1, subqueries)
        text = f"({left} {r.choice('&|')} {right})"
        if r.random() < 0.2:
            text = "~" + text
        return text

    # -- annotations ----------------------------------------------------
    def aggregate_expr(self, model):
        """Return (source, type) of an aggregate over the model or one of its relations."""
        r = self.rng
        func = r.choice(["Count", "Count", "Sum", "Avg", "Min", "Max"])
        multi_rels = [rel for rel in RELATIONS[model] if rel[2]]
        if multi_rels and r.random() < 0.75:
            name, target, _, _ = r.choice(multi_rels)
            prefix = name + "__"
        else:
            prefix, target = "", model
        kinds = ("int", "float", "dec") if func in ("Sum", "Avg") else ("int", "float", "dec", "date", "str")
        if func == "Count":
            fname = r.choice(["pk", self.field(target)[0]])
            args = repr(prefix + fname)
            if r.random() < 0.3:
                args += ", distinct=True"
            result_kind = "int"
        else:
            fname, kind = self.field(target, kinds)
            args = repr(prefix + fname)
            result_kind = "float" if func == "Avg" else base_type(kind)
        if r.random() < 0.25:
            args += f", filter={self.lookup_q(target) if not prefix else self._prefixed_q(prefix, target)}"
        return f"{func}({args})", result_kind

    def _prefixed_q(self, prefix, target):
        """Return a simple Q over ``target``'s own column, reached through ``prefix``."""
        name, kind = self.field(target, ("int", "str", "bool", "date"))
        lookup = self.rng.choice(["exact", "gt", "lt"]) if base_type(kind) != "bool" else "exact"
        return f"Q({prefix}{name}__{lookup}={self.value(kind)})"

    def scalar_expr(self, model):
        """Return (source, type) of a non-aggregate expression: Value, arithmetic, Coalesce, Case, Subquery."""
        r = self.rng
        shape = r.choice(["value", "arith", "arith", "coalesce", "case", "case", "subquery", "exists"])
        if shape == "value":
            return r.choice([("Value(7)", "int"), ("Value('k%_\\\\')", "str"), ("Value(True)", "bool"), ("Value(2.5)", "float")])
        if shape == "arith":
            a, _ = self.field(model, ("int",))
            b, _ = self.field(model, ("int",))
            op = r.choice("+-*")
            text = f"F({a!r}) {op} F({b!r})" if r.random() < 0.5 else f"F({a!r}) {op} {r.randint(1, 9)}"
            if r.random() < 0.25:
                # Division by a float: SQL leaves integer division to the
                # database (SQLite truncates, djongo like MySQL does not), so
                # only exact division has one right answer.
                text = f"ExpressionWrapper(({text}) / Value({r.choice([2.0, 4.0, 0.5])}), output_field=FloatField())"
                return text, "float"
            return text, "int"
        if shape == "coalesce":
            kind = r.choice(["int", "str"])
            nullable = [n for n, k in FIELDS[model].items() if k == kind + "?"]
            others = [n for n, k in FIELDS[model].items() if base_type(k) == kind]
            if not nullable:
                nullable = others
            fallback = f"F({r.choice(others)!r})" if r.random() < 0.5 else (
                "Value(-1)" if kind == "int" else "Value('none')")
            return f"Coalesce({r.choice(nullable)!r}, {fallback})", kind
        if shape == "case":
            whens = ", ".join(
                f"When({self.q(model, depth=1, subqueries=False)}, then=Value({i * 10}))"
                for i in range(1, r.randint(2, 3)))
            default = r.choice(["Value(0)", "F('id')", "None"])
            return f"Case({whens}, default={default}, output_field=IntegerField())", "int"
        if shape == "subquery":
            inner_model, link = r.choice(CORRELATED[model])
            name, kind = self.field(inner_model, ("int", "str"))
            order = r.choice(["", "-"]) + name
            return (f"Subquery({inner_model}.objects.filter({link}=OuterRef('pk'))"
                    f".order_by({order!r}, 'pk').values({name!r})[:1])"), base_type(kind)
        inner_model, link = r.choice(CORRELATED[model])
        return (f"Exists({inner_model}.objects.filter({self.lookup_q(inner_model)}, {link}=OuterRef('pk')))"), "bool"

    # -- ordering -------------------------------------------------------
    def order_keys(self, model, annotations, count):
        """Return ``count`` random ordering keys: own columns, forward relations, annotations."""
        r = self.rng
        keys = []
        for _ in range(count):
            roll = r.random()
            if annotations and roll < 0.25:
                key = r.choice(list(annotations))
            elif roll < 0.5:
                prefix, target, _ = self.path(model, max_depth=2, allow_multi=False)
                key = prefix + self.field(target)[0]
            else:
                key = self.field(model)[0]
            if r.random() < 0.1:
                keys.append(f"F({key!r}).{r.choice(['asc', 'desc'])}(nulls_{r.choice(['first', 'last'])}=True)")
                continue
            keys.append(("-" if r.random() < 0.4 else "") + key)
        return [k if k.startswith("F(") else repr(k) for k in keys]

    # -- whole cases ----------------------------------------------------
    def case(self):
        """Return one random Case."""
        r = self.rng
        self.counter += 1
        model = r.choice(["Parent", "Parent", "Child", "Child", "Child", "GrandChild", "Tag"])
        chain = ""
        annotations = {}
        aggregated = False

        n_annotations = r.choice([0, 0, 0, 1, 1, 2])
        for i in range(n_annotations):
            if r.random() < 0.5:
                expr, kind = self.aggregate_expr(model)
                aggregated = True
            else:
                expr, kind = self.scalar_expr(model)
            annotations[f"a{i}"] = kind
            chain += f".annotate(a{i}={expr})"
        for _ in range(r.choice([0, 1, 1, 1, 2])):
            method = "exclude" if r.random() < 0.25 else "filter"
            chain += f".{method}({self.q(model)})"
        if annotations and r.random() < 0.4:
            name = r.choice(list(annotations))
            kind = annotations[name]
            if kind in NUMERIC:
                chain += f".filter({name}__{r.choice(['gt', 'lte', 'exact'])}={r.randint(-2, 12)})"
            elif kind == "str":
                chain += f".filter({name}__contains={self.value('str', 'contains')})"
            elif kind == "bool":
                chain += f".filter({name}={r.random() < 0.5!r})"

        shape = r.choice(["rows", "rows", "values", "values_list", "group", "aggregate", "count", "exists"])
        if shape == "aggregate":
            parts = []
            for i in range(r.randint(1, 3)):
                expr, _ = self.aggregate_expr(model)
                parts.append(f"x{i}={expr}")
            return Case(model, chain + f".aggregate({', '.join(parts)})", True, "scalar")
        if shape == "count":
            if r.random() < 0.3:
                chain += ".distinct()"
            return Case(model, chain + ".count()", True, "scalar")
        if shape == "exists":
            return Case(model, chain + ".exists()", True, "scalar")
        if shape == "group":
            prefix, target, _ = self.path(model, max_depth=1, allow_multi=False)
            keys = [prefix + self.field(target)[0] for _ in range(r.randint(1, 2))]
            keys = list(dict.fromkeys(keys))
            chain += f".values({', '.join(map(repr, keys))})"
            aggs = []
            for i in range(r.randint(1, 2)):
                expr, _ = self.aggregate_expr(model)
                aggs.append(f"g{i}={expr}")
            chain += f".annotate({', '.join(aggs)})"
            if r.random() < 0.3:
                chain += f".filter(g0__gte={r.randint(0, 3)})"
            ordered = r.random() < 0.6
            if ordered:
                keys_src = [("-" if r.random() < 0.4 else "") + k for k in keys]
                chain += f".order_by({', '.join(map(repr, keys_src))})"
                if r.random() < 0.4:
                    a = r.randint(0, 4)
                    chain += f"[{a}:{a + r.randint(1, 6)}]"
            return Case(model, chain, ordered, "values")

        fields = []
        if shape in ("values", "values_list"):
            for _ in range(r.randint(1, 3)):
                if annotations and r.random() < 0.3:
                    fields.append(r.choice(list(annotations)))
                else:
                    prefix, target, _ = self.path(model, max_depth=2, allow_multi=r.random() < 0.3)
                    fields.append(prefix + self.field(target)[0])
            fields = list(dict.fromkeys(fields))
            if shape == "values":
                chain += f".values({', '.join(map(repr, fields))})"
            else:
                flat = ", flat=True" if len(fields) == 1 and r.random() < 0.5 else ""
                chain += f".values_list({', '.join(map(repr, fields))}{flat})"
        distinct = r.random() < 0.25
        if distinct:
            chain += ".distinct()"
        ordered = False
        if r.random() < 0.7:
            keys = self.order_keys(model, annotations, r.randint(0, 3))
            ordered = r.random() < 0.75
            if ordered:
                keys.append(repr(r.choice(["pk", "-pk"])))
            if keys:
                chain += f".order_by({', '.join(keys)})"
            else:
                ordered = False
            if ordered and r.random() < 0.45:
                a = r.randint(0, 10)
                b = a + r.randint(0, 12)
                chain += r.choice([f"[{a}:{b}]", f"[:{b}]", f"[{a}:]"])
        return Case(model, chain, ordered, "values_list" if shape == "values_list" else shape)

    def cases(self, n):
        """Return ``n`` random cases."""
        return [self.case() for _ in range(n)]


NAMESPACE_FOR_VALUES = {"Decimal": Decimal, "datetime": datetime, "UTC": datetime.timezone.utc}
