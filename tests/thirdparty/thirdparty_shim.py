"""
What scripts/thirdparty loads into a third-party app's test process.

Two things change in that process, and only these:

- DATABASES. Whichever way the app's test settings come in (a settings
  module named by DJANGO_SETTINGS_MODULE, or ``settings.configure()`` in a
  runtests.py or a conftest.py), every alias they define is replaced by a
  database of the backend named by ``$THIRDPARTY_BACKEND`` (``djongo`` or
  ``sqlite``), named after the app and the alias. Nothing else in the
  settings is touched, so the two runs of a suite differ in DATABASES only.
  An app's entry may add settings of its own (``"settings"`` in
  scripts/thirdparty_apps.py, passed as JSON in ``$THIRDPARTY_SETTINGS``),
  such as the documented switch of an app for databases without
  transactions; they are set on every backend alike, as are the TEST
  settings of its ``"test_database"`` (``$THIRDPARTY_TEST_DATABASE``).
- Each test's outcome is appended as one JSON line to
  ``$THIRDPARTY_RESULTS``, with the cause of a failure as
  tests/conformance/runner.py describes it. For Django's test runner this
  file records through DiscoverRunner's result class; for pytest,
  thirdparty_pytest.py records from pytest's reports.

This directory, not the repository root, is put on PYTHONPATH: the apps
have packages named ``tests`` of their own, which djongo's must not shadow.

A suite may start processes of its own that use the test databases (task
workers). Such a process installs this module too (a test project's
manage.py does, see scripts/thirdparty_apps.py), and connects straight to
the test databases the test process created: ``install()`` tells the
processes started after it so through ``$THIRDPARTY_TEST_DATABASES``. On
SQLite they can share only a test database on disk, which an app whose
entry says ``"test_databases_on_disk"`` gets (``$THIRDPARTY_SQLITE_ON_DISK``)
in place of Django's in-memory one.
"""
import functools
import importlib.util
import json
import os
import pathlib
import re
import urllib.parse

_ROOT = pathlib.Path(__file__).resolve().parents[2]
_installed = False
_helper = False  # whether this process was started by the suite's test process


@functools.cache
def _conformance_runner():
    """Import tests/conformance/runner.py by path (see the module docstring for why)."""
    spec = importlib.util.spec_from_file_location(
        "djongo_conformance_runner", _ROOT / "tests" / "conformance" / "runner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Its RecordingResult looks failure_cause up in its module: this
    # module's version, which refines the cause, takes its place there.
    module.base_failure_cause = module.failure_cause
    module.failure_cause = failure_cause
    return module


def failure_cause(exc):
    """
    Return the short, stable cause of a test failure: the conformance
    runner's (tests/conformance/runner.py), which blanks every quoted name,
    with the MongoDB operator a server error names put back and the
    server's full error document left out, since those say what is missing.
    """
    cause = _conformance_runner().base_failure_cause(exc)
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    if "E11000" in str(inner):
        # Which collection and index differ per test; whether the key is
        # null (a nullable unique column) is what tells the causes apart.
        null = re.search(r"dup key: \{[^}]*: null \}", str(inner))
        return f"IntegrityError: duplicate key{' null' if null else ''} in a unique index"
    operator = re.search(r"'(\$\w+)'", str(inner))
    if operator and "SQLDecodeError" not in cause:
        cause = cause.replace("'…'", f"'{operator[1]}'", 1)
    return cause.split(", full error:")[0]


def replace_databases(databases):
    """Return DATABASES with every alias of ``databases`` on the backend under test."""
    backend = os.environ["THIRDPARTY_BACKEND"]
    app = re.sub(r"\W", "_", os.environ["THIRDPARTY_APP"])
    on_disk = bool(os.environ.get("THIRDPARTY_SQLITE_ON_DISK"))
    replaced = {}
    for alias, original in (databases or {"default": {}}).items():
        name = f"tp_{app}_{alias}"
        # The name Django's test runner gives the test database.
        test_name = f"test_{name}"
        if backend == "djongo":
            new = {"ENGINE": "djongo", "NAME": test_name if _helper else name,
                   "CLIENT": {"host": os.environ["THIRDPARTY_URI"]}}
        elif backend == "sqlite":
            directory = pathlib.Path(os.environ["THIRDPARTY_SQLITE_DIR"])
            new = {"ENGINE": "django.db.backends.sqlite3",
                   "NAME": str(directory / f"{test_name if _helper else name}.sqlite3")}
            if on_disk and not _helper:
                new["TEST"] = {"NAME": str(directory / f"{test_name}.sqlite3")}
        elif backend == "postgresql":
            # Only to compare the suites' times (scripts/thirdparty --postgres).
            server = urllib.parse.urlsplit(os.environ["THIRDPARTY_POSTGRES"])
            new = {"ENGINE": "django.db.backends.postgresql", "NAME": test_name if _helper else name,
                   "USER": server.username or "", "PASSWORD": server.password or "",
                   "HOST": server.hostname or "", "PORT": str(server.port or "")}
        else:
            raise ValueError(f"unknown THIRDPARTY_BACKEND {backend!r}")
        # A replica declared by TEST["MIRROR"] or an ordering by
        # TEST["DEPENDENCIES"] is part of how the suite uses its aliases;
        # a test database NAME or charset belongs to the replaced backend.
        test = {key: value for key, value in (original or {}).get("TEST", {}).items()
                if key in ("MIRROR", "DEPENDENCIES")}
        # An entry's "test_database" (how the test databases are made, such
        # as MIGRATE), on every backend alike.
        test.update(json.loads(os.environ.get("THIRDPARTY_TEST_DATABASE") or "{}"))
        if test:
            new["TEST"] = {**new.get("TEST", {}), **test}
        replaced[alias] = new
    # scripts/thirdparty checks the results for this line: a suite that
    # never reached it would have run on its own databases.
    with open(os.environ["THIRDPARTY_RESULTS"], "a") as sink:
        sink.write(json.dumps({"databases": replaced}) + "\n")
    return replaced


def install():
    """Patch Django's settings objects to replace DATABASES, and record outcomes."""
    global _installed, _helper
    if _installed:
        return
    _installed = True
    # A process the suite started, after the test process set this.
    _helper = bool(os.environ.get("THIRDPARTY_TEST_DATABASES"))
    os.environ["THIRDPARTY_TEST_DATABASES"] = "1"
    import django.conf

    settings_init = django.conf.Settings.__init__
    configure = django.conf.LazySettings.configure

    extra = json.loads(os.environ.get("THIRDPARTY_SETTINGS") or "{}")

    def patched_init(self, settings_module):
        settings_init(self, settings_module)
        self.DATABASES = replace_databases(getattr(self, "DATABASES", None))
        for name, value in extra.items():
            setattr(self, name, value)

    def patched_configure(self, default_settings=django.conf.global_settings, **options):
        options["DATABASES"] = replace_databases(options.get("DATABASES"))
        options.update(extra)
        return configure(self, default_settings, **options)

    django.conf.Settings.__init__ = patched_init
    django.conf.LazySettings.configure = patched_configure
    if not _helper:
        # A process the suite starts (a db_worker) runs no tests: importing
        # Django's test runner there would only add about 0.3 s to its
        # start, which tests timing a worker to the second count.
        _install_unittest_recording()


def _install_unittest_recording():
    """Make every DiscoverRunner (and subclass) record outcomes to $THIRDPARTY_RESULTS."""
    from django.test.runner import DiscoverRunner

    runner = _conformance_runner()
    # RecordingResult writes to the file its own variable names.
    os.environ["DJONGO_CONFORMANCE_RESULTS"] = os.environ["THIRDPARTY_RESULTS"]
    get_resultclass = DiscoverRunner.get_resultclass

    def patched_get_resultclass(self):
        if self.debug_sql or self.pdb:
            return get_resultclass(self)
        return runner.RecordingResult

    DiscoverRunner.get_resultclass = patched_get_resultclass


def record(test_id, outcome, cause=""):
    """Append one outcome to $THIRDPARTY_RESULTS."""
    with open(os.environ["THIRDPARTY_RESULTS"], "a") as sink:
        sink.write(json.dumps({"id": test_id, "outcome": outcome, "cause": cause}) + "\n")
