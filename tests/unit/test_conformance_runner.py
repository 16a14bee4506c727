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
            ("app.T.test_gap", "C", "[Django 6.1] server gap: the local server lacks $x"),
            ("app.T.test_old", "C", "[Django 5.2] MongoDB: only Django 5.2 asks for it"),
        ])

    def test_a_tag_naming_every_gated_version_is_dropped(self):
        self.assertEqual(self.script.with_versions("[Django 5.2] djongo gap: x", {"5.2", "6.1"}), "djongo gap: x")
        self.assertEqual(self.script.with_versions("djongo gap: x", {"6.1"}), "[Django 6.1] djongo gap: x")
