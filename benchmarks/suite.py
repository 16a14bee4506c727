"""
Time a Django project's own test suite on djongo, on SQLite and, when one
is reachable, on PostgreSQL, in the same run.

    .venv/bin/python -m benchmarks.suite [--postgres URI]

The suite is generated, the same for every backend: an app of 30 models
(foreign keys in a chain, a few many-to-many fields) and 200 tests as a
project writes them: TestCases with ``setUpTestData``, TestCases with a
fixture, and a few TransactionTestCases. Each backend runs it in a process
of its own with Django's test runner, which creates and migrates the test
database first. Reported per backend: the whole process, the test database
setup, and the tests split into their bodies (the test methods) and
everything around them (setUpTestData, fixtures, the flush or rollback
after each test).

Uses $MONGODB_URI when set, otherwise starts a local server; PostgreSQL
runs when ``--postgres`` (or $BENCH_POSTGRES_URI) names a server and
psycopg is installed.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse

MODELS = 30
# The models with a many-to-many field to Model0.
WITH_TAGS = (5, 15, 25)
DATA_CLASSES = 20  # TestCases with setUpTestData, 8 tests each
FIXTURE_CLASSES = 4  # TestCases with a fixture, 5 tests each
TRANSACTION_CLASSES = 4  # TransactionTestCases, 5 tests each
TESTS = DATA_CLASSES * 8 + FIXTURE_CLASSES * 5 + TRANSACTION_CLASSES * 5
FIXTURE_ROWS = 10


def models_source():
    """Return the source of the generated app's models.py."""
    lines = ["from django.db import models", ""]
    for number in range(MODELS):
        lines += [
            "",
            f"class Model{number}(models.Model):",
            "    name = models.CharField(max_length=50)",
            "    number = models.IntegerField(default=0)",
            "    created = models.DateTimeField(auto_now_add=True)",
        ]
        if number:
            lines.append(f"    parent = models.ForeignKey(Model{number - 1}, null=True, on_delete=models.CASCADE, "
                         "related_name='children')")
        if number in WITH_TAGS:
            lines.append("    tags = models.ManyToManyField(Model0, related_name='+')")
        lines += ["", "    class Meta:", "        ordering = ['id']"]
    return "\n".join(lines) + "\n"


def fixture():
    """Return the generated app's fixture: rows of Model25 and, under them, Model26."""
    rows = [{"model": "suiteapp.model25", "pk": pk, "fields": {"name": f"fixed {pk}", "number": pk,
                                                               "created": "2026-01-01T00:00:00Z"}}
            for pk in range(1, FIXTURE_ROWS + 1)]
    rows += [{"model": "suiteapp.model26", "pk": pk, "fields": {"name": f"child {pk}", "number": pk * 10,
                                                                "created": "2026-01-01T00:00:00Z", "parent": pk}}
             for pk in range(1, FIXTURE_ROWS + 1)]
    return json.dumps(rows, indent=1)


def tests_source():
    """Return the source of the generated app's tests.py."""
    parts = [textwrap.dedent("""\
        from django.db import transaction
        from django.db.models import Count, Sum
        from django.test import TestCase, TransactionTestCase

        from suiteapp import models
        """)]
    for index in range(DATA_CLASSES):
        parent, child = f"Model{index}", f"Model{index + 1}"
        parts.append(textwrap.dedent(f"""

            class DataTests{index}(TestCase):

                @classmethod
                def setUpTestData(cls):
                    cls.parent = models.{parent}.objects.create(name="parent", number=1)
                    cls.children = [
                        models.{child}.objects.create(name=f"child {{n}}", number=n, parent=cls.parent)
                        for n in range(5)
                    ]

                def test_count(self):
                    self.assertEqual(models.{child}.objects.filter(parent=self.parent).count(), 5)

                def test_filter(self):
                    names = list(models.{child}.objects.filter(number__gte=3).values_list("name", flat=True))
                    self.assertEqual(names, ["child 3", "child 4"])

                def test_update(self):
                    models.{child}.objects.filter(number__lt=2).update(name="changed")
                    self.assertEqual(models.{child}.objects.filter(name="changed").count(), 2)

                def test_delete(self):
                    self.children[0].delete()
                    self.assertEqual(self.parent.children.count(), 4)

                def test_select_related(self):
                    child = models.{child}.objects.select_related("parent").get(pk=self.children[2].pk)
                    self.assertEqual(child.parent.name, "parent")

                def test_aggregate(self):
                    totals = models.{child}.objects.aggregate(total=Sum("number"), rows=Count("id"))
                    self.assertEqual(totals, {{"total": 10, "rows": 5}})

                def test_create_more(self):
                    models.{child}.objects.bulk_create(
                        [models.{child}(name="more", number=n, parent=self.parent) for n in range(10)]
                    )
                    self.assertEqual(models.{child}.objects.count(), 15)

                def test_save(self):
                    child = self.children[1]
                    child.number = 100
                    child.save()
                    child.refresh_from_db()
                    self.assertEqual(child.number, 100)
            """))
    for index in range(FIXTURE_CLASSES):
        parts.append(textwrap.dedent(f"""

            class FixtureTests{index}(TestCase):
                fixtures = ["sample"]

                def test_rows(self):
                    self.assertEqual(models.Model25.objects.count(), {FIXTURE_ROWS})

                def test_join(self):
                    self.assertEqual(models.Model26.objects.filter(parent__number__gt=5).count(), {FIXTURE_ROWS - 5})

                def test_update(self):
                    models.Model26.objects.filter(number__gt=50).update(number=0)
                    self.assertEqual(models.Model26.objects.filter(number=0).count(), {FIXTURE_ROWS - 5})

                def test_values(self):
                    self.assertEqual(list(models.Model25.objects.values_list("number", flat=True)[:3]), [1, 2, 3])

                def test_cascade(self):
                    models.Model25.objects.filter(pk__lte=2).delete()
                    self.assertEqual(models.Model26.objects.count(), {FIXTURE_ROWS - 2})
            """))
    for index in range(TRANSACTION_CLASSES):
        parts.append(textwrap.dedent(f"""

            class TransactionTests{index}(TransactionTestCase):

                def setUp(self):
                    self.tag = models.Model0.objects.create(name="tag")

                def test_create(self):
                    models.Model29.objects.create(name="a")
                    self.assertEqual(models.Model29.objects.count(), 1)

                def test_atomic(self):
                    with transaction.atomic():
                        models.Model28.objects.create(name="b")
                    self.assertTrue(models.Model28.objects.exists())

                def test_many_to_many(self):
                    row = models.Model25.objects.create(name="c")
                    row.tags.add(self.tag)
                    self.assertEqual(list(row.tags.values_list("name", flat=True)), ["tag"])

                def test_get_or_create(self):
                    row, created = models.Model27.objects.get_or_create(name="d")
                    self.assertTrue(created)
                    self.assertEqual(models.Model27.objects.get_or_create(name="d"), (row, False))

                def test_empty(self):
                    self.assertFalse(models.Model29.objects.exists())
            """))
    return "".join(parts)


def generate(directory):
    """Write the generated app, ``suiteapp``, into ``directory``."""
    app = pathlib.Path(directory) / "suiteapp"
    (app / "fixtures").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(models_source())
    (app / "tests.py").write_text(tests_source())
    (app / "fixtures" / "sample.json").write_text(fixture())


def databases(backend, uri):
    """Return the DATABASES setting of ``backend``."""
    if backend == "djongo":
        return {"default": {"ENGINE": "djongo", "NAME": "suite_benchmark", "HOST": uri}}
    if backend == "sqlite":
        return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    server = urllib.parse.urlsplit(uri)
    return {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "suite_benchmark",
                        "USER": server.username or "", "PASSWORD": server.password or "",
                        "HOST": server.hostname or "", "PORT": str(server.port or "")}}


def child(backend, uri):
    """Run the generated suite on ``backend`` in this process; print its timings as JSON."""
    import unittest

    import django
    from django.conf import settings
    from django.test.runner import DiscoverRunner

    settings.configure(
        DATABASES=databases(backend, uri),
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "suiteapp"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        USE_TZ=True,
        SILENCED_SYSTEM_CHECKS=["djongo.W001"],
    )
    django.setup()
    times = {"bodies": 0.0}
    call_test_method = unittest.TestCase._callTestMethod

    def timed_test_method(self, method):
        start = time.perf_counter()
        try:
            return call_test_method(self, method)
        finally:
            times["bodies"] += time.perf_counter() - start

    unittest.TestCase._callTestMethod = timed_test_method

    class TimingRunner(DiscoverRunner):

        def setup_databases(self, **kwargs):
            start = time.perf_counter()
            try:
                return super().setup_databases(**kwargs)
            finally:
                times["database setup"] = time.perf_counter() - start

        def run_suite(self, suite, **kwargs):
            start = time.perf_counter()
            try:
                result = super().run_suite(suite, **kwargs)
            finally:
                times["tests"] = time.perf_counter() - start
            times["ran"], times["problems"] = result.testsRun, len(result.failures) + len(result.errors)
            times["failed"] = [test.id() for test, _ in result.failures + result.errors]
            return result

    TimingRunner(verbosity=0, interactive=False).run_tests(["suiteapp"])
    print(json.dumps(times))


def run_backend(backend, uri, directory):
    """Run the generated suite on ``backend`` in a new process; return its timings with the process's wall time."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(directory), os.getcwd()]),
                       PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    process = subprocess.run([sys.executable, "-m", "benchmarks.suite", "--child", backend, "--uri", uri or ""],
                             capture_output=True, text=True, env=environment, cwd=os.getcwd())
    wall = time.perf_counter() - start
    lines = process.stdout.strip().splitlines()
    if process.returncode or not lines:
        raise RuntimeError(f"the suite did not run on {backend}:\n{process.stderr[-3000:]}")
    timings = json.loads(lines[-1])
    timings["process"] = wall
    if timings["ran"] != TESTS or timings["problems"]:
        raise RuntimeError(f"the suite failed on {backend}: {timings['failed']}\n{process.stderr[-3000:]}")
    return timings


def postgres_reachable(uri):
    """Return None when PostgreSQL at ``uri`` can run the suite, else why not."""
    if not uri:
        return "no server given (--postgres or $BENCH_POSTGRES_URI)"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    server = urllib.parse.urlsplit(uri)
    try:
        psycopg.connect(host=server.hostname, port=server.port, user=server.username, password=server.password,
                        dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"cannot connect: {str(exc).splitlines()[0]}"
    return None


def measure(mongodb_uri, postgres_uri=None):
    """Return {backend: timings, or the reason it did not run} for djongo, SQLite and PostgreSQL."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="djongo-suite-") as directory:
        generate(directory)
        results["djongo"] = run_backend("djongo", mongodb_uri, directory)
        results["sqlite"] = run_backend("sqlite", "", directory)
        problem = postgres_reachable(postgres_uri)
        results["postgresql"] = problem or run_backend("postgresql", postgres_uri, directory)
    return results


def format_report(results):
    """Return the Markdown table of ``measure()``'s results."""
    lines = [
        f"A generated project suite of {TESTS} tests on {MODELS} models ({DATA_CLASSES} TestCases with "
        f"setUpTestData, {FIXTURE_CLASSES} with a fixture, {TRANSACTION_CLASSES} TransactionTestCases), "
        "each backend in a process of its own:",
        "",
        "| backend | whole process | test database setup | tests | test bodies | around the bodies | "
        "tests / PostgreSQL's |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    postgres = results.get("postgresql")
    for backend, label in (("djongo", "djongo"), ("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        timing = results.get(backend)
        if not isinstance(timing, dict):
            lines.append(f"| {label} | not run: {timing} | | | | | |")
            continue
        ratio = f"{timing['tests'] / postgres['tests']:.2f}" if isinstance(postgres, dict) else ""
        lines.append(
            f"| {label} | {timing['process']:.1f} s | {timing['database setup']:.1f} s | {timing['tests']:.1f} s | "
            f"{timing['bodies']:.1f} s | {timing['tests'] - timing['bodies']:.1f} s | {ratio} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URI", default=os.environ.get("BENCH_POSTGRES_URI"),
                        help="also run on this PostgreSQL server (postgresql://user:password@host:port)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.uri)
        return
    from tests.server import TestServer

    server = TestServer()
    uri = server.start()
    try:
        results = measure(uri, args.postgres)
    finally:
        server.stop()
    print(format_report(results))


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
