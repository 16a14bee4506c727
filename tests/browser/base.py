"""
The test case the browser tests share: a live server, a superuser, and
helpers that drive the admin's pages and read what MongoDB stored.
"""
from django.contrib.auth.models import User
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

USERNAME = "boss"
PASSWORD = "s3cret-Passw0rd"
WAIT_SECONDS = 20


def collection(name):
    """Return the pymongo collection ``name`` of the test database."""
    return connection.mongo_database[name]


def left_behind(element):
    """
    Return a wait condition true once ``element`` no longer belongs to the
    page shown, as EC.staleness_of() is, except that Chromium may answer a
    look at a node of the page being left with "Node with given id does
    not belong to the document" rather than as a stale element.
    """
    def condition(driver):
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False
    return condition


class AdminBrowserTestCase(StaticLiveServerTestCase):
    """
    A live server on the test database and a superuser in it.

    ``driver`` is the session's Chromium, set by the ``browser`` fixture of
    conftest.py. Each test starts from empty tables: the database is
    flushed after every test, as in any TransactionTestCase.
    """

    driver = None

    def setUp(self):
        super().setUp()
        self.user = User.objects.create_superuser(USERNAME, "boss@example.com", PASSWORD)

    def wait(self):
        return WebDriverWait(self.driver, WAIT_SECONDS)

    def find(self, css):
        """Return the first element matching ``css``, waiting for it to appear."""
        return self.wait().until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def find_all(self, css):
        """Return the elements matching ``css`` on the page as it is now."""
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def open(self, path):
        """Load ``path`` of the live server (get() returns once the page has loaded)."""
        self.driver.get(self.live_server_url + path)

    def follow(self, element):
        """Click ``element`` and wait until the page it leads to has loaded."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait().until(left_behind(page))
        self.wait().until(lambda driver: driver.execute_script("return document.readyState") == "complete")

    def follow_link(self, text, within="body"):
        """Follow the link whose text is ``text`` inside the element ``within``."""
        container = self.find(within)
        self.follow(container.find_element(By.LINK_TEXT, text))

    def fill(self, values):
        """Type each value into the form field of that name, replacing what it held."""
        for name, value in values.items():
            field = self.find(f'[name="{name}"]')
            field.clear()
            field.send_keys(value)

    def path(self):
        """Return the path and query of the page the browser shows."""
        return self.driver.current_url.removeprefix(self.live_server_url)

    def title(self):
        return self.find("h1").text

    def log_in(self, username=USERNAME, password=PASSWORD):
        """Log in through the admin's login form."""
        self.open("/admin/login/?next=/admin/")
        self.fill({"username": username, "password": password})
        self.follow(self.find('#login-form [type="submit"]'))

    def result_rows(self):
        """Return the text of the first column of the changelist's rows."""
        return [cell.text for cell in self.find_all("#result_list tbody tr th")]

    def messages(self):
        return [item.text for item in self.find_all("ul.messagelist li")]
