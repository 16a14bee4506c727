"""
The test runner scripts/conformance gives Django's runtests.py.

It runs tests exactly as Django's DiscoverRunner does and also appends each
outcome, with the cause of each failure, as one JSON line to the file named
by ``$DJONGO_CONFORMANCE_RESULTS``. Lines are written as tests finish, so a
run that dies midway still reports what it did; a test reported twice (a
failing subtest, then the test) counts as its worst outcome.
"""
import json
import os
import re
import unittest

from django.test.runner import DiscoverRunner


def failure_cause(exc):
    """
    Return a short, stable description of why a test failed.

    Django re-raises driver errors as django.db.utils errors with the
    original as ``__cause__``; the innermost djongo error names the cause
    best, so an SQLDecodeError reports the construct it refused.
    """
    seen = exc
    while seen is not None:
        if type(seen).__name__ == "SQLDecodeError" and hasattr(seen, "construct"):
            return f"SQLDecodeError: {seen.construct}"
        seen = seen.__cause__ or seen.__context__
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    message = str(inner).strip().splitlines()[0] if str(inner).strip() else ""
    if isinstance(inner, AssertionError):
        # Assertion messages quote the values compared; those differ per
        # test, so only the kind of assertion is kept.
        return "AssertionError: " + _assertion_kind(message)
    # Numbers, quoted names and object addresses make every message unique.
    message = re.sub(r"0x[0-9a-f]+", "0x…", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    message = re.sub(r"\b\d+\b", "N", message)
    return f"{type(inner).__name__}: {message[:120]}"


def _assertion_kind(message):
    for pattern, kind in (
        (r"^Lists? differ|^Sequences differ|^Tuples differ|Items in the", "different rows"),
        (r"not found in|unexpectedly found in", "membership"),
        (r"!=|==", "different values"),
        (r"not raised|were not raised", "expected exception not raised"),
        (r"queries executed|Expected \d+ queries", "query count"),
        (r"is not true|is not false|is not None|is None", "truth check"),
    ):
        if re.search(pattern, message):
            return kind
    return "other"


def record_id(test):
    """
    Return the test's dotted id, starting with its app: a failing setUpClass
    (reported as "setUpClass (app.tests.Case)") becomes
    app.tests.Case.setUpClass, and a module that cannot be imported
    (unittest.loader._FailedTest.app.tests) becomes app.tests.import.
    """
    name = test.id()
    match = re.fullmatch(r"(\w+) \(([\w.]+)\)", name)
    if match:
        return f"{match[2]}.{match[1]}"
    if name.startswith(IMPORT_FAILURE):
        return name[len(IMPORT_FAILURE):] + ".import"
    return name


IMPORT_FAILURE = "unittest.loader._FailedTest."


class RecordingResult(unittest.TextTestResult):
    """A TextTestResult that also keeps one record per test id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        path = os.environ.get("DJONGO_CONFORMANCE_RESULTS")
        self.sink = open(path, "a", buffering=1) if path else None

    def _record(self, test, outcome, cause=""):
        if self.sink:
            self.sink.write(json.dumps({"id": record_id(test), "outcome": outcome, "cause": cause}) + "\n")

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "success")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", failure_cause(err[1]))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", failure_cause(err[1]))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skip", reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "expected failure", failure_cause(err[1]))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failure", "unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            outcome = "failure" if issubclass(err[0], test.failureException) else "error"
            self._record(test, outcome, failure_cause(err[1]))

    def stopTestRun(self):
        super().stopTestRun()
        if self.sink:
            self.sink.close()


class ConformanceRunner(DiscoverRunner):
    """Django's DiscoverRunner, recording every outcome for the conformance table."""

    def get_resultclass(self):
        if self.debug_sql or self.pdb:
            # Those options pick their own result classes; the records are
            # only needed for scripted runs, which pass neither.
            return super().get_resultclass()
        return RecordingResult
