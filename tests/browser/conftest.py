"""
Browser tests: Django's admin driven in headless Chromium through selenium,
served by a live server on djongo and a real MongoDB wire-protocol server.

The project, the server and the test database come from the integration
tests' set-up (tests/integration/conftest.py), in a database of their own
and with the browser tests' settings. The browser and its driver are
Debian's (/usr/bin/chromium, /usr/bin/chromedriver, installed by
scripts/browser-deps); selenium is never allowed to fetch either.
"""
import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

os.environ.setdefault("DJONGO_IT_DB", "djongo_browser")
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.browser.settings"
# selenium-manager must not look for, or download, a browser or a driver.
os.environ["SE_OFFLINE"] = "true"

from tests.integration.conftest import (  # noqa: E402,F401 - pytest finds the hooks and fixtures by name
    django_test_database, pytest_configure, pytest_unconfigure,
)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".cache" / "browser-screenshots"


@pytest.fixture(scope="session")
def chromium():
    """Start one headless Chromium for the whole run and quit it at the end."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            pytest.fail(f"{path} is missing: run scripts/browser-deps (make browser does) to install Debian's "
                        "chromium and chromium-driver.", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        # Root (as in CI) cannot use Chromium's sandbox; containers have a small /dev/shm.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1024",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def browser(request, chromium):
    """Hand the browser to the test's class, with no cookies from an earlier test."""
    if chromium.current_url.startswith("http"):
        # Cookies are per host, not per port: the live servers of all tests share them.
        chromium.delete_all_cookies()
    if request.cls is not None:
        request.cls.driver = chromium
    return chromium


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot and the page source of a failed test, and name them in its report."""
    report = yield
    driver = getattr(item.cls, "driver", None) if item.cls is not None else None
    if report.when == "call" and report.failed and driver is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        png = SCREENSHOTS / f"{item.name}.png"
        html = png.with_suffix(".html")
        try:
            driver.save_screenshot(str(png))
            html.write_text(driver.page_source, encoding="utf-8")
            where = f"{png}\n{html}\n(page: {driver.current_url})"
        except Exception as exc:  # The browser itself may be what broke.
            where = f"no screenshot: {exc!r}"
        print(f"\nbrowser screenshot of {item.nodeid}: {where}")
        report.sections.append(("browser screenshot", where))
    return report
