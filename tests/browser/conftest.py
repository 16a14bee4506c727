"""
Browser tests: Django's admin on djongo, driven in headless Chromium.

They use the integration tests' server set-up (tests/integration/conftest.py)
with settings of their own (static files, the admin of tests/browser/admin.py),
in a database of their own.
"""
import os
import pathlib

import pytest

os.environ.setdefault("DJONGO_IT_DB", "djongo_browser")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.browser.settings")

from tests.integration.conftest import (  # noqa: E402,F401 - pytest finds the hooks and fixtures by name
    django_test_database, pytest_configure, pytest_unconfigure,
)

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / ".cache" / "browser-screenshots"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot and the page source of a browser test that failed."""
    outcome = yield
    report = outcome.get_result()
    driver = getattr(getattr(item, "instance", None), "driver", None)
    if report.when == "call" and report.failed and driver is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = item.name.replace("/", "_")
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        (SCREENSHOTS / f"{name}.html").write_text(driver.page_source)
        report.sections.append(("browser", f"screenshot and page source kept in {SCREENSHOTS}/{name}.*"))
