"""The causes the conformance runner records for failing Django tests."""
from unittest import TestCase

from django.db import utils

from djongo.exceptions import SQLDecodeError
from tests.conformance.runner import failure_cause, record_id


def raised(exc, cause=None):
    """Return ``exc`` as Python leaves it after ``raise exc from cause``."""
    try:
        try:
            if cause is not None:
                raise cause
        except Exception as inner:
            raise exc from inner
        raise exc
    except Exception as caught:
        return caught


class FailureCauseTests(TestCase):

    def test_sql_decode_error_wrapped_by_django_names_the_construct(self):
        # DatabaseErrorWrapper re-raises driver errors as django.db.utils
        # errors "from" the original.
        inner = SQLDecodeError("HAVING", "SELECT ... HAVING ...")
        exc = raised(utils.DatabaseError(*inner.args), inner)
        self.assertEqual(failure_cause(exc), "SQLDecodeError: HAVING")

    def test_assertion_errors_keep_only_the_kind_of_assertion(self):
        self.assertEqual(failure_cause(AssertionError("3 != 4")), "AssertionError: different values")
        self.assertEqual(
            failure_cause(AssertionError("Lists differ: [1, 2] != [2, 1]")), "AssertionError: different rows",
        )
        self.assertEqual(failure_cause(AssertionError("IntegrityError not raised")),
                         "AssertionError: expected exception not raised")

    def test_other_errors_blank_names_and_numbers(self):
        self.assertEqual(
            failure_cause(KeyError("'author_id' at 0x7f3a12 row 12")), "KeyError: '…'",
        )
        self.assertEqual(
            failure_cause(TypeError("f() takes 2 positional arguments but 3 were given")),
            "TypeError: f() takes N positional arguments but N were given",
        )


class RecordIdTests(TestCase):

    def test_class_fixture_errors_become_dotted_ids(self):
        class Holder:
            def id(self):
                return "setUpClass (basic.tests.ModelTest)"

        self.assertEqual(record_id(Holder()), "basic.tests.ModelTest.setUpClass")

    def test_import_failures_become_dotted_ids(self):
        class Failed:
            def id(self):
                return "unittest.loader._FailedTest.queries.test_q"

        self.assertEqual(record_id(Failed()), "queries.test_q.import")

    def test_plain_ids_are_kept(self):
        self.assertEqual(record_id(self), self.id())


class ExpectedFailuresFileTests(TestCase):
    """scripts/conformance reads and rewrites expected_failures.txt without losing reasons."""

    def setUp(self):
        import importlib.machinery
        import importlib.util
        import pathlib
        import tempfile

        path = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "conformance"
        loader = importlib.machinery.SourceFileLoader("conformance_script", str(path))
        spec = importlib.util.spec_from_loader(loader.name, loader)
        self.script = importlib.util.module_from_spec(spec)
        loader.exec_module(self.script)
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.script.EXPECTED = pathlib.Path(directory.name) / "expected_failures.txt"

    def test_rewriting_keeps_each_reason(self):
        self.script.EXPECTED.write_text(
            "# header\n\n[Old cause]\napp.T.test_a  # the server lacks $x\napp.T.test_b\n"
        )
        self.assertEqual(self.script.read_expected(), {"app.T.test_a": "Old cause", "app.T.test_b": "Old cause"})
        self.script.write_expected({"app.T.test_a": "New cause"})
        self.assertEqual(
            list(self.script.read_entries()), [("app.T.test_a", "New cause", "the server lacks $x")],
        )

    def test_every_listed_test_says_why_it_fails(self):
        import pathlib

        self.script.EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "conformance" / "expected_failures.txt"
        entries = list(self.script.read_entries())
        self.assertTrue(entries)
        self.assertEqual([test_id for test_id, _, reason in entries if not reason], [])

    def test_every_reason_names_its_kind(self):
        import pathlib

        self.script.EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "conformance" / "expected_failures.txt"
        entries = list(self.script.read_entries())
        self.assertEqual([test_id for test_id, _, reason in entries if self.script.kind_of(reason) is None], [])

    def test_rewriting_keeps_the_header(self):
        self.script.EXPECTED.write_text("# line one\n# line two\n\n[C]\napp.T.test_a  # djongo gap: x\n")
        self.script.write_expected({"app.T.test_a": "C"})
        self.assertTrue(self.script.EXPECTED.read_text().startswith("# line one\n# line two\n\n[C]\n"))


class GateTests(TestCase):
    """What the conformance gate expects to fail where, and when it fails."""

    setUp = ExpectedFailuresFileTests.setUp

    ENTRIES = [
        ("app.T.test_gap", "C", "server gap: the local server lacks $x"),
        ("app.T.test_mongo", "C", "MongoDB: BSON dates keep milliseconds"),
        ("app.T.test_own", "C", "djongo gap: not yet"),
        ("app.T.test_fluke", "C", "MongoDB: microseconds (flaky: passes now and then)"),
    ]

    def test_the_local_servers_gaps_are_expected_only_on_other_servers(self):
        self.assertEqual(set(self.script.expected_on("other", self.ENTRIES)),
                         {"app.T.test_gap", "app.T.test_mongo", "app.T.test_own", "app.T.test_fluke"})
        self.assertEqual(set(self.script.expected_on("mongodb", self.ENTRIES)),
                         {"app.T.test_mongo", "app.T.test_own", "app.T.test_fluke"})

    def gate(self, failing, server="other"):
        import contextlib
        import io

        expected = self.script.expected_on(server, self.ENTRIES)
        with contextlib.redirect_stdout(io.StringIO()):
            return self.script.check(failing, expected, {"app": ([], "")}, flaky={"app.T.test_fluke"})

    def test_the_gate_passes_when_exactly_the_listed_tests_fail(self):
        every = {test_id: "C" for test_id, _, _ in self.ENTRIES}
        self.assertEqual(self.gate(every), 0)
        # A flaky test may pass.
        self.assertEqual(self.gate({k: v for k, v in every.items() if k != "app.T.test_fluke"}), 0)

    def test_the_gate_fails_on_an_unlisted_failure_or_a_listed_test_that_passes(self):
        every = {test_id: "C" for test_id, _, _ in self.ENTRIES}
        self.assertEqual(self.gate({**every, "app.T.test_new": "C"}), 1)
        self.assertEqual(self.gate({k: v for k, v in every.items() if k != "app.T.test_own"}), 1)

    def test_on_mongodb_a_server_gap_that_fails_is_unexpected(self):
        every = {test_id: "C" for test_id, _, _ in self.ENTRIES}
        self.assertEqual(self.gate(every, "mongodb"), 1)
        self.assertEqual(self.gate({k: v for k, v in every.items() if k != "app.T.test_gap"}, "mongodb"), 0)



class DjangoVersionTests(TestCase):
    """Entries tagged with Django versions apply to those versions only."""

    setUp = ExpectedFailuresFileTests.setUp

    ENTRIES = [
        ("app.T.test_both", "C", "djongo gap: on every version"),
        ("app.T.test_new", "C", "[Django 6.1] djongo gap: only Django 6 writes this SQL"),
        ("app.T.test_old", "C", "[Django 5.2] MongoDB: only Django 5.2 asks for it"),
        ("app.T.test_gap", "C", "[Django 6.1] server gap: the local server lacks $x"),
    ]

    def test_an_entry_is_expected_on_the_versions_its_tag_names(self):
        self.assertEqual(set(self.script.expected_on("other", self.ENTRIES, "5.2")),
                         {"app.T.test_both", "app.T.test_old"})
        self.assertEqual(set(self.script.expected_on("other", self.ENTRIES, "6.1")),
                         {"app.T.test_both", "app.T.test_new", "app.T.test_gap"})
        self.assertEqual(set(self.script.expected_on("mongodb", self.ENTRIES, "6.1")),
                         {"app.T.test_both", "app.T.test_new"})

    def test_the_kind_is_read_after_the_tag(self):
        self.assertEqual(self.script.kind_of("[Django 6.1] server gap: x"), "server gap")
        self.assertEqual(self.script.kind_of("[Django 5.2, 6.1] djongo bug: x"), "djongo bug")
        self.assertIsNone(self.script.kind_of("[Django 6.1] x"))

    def test_pruning_on_one_version_keeps_the_entry_for_the_others(self):
        self.script.EXPECTED.write_text(
            "# header\n\n[C]\n" + "".join(f"{t}  # {r}\n" for t, _, r in self.ENTRIES)
        )
        kept, reasons = self.script.pruned({"app.T.test_both", "app.T.test_new"}, "6.1")
        self.script.write_expected(kept, reasons)
        self.assertEqual(list(self.script.read_entries()), [
            ("app.T.test_both", "C", "[Django 5.2] djongo gap: on every version"),
            ("app.T.test_old", "C", "[Django 5.2] MongoDB: only Django 5.2 asks for it"),
            ("app.T.test_gap", "C", "[Django 6.1] server gap: the local server lacks $x"),
        ])

    def test_a_tag_naming_every_gated_version_is_dropped(self):
        self.assertEqual(self.script.with_versions("[Django 5.2] djongo gap: x", {"5.2", "6.1"}), "djongo gap: x")
        self.assertEqual(self.script.with_versions("djongo gap: x", {"6.1"}), "[Django 6.1] djongo gap: x")


class AppDiscoveryTests(TestCase):
    """Every app of Django's suite runs unless apps are named."""

    setUp = ExpectedFailuresFileTests.setUp

    def make_tests_dir(self, packages, plain=()):
        import pathlib
        import tempfile

        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        root = pathlib.Path(directory.name)
        for name in packages:
            (root / name).mkdir()
            (root / name / "__init__.py").write_text("")
        for name in plain:
            (root / name).mkdir()
        (root / "runtests.py").write_text("")
        return root

    def test_packages_are_apps_core_first(self):
        root = self.make_tests_dir(["zoo", "basic", "queries", "alpha"])
        self.assertEqual(self.script.discover_apps(root), ["basic", "queries", "alpha", "zoo"])

    def test_folders_runtests_skips_are_not_apps(self):
        root = self.make_tests_dir(
            ["basic", "gis_tests", "import_error_package", "test_runner_apps", "postgres_tests"],
            plain=["templates", "no_init"],
        )
        (root / "dotted.name").mkdir()
        (root / "dotted.name" / "__init__.py").write_text("")
        self.assertEqual(self.script.discover_apps(root), ["basic", "postgres_tests"])

    def test_slow_apps_start_first_and_the_rest_keep_their_order(self):
        slow = self.script.SLOW_APPS
        apps = ["basic", slow[1], "zoo", slow[0], "alpha"]
        self.assertEqual(self.script.schedule(apps), [slow[0], slow[1], "basic", "zoo", "alpha"])


class ReadmeTableTests(TestCase):
    """README shows the core apps in full and the others summarised."""

    setUp = ExpectedFailuresFileTests.setUp

    @staticmethod
    def row(app, passed, failed=0, errors=0, skipped=0, problem=""):
        return {"app": app, "ran": passed + failed + errors - (1 if problem else 0) + skipped, "passed": passed,
                "failed": failed, "errors": errors, "skipped": skipped, "expected failures": failed + errors,
                "problem": problem}

    def test_core_in_full_others_by_failure_then_one_row(self):
        rows = [
            self.row("basic", 8, failed=1, skipped=1),
            self.row("queries", 10),
            self.row("cache", 20, errors=2),
            self.row("humanize", 5, skipped=5),
            self.row("shortcuts", 5),
            self.row("broken", 0, errors=1, problem="ImportError: x"),
        ]
        text = self.script.readme_tables(rows, core=["basic", "queries"])
        lines = text.splitlines()
        self.assertIn("| basic | 10 | 8 | 1 | 0 | 1 | 1 |", lines)
        self.assertIn("| queries | 10 | 10 | 0 | 0 | 0 | 0 |", lines)
        self.assertIn("| **core apps (2)** | **20** | **18** | **1** | **0** | **1** | **1** |", lines)
        self.assertIn("| cache | 22 | 20 | 0 | 2 | 0 | 2 |", lines)
        self.assertIn("| broken (aborted: ImportError: x) | 0 | 0 | 0 | 1 | 0 | 1 |", lines)
        # The apps without failures share one row.
        self.assertIn("| 2 apps without failures | 15 | 10 | 0 | 0 | 5 | 0 |", lines)
        self.assertNotIn("humanize", text)
        self.assertIn("| **other apps (4)** | **37** | **30** | **0** | **3** | **5** | **3** |", lines)
        self.assertEqual(lines[-1], "Whole suite, 6 apps: 48 passed, 4 failed. 94.1% of the 51 tests run "
                                    "(not skipped) passed.")

    def test_core_apps_alone_have_no_summary(self):
        text = self.script.readme_tables([self.row("basic", 8, failed=1)], core=["basic"])
        self.assertNotIn("other apps", text)
        self.assertNotIn("Whole suite", text)


class BaselineTests(TestCase):
    """--write-expected adds what fails now and keeps every entry and reason."""

    setUp = ExpectedFailuresFileTests.setUp

    def test_a_baseline_adds_new_failures_and_deletes_nothing(self):
        self.script.EXPECTED.write_text(
            "# header\n\n"
            "[Small]\napp.T.test_passes_now  # djongo gap: x (flaky: now and then)\n\n"
            "[Big]\napp.T.test_a  # [Django 5.2] djongo bug: y\napp.T.test_b  # MongoDB: z\n"
        )
        failing = {"app.T.test_a": "Cause now", "app.T.test_b": "Big", "other.T.test_new": "New cause"}
        self.script.write_expected(*self.script.baseline(failing, "6.1"))
        self.assertEqual(
            self.script.EXPECTED.read_text(),
            "# header\n\n"
            "[Small]\napp.T.test_passes_now  # djongo gap: x (flaky: now and then)\n\n"
            # Listed on 5.2 and failing on 6.1 too: every gated version, no tag.
            "[Big]\napp.T.test_a  # djongo bug: y\napp.T.test_b  # MongoDB: z\n\n"
            "[New cause]\nother.T.test_new  # [Django 6.1]\n",
        )

    def test_a_new_failure_on_the_second_version_loses_its_tag(self):
        self.script.EXPECTED.write_text("# header\n")
        self.script.write_expected(*self.script.baseline({"app.T.test_x": "C"}, "5.2"))
        self.assertEqual(list(self.script.read_entries()), [("app.T.test_x", "C", "[Django 5.2]")])
        self.script.write_expected(*self.script.baseline({"app.T.test_x": "C"}, "6.1"))
        self.assertEqual(list(self.script.read_entries()), [("app.T.test_x", "C", None)])

    def test_rewriting_keeps_the_order_of_the_causes(self):
        self.script.EXPECTED.write_text("# h\n\n[B]\napp.T.b  # MongoDB: b\n\n[A]\napp.T.a1  # MongoDB: a\n"
                                        "app.T.a2  # MongoDB: a\n")
        self.script.write_expected({"app.T.b": "B", "app.T.a1": "A", "app.T.a2": "A", "app.T.c": "C"})
        self.assertEqual([cause for _, cause, _ in self.script.read_entries()], ["B", "A", "A", "C"])

    def test_rewriting_keeps_the_order_of_a_causes_tests_and_slots_new_ones_in(self):
        # Each new test goes in before the first listed test that sorts after it.
        self.script.EXPECTED.write_text("# h\n\n[A]\napp.T.m  # MongoDB: m\napp.T.b  # MongoDB: b\n"
                                        "app.T.x  # MongoDB: x\n")
        self.script.write_expected({"app.T.m": "A", "app.T.b": "A", "app.T.x": "A", "app.T.c": "A", "app.T.z": "A"})
        self.assertEqual([test_id for test_id, _, _ in self.script.read_entries()],
                         ["app.T.c", "app.T.m", "app.T.b", "app.T.x", "app.T.z"])


class EmptyAppTests(TestCase):
    """An app without tests of its own is not an app that failed."""

    setUp = ExpectedFailuresFileTests.setUp

    def log(self, text):
        import pathlib
        import tempfile

        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = pathlib.Path(directory.name) / "app.log"
        path.write_text(text)
        return path

    def test_an_app_that_ran_no_test_and_said_ok_ran_none(self):
        self.assertTrue(self.script.ran_none(self.log(
            "Found 0 test(s).\nSystem check identified no issues (0 silenced).\n\n"
            + "-" * 70 + "\nRan 0 tests in 0.000s\n\nOK\n"
        )))
        # Python 3.12 and later.
        self.assertTrue(self.script.ran_none(self.log("Ran 0 tests in 0.000s\n\nNO TESTS RAN\n")))

    def test_an_app_that_died_or_ran_tests_did_not(self):
        self.assertFalse(self.script.ran_none(self.log("Traceback...\nImportError: x\n")))
        self.assertFalse(self.script.ran_none(self.log("Ran 0 tests in 0.000s\n\nFAILED (errors=1)\n")))
        self.assertFalse(self.script.ran_none(self.log("Ran 3 tests in 0.1s\n\nOK\n")))


class TimeoutTests(TestCase):
    """An app that hangs is stopped, with the processes it started, and reported."""

    setUp = ExpectedFailuresFileTests.setUp

    def hanging_app(self):
        """Return the folder of a runtests.py that starts a process, then hangs; and where it writes the pid."""
        import pathlib
        import tempfile

        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        root = pathlib.Path(directory.name)
        (root / "logs").mkdir()
        child_pid = root / "child.pid"
        (root / "runtests.py").write_text(
            "import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
            f"open({str(child_pid)!r}, 'w').write(str(child.pid))\n"
            "time.sleep(60)\n"
        )
        self.script.PROGRESS_EVERY = 0.2
        return root, child_pid

    def test_a_hung_app_and_its_children_are_killed(self):
        import time

        root, child_pid = self.hanging_app()
        started = time.monotonic()
        records, problem = self.script.run_app("app", root, "mongodb://unused", root, 2, keepdb=False)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual((records, problem), ([], "timed out after 2s"))
        self.assertEnds(int(child_pid.read_text()))

    def test_stopping_the_run_ends_the_running_apps(self):
        # What Ctrl-C does: the apps run in sessions of their own, which
        # the terminal's SIGINT does not reach.
        import concurrent.futures
        import time

        root, child_pid = self.hanging_app()
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            future = pool.submit(self.script.run_app, "app", root, "mongodb://unused", root, 60, False)
            while not child_pid.exists() or not child_pid.read_text():
                time.sleep(0.1)
            self.script.stop_apps()
            records, problem = future.result(timeout=10)
        self.assertEqual(records, [])
        self.assertTrue(problem)
        self.assertEqual(self.script.RUNNING, set())
        self.assertEnds(int(child_pid.read_text()))

    def assertEnds(self, pid):
        """Fail unless process ``pid`` ends within 5 s (a zombie has ended)."""
        import os
        import pathlib
        import time

        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                break
            if state in ("Z", "X"):  # dead, waiting for its new parent to reap it
                break
            time.sleep(0.1)
        else:
            os.kill(pid, 9)
            self.fail(f"process {pid}, started by the app, outlived it")
