"""
A pytest plugin (``-p thirdparty_pytest``) for the apps whose suites run
under pytest: it installs thirdparty_shim when pytest loads it, before any
conftest.py configures settings, and records each test's outcome.

Outcomes follow unittest's split so that both kinds of suite count alike:
a test whose body raised AssertionError failed; one that raised anything
else, or whose setup or teardown raised, is an error.
"""
import pytest

import thirdparty_shim

thirdparty_shim.install()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.skipped and hasattr(report, "wasxfail"):
        outcome, cause = "expected failure", ""
    elif report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        outcome, cause = "skip", reason.removeprefix("Skipped: ")
    elif report.failed:
        exc = call.excinfo.value if call.excinfo is not None else None
        assertion = isinstance(exc, AssertionError)
        outcome = "failure" if call.when == "call" and assertion else "error"
        cause = thirdparty_shim.failure_cause(exc) if exc is not None else str(report.longrepr)[:120]
    elif call.when == "call":
        outcome, cause = "success", ""
    else:
        return
    # Written as tests finish, so that a run that dies midway still reports
    # what it did; scripts/thirdparty keeps the worst outcome of a test
    # reported more than once (a body that passed, then a teardown that failed).
    thirdparty_shim.record(item.nodeid, outcome, cause)
