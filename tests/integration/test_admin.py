"""
Django's admin and management commands on djongo, end to end.

Each test drives Django the way a user does (manage.py commands, HTTP
requests to /admin/) and then checks both what Django answered and what
MongoDB stores. The test models' ModelAdmins are in admin_registry.py.
"""
import io
import json
import os
from unittest import mock

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client, TestCase

from tests.integration.app.models import Author, Book

PASSWORD = "s3cret-Passw0rd"


def collection(name):
    return connection.mongo_database[name]


def change_url(obj):
    return f"/admin/app/{obj._meta.model_name}/{obj.pk}/change/"


class AdminTestCase(TestCase):
    """A superuser, and a test client logged in as them."""

    @classmethod
    def setUpTestData(cls):
        cls.admin_user = User.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    def setUp(self):
        self.client.force_login(self.admin_user)

    def log_entries(self, model, object_id):
        """The django_admin_log documents about one object, oldest first."""
        content_type = ContentType.objects.get_for_model(model)
        return list(collection("django_admin_log").find(
            {"content_type_id": content_type.pk, "object_id": str(object_id)},
        ).sort("id", 1))


class CreateSuperuserTests(TestCase):

    def test_createsuperuser_noinput_stores_a_hashed_password(self):
        out = io.StringIO()
        with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}):
            call_command("createsuperuser", "--noinput", username="root", email="root@example.com", stdout=out)
        self.assertIn("Superuser created successfully.", out.getvalue())

        doc = collection("auth_user").find_one({"username": "root"})
        self.assertIsNotNone(doc)
        self.assertIs(doc["is_superuser"], True)
        self.assertIs(doc["is_staff"], True)
        self.assertIs(doc["is_active"], True)
        self.assertEqual(doc["email"], "root@example.com")
        self.assertNotEqual(doc["password"], PASSWORD)
        self.assertNotIn(PASSWORD, doc["password"])
        self.assertTrue(doc["password"].startswith("md5$"), doc["password"])
        self.assertTrue(check_password(PASSWORD, doc["password"]))
        # The ORM reads back the same user.
        user = User.objects.get(username="root")
        self.assertEqual(user.pk, doc["id"])
        self.assertTrue(user.check_password(PASSWORD))


class LoginTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.admin_user = User.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    def assert_index_lists_the_app(self, client):
        response = client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Site administration")
        self.assertContains(response, '<a href="/admin/app/"')
        self.assertContains(response, '<a href="/admin/app/author/"')
        self.assertContains(response, '<a href="/admin/app/book/"')
        self.assertContains(response, '<a href="/admin/auth/user/"')
        return response

    def test_client_login(self):
        self.assertTrue(self.client.login(username="boss", password=PASSWORD))
        self.assert_index_lists_the_app(self.client)
        self.assertFalse(Client().login(username="boss", password="wrong"))

    def test_login_form_with_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        # Logged out, the index sends you to the login page.
        response = client.get("/admin/")
        self.assertRedirects(response, "/admin/login/?next=/admin/")

        response = client.get("/admin/login/?next=/admin/")
        self.assertEqual(response.status_code, 200)
        token = client.cookies["csrftoken"].value
        response = client.post("/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": "boss", "password": PASSWORD, "next": "/admin/",
        })
        self.assertRedirects(response, "/admin/")
        self.assert_index_lists_the_app(client)

        # The session is a document in django_session; login recorded last_login.
        session_key = client.cookies["sessionid"].value
        self.assertIsNotNone(collection("django_session").find_one({"session_key": session_key}))
        self.assertIsNotNone(collection("auth_user").find_one({"username": "boss"})["last_login"])

    def test_login_form_rejects_a_wrong_password(self):
        response = self.client.post("/admin/login/", {"username": "boss", "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter the correct username and password")
        self.assertNotIn("sessionid", response.cookies)

    def test_logout(self):
        self.client.force_login(self.admin_user)
        session_key = self.client.cookies["sessionid"].value
        response = self.client.post("/admin/logout/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(collection("django_session").find_one({"session_key": session_key}))
        self.assertRedirects(self.client.get("/admin/"), "/admin/login/?next=/admin/")


class ChangeFormTests(AdminTestCase):

    def test_add_author(self):
        response = self.client.get("/admin/app/author/add/")
        self.assertEqual(response.status_code, 200)
        response = self.client.post("/admin/app/author/add/", {"name": "Ann", "email": "ann@example.com"})
        self.assertRedirects(response, "/admin/app/author/")

        doc = collection("app_author").find_one({"name": "Ann"})
        self.assertEqual({key: doc[key] for key in ("name", "email")}, {"name": "Ann", "email": "ann@example.com"})
        [entry] = self.log_entries(Author, doc["id"])
        self.assertEqual(entry["action_flag"], ADDITION)
        self.assertEqual(entry["user_id"], self.admin_user.pk)
        self.assertEqual(entry["object_repr"], "Ann")
        self.assertEqual(json.loads(entry["change_message"]), [{"added": {}}])

    def test_add_author_with_invalid_data_stores_nothing(self):
        response = self.client.post("/admin/app/author/add/", {"name": "", "email": "not an email"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "Enter a valid email address.")
        self.assertEqual(collection("app_author").count_documents({}), 0)
        self.assertEqual(collection("django_admin_log").count_documents({}), 0)

    def test_change_author(self):
        author = Author.objects.create(name="Ann", email="ann@example.com")
        response = self.client.get(change_url(author))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="ann@example.com"')

        response = self.client.post(change_url(author), {"name": "Ann Lee", "email": "ann@example.com"})
        self.assertRedirects(response, "/admin/app/author/")

        doc = collection("app_author").find_one({"id": author.pk})
        self.assertEqual((doc["name"], doc["email"]), ("Ann Lee", "ann@example.com"))
        self.assertEqual(collection("app_author").count_documents({}), 1)
        [entry] = self.log_entries(Author, author.pk)
        self.assertEqual(entry["action_flag"], CHANGE)
        self.assertEqual(entry["object_repr"], "Ann Lee")
        self.assertEqual(json.loads(entry["change_message"]), [{"changed": {"fields": ["Name"]}}])

        # The object's history page lists the change.
        response = self.client.get(f"/admin/app/author/{author.pk}/history/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Changed Name.")

    def test_delete_author_cascades_to_books(self):
        author = Author.objects.create(name="Ann")
        other = Author.objects.create(name="Bob")
        book = Book.objects.create(title="Ann's book", author=author)
        book.co_authors.add(other)
        edited = Book.objects.create(title="Bob's book", author=other, editor=author)
        delete_url = f"/admin/app/author/{author.pk}/delete/"

        # The confirmation page lists what goes with the author.
        response = self.client.get(delete_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Are you sure you want to delete the author")
        self.assertContains(response, "Ann&#x27;s book")

        response = self.client.post(delete_url, {"post": "yes"})
        self.assertRedirects(response, "/admin/app/author/")

        self.assertIsNone(collection("app_author").find_one({"id": author.pk}))
        self.assertIsNotNone(collection("app_author").find_one({"id": other.pk}))
        # CASCADE removed the book and its M2M rows; SET_NULL cleared the editor.
        self.assertIsNone(collection("app_book").find_one({"id": book.pk}))
        self.assertEqual(collection("app_book_co_authors").count_documents({"book_id": book.pk}), 0)
        self.assertIsNone(collection("app_book").find_one({"id": edited.pk})["editor_id"])
        [entry] = self.log_entries(Author, author.pk)
        self.assertEqual(entry["action_flag"], DELETION)
        self.assertEqual(entry["object_repr"], "Ann")

    def test_add_and_change_book_with_relations(self):
        ann = Author.objects.create(name="Ann")
        bob = Author.objects.create(name="Bob")
        cid = Author.objects.create(name="Cid")
        response = self.client.post("/admin/app/book/add/", {
            "title": "Dune", "author": ann.pk, "editor": cid.pk, "co_authors": [bob.pk, cid.pk], "pages": 412,
        })
        self.assertRedirects(response, "/admin/app/book/")
        doc = collection("app_book").find_one({"title": "Dune"})
        self.assertEqual((doc["author_id"], doc["editor_id"], doc["pages"]), (ann.pk, cid.pk, 412))
        links = collection("app_book_co_authors").find({"book_id": doc["id"]})
        self.assertEqual(sorted(link["author_id"] for link in links), [bob.pk, cid.pk])

        response = self.client.post(f"/admin/app/book/{doc['id']}/change/", {
            "title": "Dune", "author": ann.pk, "editor": bob.pk, "co_authors": [cid.pk], "pages": 412,
        })
        self.assertRedirects(response, "/admin/app/book/")
        doc = collection("app_book").find_one({"id": doc["id"]})
        self.assertEqual(doc["editor_id"], bob.pk)
        links = collection("app_book_co_authors").find({"book_id": doc["id"]})
        self.assertEqual([link["author_id"] for link in links], [cid.pk])
        self.assertEqual([entry["action_flag"] for entry in self.log_entries(Book, doc["id"])], [ADDITION, CHANGE])

    def test_unique_together_error_is_shown_not_stored(self):
        ann = Author.objects.create(name="Ann")
        Book.objects.create(title="Dune", author=ann)
        response = self.client.post("/admin/app/book/add/", {
            "title": "Dune", "author": ann.pk, "editor": ann.pk, "co_authors": [ann.pk], "pages": 1,
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Book with this Title and Author already exists.")
        self.assertEqual(collection("app_book").count_documents({"title": "Dune"}), 1)

    def test_delete_selected_action(self):
        authors = [Author.objects.create(name=name) for name in ("Ann", "Bob", "Cid")]
        chosen = [str(authors[0].pk), str(authors[2].pk)]
        response = self.client.post("/admin/app/author/", {
            "action": "delete_selected", "_selected_action": chosen,
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Are you sure you want to delete the selected authors?")

        response = self.client.post("/admin/app/author/", {
            "action": "delete_selected", "_selected_action": chosen, "post": "yes",
        })
        self.assertRedirects(response, "/admin/app/author/")
        self.assertEqual([doc["name"] for doc in collection("app_author").find()], ["Bob"])
        for author in (authors[0], authors[2]):
            self.assertEqual([entry["action_flag"] for entry in self.log_entries(Author, author.pk)], [DELETION])


class ChangeListTests(AdminTestCase):

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ann, cls.bob, cls.cid, cls.dan, cls.eve = [
            Author.objects.create(name=name, email=f"{name.lower()}@example.com")
            for name in ("Ann", "Bob", "Cid", "Dan", "Eve")
        ]
        cls.books = {
            title: Book.objects.create(title=title, author=author, pages=pages)
            for title, author, pages in (
                ("Red Planet", cls.ann, 100),
                ("Blue Moon", cls.ann, 200),
                ("Red Sky", cls.bob, 300),
                ("Green Hills", cls.cid, 400),
            )
        }

    def changelist(self, url, total):
        """GET a changelist; check it renders and counts ``total`` matches. Return its ChangeList."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        changelist = response.context["cl"]
        self.assertEqual(changelist.result_count, total)
        self.response = response
        return changelist

    def assert_rows(self, changelist, objects, hidden=()):
        """The page shows exactly ``objects``, in order, with a link to each."""
        self.assertEqual([str(obj) for obj in changelist.result_list], [str(obj) for obj in objects])
        self.assertEqual([obj.pk for obj in changelist.result_list], [obj.pk for obj in objects])
        html = self.response.content.decode()
        # Row links carry the list's filters: .../change/?_changelist_filters=...
        for obj in objects:
            self.assertIn(f'href="{change_url(obj)}', html, f"no link to {obj}")
        for obj in hidden:
            self.assertNotIn(f'href="{change_url(obj)}', html, f"a link to {obj}")

    def test_author_pages(self):
        # Newest first (the admin orders by -pk), two to a page.
        everyone = [self.eve, self.dan, self.cid, self.bob, self.ann]
        changelist = self.changelist("/admin/app/author/", 5)
        self.assert_rows(changelist, everyone[:2], hidden=everyone[2:])
        self.assertContains(self.response, "5 authors")

        changelist = self.changelist("/admin/app/author/?p=2", 5)
        self.assertEqual(changelist.page_num, 2)
        self.assert_rows(changelist, everyone[2:4], hidden=everyone[:2] + everyone[4:])
        self.assertContains(self.response, "cid@example.com")

        changelist = self.changelist("/admin/app/author/?p=3", 5)
        self.assert_rows(changelist, everyone[4:], hidden=everyone[:4])

        # "Show all" lifts the page size.
        changelist = self.changelist("/admin/app/author/?all=", 5)
        self.assert_rows(changelist, everyone)

    def test_author_page_out_of_range_is_flagged(self):
        # The admin answers a page past the end with a redirect to "?e=1".
        response = self.client.get("/admin/app/author/?p=9")
        self.assertRedirects(response, "/admin/app/author/?e=1", fetch_redirect_response=False)

    def test_author_sorted_by_a_column(self):
        # o=1 sorts by list_display's first column, name; -1 reverses it.
        changelist = self.changelist("/admin/app/author/?o=1", 5)
        self.assert_rows(changelist, [self.ann, self.bob])
        changelist = self.changelist("/admin/app/author/?o=-1&p=2", 5)
        self.assert_rows(changelist, [self.cid, self.bob])

    def test_author_search(self):
        # search_fields = ["name"] is an icontains lookup.
        changelist = self.changelist("/admin/app/author/?q=an", 2)
        self.assert_rows(changelist, [self.dan, self.ann], hidden=[self.bob, self.cid, self.eve])
        changelist = self.changelist("/admin/app/author/?q=EVE", 1)
        self.assert_rows(changelist, [self.eve])
        changelist = self.changelist("/admin/app/author/?q=nobody", 0)
        self.assert_rows(changelist, [])
        self.assertContains(self.response, "0 results")

    def test_book_list_shows_the_author_column(self):
        changelist = self.changelist("/admin/app/book/", 4)
        books = self.books
        self.assert_rows(changelist, [books["Green Hills"], books["Red Sky"], books["Blue Moon"], books["Red Planet"]])
        # list_display's ForeignKey column, read through select_related.
        rows = [(book.title, book.author.name, book.pages) for book in changelist.result_list]
        self.assertEqual(rows[0], ("Green Hills", "Cid", 400))
        self.assertContains(self.response, '<td class="field-author nowrap">Cid</td>', html=True)
        self.assertContains(self.response, '<td class="field-pages">300</td>', html=True)

    def test_book_filter_by_author(self):
        books = self.books
        changelist = self.changelist(f"/admin/app/book/?author__id__exact={self.ann.pk}", 2)
        self.assert_rows(changelist, [books["Blue Moon"], books["Red Planet"]],
                         hidden=[books["Red Sky"], books["Green Hills"]])
        # The filter lists every author to choose from.
        for author in (self.ann, self.bob, self.eve):
            self.assertContains(self.response, f"?author__id__exact={author.pk}")

        changelist = self.changelist(f"/admin/app/book/?author__id__exact={self.eve.pk}", 0)
        self.assert_rows(changelist, [])

    def test_book_search_and_filter_together(self):
        books = self.books
        changelist = self.changelist("/admin/app/book/?q=red", 2)
        self.assert_rows(changelist, [books["Red Sky"], books["Red Planet"]])
        changelist = self.changelist(f"/admin/app/book/?q=red&author__id__exact={self.ann.pk}", 1)
        self.assert_rows(changelist, [books["Red Planet"]], hidden=[books["Red Sky"], books["Blue Moon"]])


class MigrationCommandTests(TestCase):

    def test_every_migration_is_applied(self):
        out = io.StringIO()
        call_command("showmigrations", stdout=out, no_color=True)
        lines = out.getvalue().splitlines()
        applied = [line for line in lines if line.strip().startswith("[X]")]
        self.assertFalse([line for line in lines if line.strip().startswith("[ ]")], out.getvalue())
        for app_label in ("admin", "auth", "contenttypes", "sessions", "app"):
            self.assertIn(app_label, lines)
        self.assertIn(" [X] 0001_initial", lines)

        # What showmigrations reads is stored in django_migrations.
        graph = MigrationLoader(None, ignore_no_migrations=True).graph
        self.assertEqual(len(applied), len(graph.nodes))
        stored = {(doc["app"], doc["name"]) for doc in collection("django_migrations").find()}
        self.assertTrue(set(graph.nodes) <= stored, set(graph.nodes) - stored)

    def test_migrate_again_has_nothing_to_do(self):
        count = collection("django_migrations").count_documents({})
        out = io.StringIO()
        call_command("migrate", stdout=out, no_color=True, interactive=False)
        self.assertIn("No migrations to apply.", out.getvalue())
        self.assertEqual(collection("django_migrations").count_documents({}), count)
