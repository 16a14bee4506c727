"""
Django's admin in a browser: logging in, the changelist (search, a list
filter, the date hierarchy) and adding, changing and deleting an object,
each checked against what MongoDB stores.
"""
import datetime

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.utils import formats, timezone
from selenium.webdriver.support.ui import Select

from tests.browser.base import USERNAME, AdminBrowserTestCase, collection
from tests.integration.app.models import Author, Book, Kitchen


def log_entries(model, object_id):
    """Return the django_admin_log documents about one object, oldest first."""
    content_type = ContentType.objects.get_for_model(model)
    return list(collection("django_admin_log").find(
        {"content_type_id": content_type.pk, "object_id": str(object_id)},
    ).sort("id", 1))



def two_authors_and_their_books():
    """Store Jane Austen with Emma and Persuasion, and Bram Stoker with Dracula; return the two authors."""
    austen = Author.objects.create(name="Jane Austen")
    stoker = Author.objects.create(name="Bram Stoker")
    for title in ("Emma", "Persuasion"):
        Book.objects.create(title=title, author=austen)
    Book.objects.create(title="Dracula", author=stoker)
    return austen, stoker

class LoginTests(AdminBrowserTestCase):

    def test_log_in_through_the_login_form_and_out(self):
        self.open("/admin/")
        self.assertEqual(self.path(), "/admin/login/?next=/admin/")

        self.fill({"username": USERNAME, "password": "wrong"})
        self.follow(self.find('#login-form [type="submit"]'))
        self.assertIn("Please enter the correct username and password", self.find("p.errornote").text)
        self.assertEqual(collection("django_session").count_documents({}), 0)
        self.assertIsNone(collection("auth_user").find_one({"username": USERNAME})["last_login"])

        self.log_in()
        self.assertEqual(self.path(), "/admin/")
        self.assertEqual(self.title(), "Site administration")
        # The browser's session cookie names a session MongoDB holds for this user.
        session_key = self.driver.get_cookie("sessionid")["value"]
        stored = collection("django_session").find_one({"session_key": session_key})
        self.assertIsNotNone(stored)
        self.assertEqual(SessionStore().decode(stored["session_data"])["_auth_user_id"], str(self.user.pk))
        self.assertIsInstance(collection("auth_user").find_one({"username": USERNAME})["last_login"], datetime.datetime)

        # Logging out (a POST form in the header) deletes the session.
        self.follow(self.find('#logout-form [type="submit"]'))
        self.assertEqual(self.title(), "Logged out")
        self.assertIsNone(collection("django_session").find_one({"session_key": session_key}))


class ChangelistTests(AdminBrowserTestCase):

    def test_search(self):
        for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Alan Kay"):
            Author.objects.create(name=name)
        self.log_in()
        self.open("/admin/app/author/")
        # AuthorAdmin shows two authors a page.
        self.assertEqual(len(self.result_rows()), 2)
        self.assertIn("4 authors", self.find(".paginator").text)

        search = self.find("#searchbar")
        search.send_keys("alan")
        self.follow(self.find('#changelist-search [type="submit"]'))
        self.assertIn("q=alan", self.path())
        stored = [doc["name"] for doc in collection("app_author").find({"name": {"$regex": "alan", "$options": "i"}})]
        self.assertEqual(len(stored), 2)
        self.assertCountEqual(self.result_rows(), stored)
        self.assertEqual(self.find("#changelist-search .quiet").text, "2 results (4 total)")

        search = self.find("#searchbar")
        search.clear()
        search.send_keys("nobody")
        self.follow(self.find('#changelist-search [type="submit"]'))
        self.assertEqual(self.result_rows(), [])
        self.assertIn("0 authors", self.find(".paginator").text)

    def test_list_filter(self):
        austen, stoker = two_authors_and_their_books()
        self.log_in()
        self.open("/admin/app/book/")
        self.assertCountEqual(self.result_rows(), ["Emma", "Persuasion", "Dracula"])

        self.follow_link("Jane Austen", within="#changelist-filter")
        self.assertIn(f"author__id__exact={austen.pk}", self.path())
        self.assertEqual(self.find("#changelist-filter li.selected").text, "Jane Austen")
        stored = [doc["title"] for doc in collection("app_book").find({"author_id": austen.pk})]
        self.assertCountEqual(self.result_rows(), stored)
        self.assertCountEqual(stored, ["Emma", "Persuasion"])

        self.follow_link("Bram Stoker", within="#changelist-filter")
        self.assertEqual(self.result_rows(), ["Dracula"])

    def test_sort_by_a_column_and_page(self):
        austen = Author.objects.create(name="Jane Austen")
        for title, pages in (("Emma", 474), ("Persuasion", 249), ("Sanditon", 120), ("Mansfield Park", 507)):
            Book.objects.create(title=title, author=austen, pages=pages)
        self.log_in()
        self.open("/admin/app/book/")
        self.follow(self.find("#result_list th.column-pages .text a"))
        self.assertIn("o=3", self.path())
        by_pages = [doc["title"] for doc in collection("app_book").find().sort("pages", 1)]
        self.assertEqual(self.result_rows(), by_pages)
        # A second click on the sorted column reverses it.
        self.follow(self.find("#result_list th.column-pages .text a"))
        self.assertEqual(self.result_rows(), by_pages[::-1])

        # AuthorAdmin shows two a page: the pages together show every author once.
        for name in ("Bram Stoker", "Mary Shelley"):
            Author.objects.create(name=name)
        self.open("/admin/app/author/?o=1")
        first = self.result_rows()
        self.follow_link("2", within=".paginator")
        self.assertIn("p=2", self.path())
        second = self.result_rows()
        stored = [doc["name"] for doc in collection("app_author").find().sort("name", 1)]
        self.assertEqual(first + second, stored)

    def test_date_hierarchy_drill_down(self):
        for name, born, is_active in (
            ("spring", datetime.date(2023, 3, 14), True),
            ("early summer", datetime.date(2023, 7, 4), False),
            ("late summer", datetime.date(2023, 7, 21), True),
            ("winter", datetime.date(2024, 1, 2), False),
            ("undated", None, True),
        ):
            Kitchen.objects.create(name=name, born=born, is_active=is_active)
        # A DateField is stored as a date at midnight UTC.
        stored = {doc["name"]: doc["born"] for doc in collection("app_kitchen").find()}
        self.assertEqual(stored["late summer"], datetime.datetime(2023, 7, 21))
        dated = {name: born.date() for name, born in stored.items() if born is not None}

        def choices():
            return [link.text for link in self.find_all("nav.toplinks a:not(.date-back)")]

        self.log_in()
        self.open("/admin/app/kitchen/")
        self.assertEqual(len(self.result_rows()), 5)
        self.assertEqual(choices(), [str(year) for year in sorted({born.year for born in dated.values()})])

        self.follow_link("2023", within="nav.toplinks")
        in_2023 = {name: born for name, born in dated.items() if born.year == 2023}
        self.assertCountEqual(self.result_rows(), in_2023)
        months = sorted({born.replace(day=1) for born in in_2023.values()})
        self.assertEqual(choices(), [formats.date_format(month, "YEAR_MONTH_FORMAT") for month in months])
        self.assertEqual(self.find("nav.toplinks a.date-back").text, "‹ All dates")

        self.follow_link("July 2023", within="nav.toplinks")
        in_july = {name: born for name, born in in_2023.items() if born.month == 7}
        self.assertCountEqual(self.result_rows(), in_july)
        self.assertEqual(choices(), [formats.date_format(day, "MONTH_DAY_FORMAT") for day in sorted(in_july.values())])

        self.follow_link("July 21", within="nav.toplinks")
        self.assertIn("born__day=21", self.path())
        self.assertEqual(self.result_rows(), ["late summer"])
        # At the day, the hierarchy names the day without a link.
        self.assertEqual(choices(), [])
        self.assertIn("July 21", self.find("nav.toplinks").text)

        # Back up the hierarchy by its "‹" links.
        self.follow_link("‹ July 2023", within="nav.toplinks")
        self.assertCountEqual(self.result_rows(), in_july)
        self.follow_link("‹ 2023", within="nav.toplinks")
        self.assertCountEqual(self.result_rows(), in_2023)

        # A list filter narrows the year, and the hierarchy offers only the months left.
        self.follow_link("No", within="#changelist-filter")
        self.assertIn("is_active__exact=0", self.path())
        inactive = collection("app_kitchen").find({
            "is_active": False, "born": {"$gte": datetime.datetime(2023, 1, 1), "$lt": datetime.datetime(2024, 1, 1)},
        })
        self.assertEqual(self.result_rows(), [doc["name"] for doc in inactive])
        self.assertEqual(self.result_rows(), ["early summer"])
        self.assertEqual(choices(), ["July 2023"])


class EditTests(AdminBrowserTestCase):

    def test_add(self):
        self.log_in()
        self.open("/admin/app/author/")
        self.follow(self.find("a.addlink"))
        self.assertEqual(self.title(), "Add author")
        self.fill({"name": "Ursula K. Le Guin", "email": "ursula@example.com"})
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.path(), "/admin/app/author/")
        self.assertEqual(self.messages(), ["The author “Ursula K. Le Guin” was added successfully."])
        docs = list(collection("app_author").find())
        self.assertEqual(len(docs), 1)
        self.assertEqual((docs[0]["name"], docs[0]["email"]), ("Ursula K. Le Guin", "ursula@example.com"))
        self.assertIsInstance(docs[0]["id"], int)
        self.assertEqual(self.result_rows(), ["Ursula K. Le Guin"])
        [entry] = log_entries(Author, docs[0]["id"])
        self.assertEqual((entry["action_flag"], entry["user_id"]), (ADDITION, self.user.pk))

    def test_add_with_the_calendar_shortcut_and_a_checkbox(self):
        self.log_in()
        self.open("/admin/app/kitchen/add/")
        self.fill({"name": "Dora", "count": "3"})
        # The admin's JavaScript puts a "Today" shortcut beside a date input.
        before = timezone.now().date()
        self.find(".field-born .datetimeshortcuts a").click()
        self.wait().until(lambda driver: self.find("#id_born").get_attribute("value"))
        after = timezone.now().date()
        typed = self.find("#id_born").get_attribute("value")
        self.assertIn(typed, {before.isoformat(), after.isoformat()})
        self.find("#id_is_active").click()
        self.follow(self.find('input[name="_save"]'))

        [doc] = collection("app_kitchen").find()
        self.assertEqual(self.messages(), [f"The kitchen “Kitchen object ({doc['id']})” was added successfully."])
        self.assertEqual(doc["name"], "Dora")
        self.assertEqual(doc["born"], datetime.datetime.fromisoformat(typed))
        self.assertEqual((doc["count"], doc["is_active"]), (3, False))

    def test_change(self):
        author = Author.objects.create(name="Octavia Butler", email="old@example.com")
        self.log_in()
        self.open("/admin/app/author/")
        self.follow_link("Octavia Butler", within="#result_list")
        self.assertEqual(self.path(), f"/admin/app/author/{author.pk}/change/")
        self.assertEqual(self.find("#id_email").get_attribute("value"), "old@example.com")

        self.fill({"email": "octavia@example.com"})
        self.follow(self.find('input[name="_continue"]'))
        self.assertEqual(self.path(), f"/admin/app/author/{author.pk}/change/")
        self.assertIn("was changed successfully", self.messages()[0])
        self.assertEqual(self.find("#id_email").get_attribute("value"), "octavia@example.com")
        doc = collection("app_author").find_one({"id": author.pk})
        self.assertEqual((doc["name"], doc["email"]), ("Octavia Butler", "octavia@example.com"))
        self.assertEqual(collection("app_author").count_documents({}), 1)
        [entry] = log_entries(Author, author.pk)
        self.assertEqual(entry["action_flag"], CHANGE)
        self.assertIn("Email", entry["change_message"])

    def test_delete_selected_action(self):
        for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"):
            Author.objects.create(name=name)
        self.log_in()
        self.open("/admin/app/author/?o=1")
        # Tick the first page's two rows (the admin's actions.js counts them).
        for box in self.find_all("#result_list tbody input.action-select"):
            box.click()
        self.wait().until(lambda driver: "2 of 2 selected" in self.find(".action-counter").text)
        Select(self.find('select[name="action"]')).select_by_value("delete_selected")
        self.follow(self.find('button[name="index"]'))

        self.assertEqual(self.title(), "Delete multiple objects")
        self.assertIn("Authors: 2", [item.text for item in self.find_all("#content > ul > li")])
        self.assertEqual(collection("app_author").count_documents({}), 3)
        self.follow(self.find('#content form input[type="submit"]'))

        self.assertEqual(self.messages(), ["Successfully deleted 2 authors."])
        self.assertEqual([doc["name"] for doc in collection("app_author").find()], ["Grace Hopper"])
        self.assertEqual(self.result_rows(), ["Grace Hopper"])

    def test_delete_with_the_confirmation_page(self):
        austen, kept = two_authors_and_their_books()
        self.log_in()
        self.open(f"/admin/app/author/{austen.pk}/change/")
        self.follow(self.find("a.deletelink"))

        self.assertEqual(self.path(), f"/admin/app/author/{austen.pk}/delete/")
        self.assertEqual(self.title(), "Delete")
        # Django 6.1 quotes the name with typographic quotes, 5.2 with plain ones.
        question = self.find("#content p").text.replace("\u201c", '"').replace("\u201d", '"')
        self.assertIn('Are you sure you want to delete the author "Jane Austen"?', question)
        # The page lists what the delete cascades to, before anything is deleted.
        summary = [item.text for item in self.find_all("#content > ul:not(#deleted-objects) > li")]
        self.assertIn("Authors: 1", summary)
        self.assertIn("Books: 2", summary)
        listed = self.find("#deleted-objects").text
        self.assertIn("Book: Emma", listed)
        self.assertIn("Book: Persuasion", listed)
        self.assertNotIn("Dracula", listed)
        self.assertEqual(collection("app_book").count_documents({"author_id": austen.pk}), 2)

        self.follow(self.find('#content form input[type="submit"]'))
        self.assertEqual(self.path(), "/admin/app/author/")
        self.assertEqual(self.messages(), ["The author “Jane Austen” was deleted successfully."])
        self.assertEqual(self.result_rows(), ["Bram Stoker"])
        self.assertIsNone(collection("app_author").find_one({"id": austen.pk}))
        self.assertEqual(collection("app_book").count_documents({"author_id": austen.pk}), 0)
        self.assertEqual([doc["title"] for doc in collection("app_book").find()], ["Dracula"])
        [entry] = log_entries(Author, austen.pk)
        self.assertEqual(entry["action_flag"], DELETION)
