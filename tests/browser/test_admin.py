"""
Django's admin on djongo in a real browser: headless Chromium, from Debian's
packages (scripts/browser-deps installs them), driven by Selenium.

Each test works the admin as a user does, by clicking and typing, and then
reads MongoDB with pymongo to check what was stored. A failing test leaves a
screenshot and the page source in .cache/browser-screenshots/.
"""
import datetime
import os
import tempfile

from django.contrib.auth.models import User
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.app.models import Kitchen
from tests.integration.mongo_api.models import gridfs_storage

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "s3cret-Passw0rd"


def collection(name):
    return connection.mongo_database[name]


class AdminInBrowserTests(StaticLiveServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Never let Selenium fetch a browser or a driver: Debian's are used.
        os.environ["SE_OFFLINE"] = "true"
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1024"):
            options.add_argument(argument)
        cls.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        cls.driver.implicitly_wait(0)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        super().tearDownClass()

    def setUp(self):
        User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
        self.log_in()

    # Steps --------------------------------------------------------------------

    def open(self, path):
        self.driver.get(self.live_server_url + path)

    def wait_for(self, css):
        return WebDriverWait(self.driver, 10).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)),
        )

    def field(self, name):
        return self.driver.find_element(By.NAME, name)

    def type_into(self, name, text):
        element = self.field(name)
        element.clear()
        element.send_keys(text)

    def click(self, element):
        """Click ``element`` and wait until the browser has left the page."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 10).until(expected_conditions.staleness_of(page))

    def submit(self, button="_save"):
        self.click(self.driver.find_element(By.CSS_SELECTOR, f'input[name="{button}"], button[name="{button}"]'))

    def click_link(self, text):
        self.click(self.driver.find_element(By.LINK_TEXT, text))

    def success_message(self):
        return self.wait_for("ul.messagelist li.success").text

    def changelist_rows(self):
        """The first column of each row of the changelist on the page."""
        self.wait_for("#changelist")
        return [cell.text for cell in self.driver.find_elements(By.CSS_SELECTOR, "#result_list tbody .field-name")]

    def date_links(self):
        """The links of the date hierarchy, but the one back up."""
        links = self.driver.find_elements(By.CSS_SELECTOR, "nav.toplinks a")
        return [link.text for link in links if not link.text.startswith("‹")]

    def log_in(self):
        self.open("/admin/login/?next=/admin/")
        self.wait_for("#login-form")
        self.type_into("username", "boss")
        self.type_into("password", PASSWORD)
        self.click(self.driver.find_element(By.CSS_SELECTOR, '#login-form input[type="submit"]'))
        self.wait_for("#site-name")

    # Tests --------------------------------------------------------------------

    def test_log_in_stores_a_session(self):
        self.assertIn("Site administration", self.driver.title)
        cookie = self.driver.get_cookie("sessionid")
        self.assertIsNotNone(cookie)
        self.assertEqual(collection("django_session").count_documents({"session_key": cookie["value"]}), 1)

    def test_changelist_search_filter_and_date_hierarchy(self):
        Kitchen.objects.bulk_create([
            Kitchen(name="Ann", born=datetime.date(2020, 2, 29), is_active=True),
            Kitchen(name="Anna", born=datetime.date(2021, 5, 1), is_active=False),
            Kitchen(name="Bob", born=datetime.date(2021, 5, 20), is_active=True),
            Kitchen(name="Cid", born=datetime.date(2021, 7, 4), is_active=True),
        ])
        self.open("/admin/app/kitchen/")
        self.assertEqual(sorted(self.changelist_rows()), ["Ann", "Anna", "Bob", "Cid"])
        # Search.
        self.type_into("q", "ann")
        self.click(self.driver.find_element(By.CSS_SELECTOR, '#changelist-search input[type="submit"]'))
        self.assertEqual(sorted(self.changelist_rows()), ["Ann", "Anna"])
        # A list filter, on top of the search.
        self.click(self.driver.find_element(By.CSS_SELECTOR, '#changelist-filter a[href*="is_active__exact=1"]'))
        self.assertEqual(self.changelist_rows(), ["Ann"])
        # The date hierarchy: the years there are, then a year's months, then a month's days.
        self.open("/admin/app/kitchen/")
        self.wait_for("#changelist")
        self.assertEqual(self.date_links(), ["2020", "2021"])
        self.click_link("2021")
        self.assertEqual(sorted(self.changelist_rows()), ["Anna", "Bob", "Cid"])
        self.assertEqual(self.date_links(), ["May 2021", "July 2021"])
        self.click_link("May 2021")
        self.assertEqual(sorted(self.changelist_rows()), ["Anna", "Bob"])
        self.assertEqual(self.date_links(), ["May 1", "May 20"])
        self.click_link("May 20")
        self.assertEqual(self.changelist_rows(), ["Bob"])

    def test_add_change_and_delete(self):
        # Add.
        self.open("/admin/app/kitchen/add/")
        self.wait_for("#kitchen_form")
        self.type_into("name", "Dora")
        self.type_into("count", "3")
        self.type_into("born", "2022-01-31")
        self.submit()
        self.assertIn("was added successfully", self.success_message())
        stored = collection("app_kitchen").find_one({"name": "Dora"})
        self.assertEqual((stored["count"], stored["born"], stored["is_active"]),
                         (3, datetime.datetime(2022, 1, 31), True))
        # Change, from the changelist's link.
        self.click_link("Dora")
        self.wait_for("#kitchen_form")
        self.type_into("count", "4")
        self.field("is_active").click()
        self.submit()
        self.assertIn("was changed successfully", self.success_message())
        stored = collection("app_kitchen").find_one({"id": stored["id"]})
        self.assertEqual((stored["count"], stored["is_active"]), (4, False))
        # Delete, through the confirmation page.
        self.click_link("Dora")
        self.wait_for("#kitchen_form")
        self.click_link("Delete")
        self.click(self.wait_for('#content form input[type="submit"]'))
        self.assertIn("was deleted successfully", self.success_message())
        self.assertIsNone(collection("app_kitchen").find_one({"id": stored["id"]}))
        self.assertEqual(collection("django_admin_log").count_documents({"object_id": str(stored["id"])}), 3)

    def test_embedded_field_nested_form(self):
        self.open("/admin/embedded/entry/add/")
        self.wait_for("#entry_form")
        self.type_into("headline", "Hello")
        # The EmbeddedField's own form, nested in the model's, names its
        # fields after the embedded field.
        self.type_into("blog-name", "Beatles Blog")
        self.type_into("blog-tagline", "All the latest Beatles news.")
        self.submit()
        self.assertIn("was added successfully", self.success_message())
        stored = collection("embedded_entry").find_one({"headline": "Hello"}, {"_id": 0, "id": 0})
        self.assertEqual(stored, {"headline": "Hello", "blog": {"name": "Beatles Blog",
                                                                 "tagline": "All the latest Beatles news."}})
        # The change form shows the subdocument's values again.
        self.click_link("Hello")
        self.assertEqual(self.wait_for('[name="blog-name"]').get_attribute("value"), "Beatles Blog")

    def test_gridfs_upload(self):
        upload = os.path.join(self.temporary_directory(), "notes.txt")
        with open(upload, "w") as file:
            file.write("stored in GridFS\n")
        self.open("/admin/mongo_api/document/add/")
        self.wait_for("#document_form")
        self.type_into("title", "Notes")
        self.field("attachment").send_keys(upload)
        self.submit()
        self.assertIn("was added successfully", self.success_message())
        stored = collection("mongo_api_document").find_one({"title": "Notes"})
        name = stored["attachment"]
        self.assertTrue(name.startswith("documents/notes"))
        with gridfs_storage.open(name) as file:
            self.assertEqual(file.read(), b"stored in GridFS\n")
        # The change form links the file, which the storage's view serves.
        self.click_link("Notes")
        self.wait_for("#document_form")
        self.click(self.driver.find_element(By.CSS_SELECTOR, ".file-upload a"))
        self.assertIn("stored in GridFS", self.wait_for("body").text)

    def temporary_directory(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        return directory.name
