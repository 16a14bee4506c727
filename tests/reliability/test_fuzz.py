"""
A seeded fuzzer: SQL that Django emits, mutated, with odd parameters, sent
through ``connection.cursor().execute()``. Every exception must be one of
django.db's, and no statement may run past a time limit.

The fixed seed runs on every ``make test`` and fails on any finding; a
second seed, new each run, prints its findings without failing, so that
new ground is covered over time (rerun a finding with FUZZ_SEED=<seed>).
"""
import datetime
import decimal
import os
import random
import re
import time
import uuid

import pytest
from django.db import Error as DjangoError, connection
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Concat, Lower, Upper
from django.test import TransactionTestCase

from tests.integration.app.models import Author, Book, Kitchen

FIXED_SEED = 20261204
CASES = 2000
SECONDS_PER_STATEMENT = 5.0

# Tokens a mutation inserts: punctuation, keywords, odd literals and nesting.
TOKENS = [
    "(", ")", ",", "NOT", "AND", "OR", "NULL", "%s", "'", '"', "+", "-", "*", "/", "||", "=", "<>", "IN", "LIKE",
    "SELECT", "FROM", "WHERE", "CASE", "WHEN", "THEN", "END", "0x1F", "1e999", "-0", "'\\x00'", '"a\x00b"',
    "'%'", "UPPER(", "COUNT(*)", "ORDER BY", "LIMIT", "FOR UPDATE", ";", "/*+ UNIQUE(9) */", "*",
]

# Parameters of every kind an application, or an attacker, might send.
ODD_VALUES = [
    None, 0, -1, 2**63 - 1, 2**64, -2**70, 1.5, float("nan"), float("inf"), True, "", "x" * 10_000, "\x00",
    "$where", "$$ROOT", "{'$gt': ''}", ".*", "%", "_", "\\", b"\xff\x00", bytearray(b"ab"), memoryview(b"cd"),
    decimal.Decimal("1" * 40), decimal.Decimal("NaN"), decimal.Decimal("-1e-9999"), datetime.date(1, 1, 1),
    datetime.datetime(9999, 12, 31, 23, 59), datetime.time(25 % 24, 0), datetime.timedelta(days=-1),
    uuid.UUID(int=0), [1, [2, {"$gt": 1}]], (), {"$ne": None}, {"a.b": 1, "$set": 2}, {1, 2}, 1j, object(),
    re.compile(".*"),
]


def corpus():
    """Return the (sql, params) Django sends for a spread of ORM operations."""
    ann = Author.objects.create(name="Ann", email="a@example.com")
    Book.objects.create(title="T", author=ann, pages=3)
    Kitchen.objects.create(name="k", count=1, price=decimal.Decimal("1.50"))
    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        Author.objects.filter(name__icontains="a").exclude(email="").order_by("-id")[:5].count()
        list(Book.objects.select_related("author").filter(author__name__startswith="A", pages__gte=1))
        list(Author.objects.annotate(n=Count("books")).filter(n__gt=0).values("name", "n"))
        list(Author.objects.filter(Q(name="Ann") | Q(email__endswith=".com"), id__in=[1, 2, 3]))
        list(Kitchen.objects.annotate(u=Upper(Concat("name", Value("x"))), l=Lower("code")).values("u", "l"))
        list(Book.objects.filter(author__in=Author.objects.filter(name="Ann")).values_list("title", flat=True))
        Kitchen.objects.filter(count__lt=10).update(count=F("count") + 1)
        Kitchen.objects.create(name="n", count=2, ratio=0.5)
        Book.objects.filter(pages__gt=100).delete()
        list(Kitchen.objects.filter(born__year=2020, seen__isnull=True).order_by("price")[1:3])
    return captured


# SQL's tokens as the fuzzer moves them: hints, quoted names and strings,
# placeholders, two-character operators, numbers, words, single characters.
TOKEN = re.compile(r"/\*.*?\*/|\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|%s|%%|<=|>=|<>|!=|\|\||\d+(?:\.\d+)?|\w+|\S")


def mutate(rng, sql, params):
    """Return one mutation of ``sql`` and ``params``."""
    tokens = TOKEN.findall(sql)
    kind = rng.randrange(7)
    if kind == 0 and tokens:  # drop a token
        del tokens[rng.randrange(len(tokens))]
    elif kind == 1:  # insert one
        tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(TOKENS))
    elif kind == 2 and tokens:  # repeat a stretch
        start = rng.randrange(len(tokens))
        tokens[start:start] = tokens[start:start + rng.randrange(1, 6)] * rng.randrange(2, 4)
    elif kind == 3 and tokens:  # nest deeply around a token
        position, depth = rng.randrange(len(tokens)), rng.choice((10, 70, 300))
        opener = rng.choice(("(", "NOT ", "UPPER(", "- "))
        closer = ")" if opener.endswith("(") else ""
        tokens[position] = opener * depth + tokens[position] + closer * depth
    elif kind == 4 and tokens:  # swap two tokens
        a, b = rng.randrange(len(tokens)), rng.randrange(len(tokens))
        tokens[a], tokens[b] = tokens[b], tokens[a]
    text = " ".join(tokens)
    count = text.count("%s")
    params = list(params)
    if kind >= 5 or rng.random() < 0.5:
        params = [rng.choice(ODD_VALUES) if rng.random() < 0.5 else value for value in params]
    # Mostly the right number of parameters; sometimes not.
    params = (params + [rng.choice(ODD_VALUES) for _ in range(count)])[:count]
    if rng.random() < 0.05:
        params = params[:-1] if params else [1]
    return text, params


def run_cases(seed, cases, statements):
    """
    Run ``cases`` mutations; return the findings, each a line saying what
    went wrong, and how many statements ran and how many were refused.
    """
    rng = random.Random(seed)
    findings = []
    ran = refused = 0
    for case in range(cases):
        sql, params = mutate(rng, *rng.choice(statements))
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchmany(100)
            ran += 1
        except DjangoError:
            refused += 1
        except Exception as exc:
            findings.append(f"case {case}: {type(exc).__module__}.{type(exc).__name__}: {exc!s:.200} in {sql[:300]!r}")
        elapsed = time.monotonic() - started
        if elapsed > SECONDS_PER_STATEMENT:
            findings.append(f"case {case}: ran {elapsed:.1f} s: {sql[:300]!r}")
    return findings, ran, refused


class FuzzTests(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def setUp(self):
        self.statements = corpus()
        self.assertGreaterEqual(len(self.statements), 10)

    def test_fixed_seed(self):
        seed = int(os.environ.get("FUZZ_SEED", FIXED_SEED))
        findings, ran, refused = run_cases(seed, CASES, self.statements)
        self.assertEqual(findings, [], f"seed {seed}: {len(findings)} findings")
        # The mutations reach the server, not only the parser.
        self.assertGreater(ran, CASES // 10)
        print(f"fuzz seed {seed}: {CASES} cases, {ran} ran, {refused} refused with a django.db error")

    @pytest.mark.explore
    def test_new_seed_reports_without_failing(self):
        seed = int(time.time())
        findings, ran, refused = run_cases(seed, CASES // 4, self.statements)
        for finding in findings:
            print(f"fuzz seed {seed}: {finding}")
        print(f"fuzz seed {seed}: {CASES // 4} cases, {ran} ran, {refused} refused, {len(findings)} findings")
