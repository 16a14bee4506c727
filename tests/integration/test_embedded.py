"""
EmbeddedField and ArrayField through the ORM, migrations and the admin:
each example of the documentation (docs/embedded-fields.md), checked in
what Django returns and in the documents MongoDB stores.
"""
import datetime
import decimal
import pickle

from bson import Decimal128
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import TestCase, TransactionTestCase

from tests.integration.app.models import Author as Writer
from tests.integration.documents import stored
from tests.integration.embedded.models import BlogList, Contact, Entry, OptionalContact, Post


class EmbeddedFieldTests(TestCase):

    def test_assigned_dict_is_stored_as_a_subdocument_and_read_as_an_instance(self):
        # "Using MongoDB Fields": e.blog = {'name': 'Djongo'}
        e = Entry()
        e.blog = {"name": "Djongo"}
        e.headline = "The Django MongoDB connector"
        e.save()
        self.assertEqual(
            stored("embedded_entry", id=e.pk),
            [{"id": e.pk, "blog": {"name": "Djongo", "tagline": ""}, "headline": "The Django MongoDB connector"}],
        )
        read = Entry.objects.get(pk=e.pk)
        self.assertEqual(read.blog.name, "Djongo")
        self.assertEqual(read.blog, {"name": "Djongo"})
        self.assertEqual(read.blog, {"name": "Djongo", "tagline": ""})
        self.assertNotEqual(read.blog, {"name": "Django"})
        self.assertNotEqual(read.blog, "Djongo")
        from tests.integration.embedded.models import Blog
        self.assertIsInstance(read.blog, Blog)

    def test_assignment_converts_at_once(self):
        e = Entry(blog={"name": "Beatles Blog", "tagline": "All the latest"}, headline="h")
        self.assertEqual(e.blog.tagline, "All the latest")
        with self.assertRaisesMessage(ValidationError, "Blog has no field named 'title'"):
            Entry(blog={"title": "x"})
        with self.assertRaisesMessage(ValidationError, "is neither a dict nor a Blog"):
            Entry(blog="Beatles")

    def test_container_instance_is_assigned_and_changed_in_place(self):
        first = Entry.objects.create(blog={"name": "One"}, headline="a")
        second = Entry.objects.create(blog=first.blog, headline="b")
        second.blog.name = "Two"
        second.save()
        self.assertEqual(stored("embedded_entry", id=second.pk)[0]["blog"], {"name": "Two", "tagline": ""})
        self.assertEqual(Entry.objects.get(pk=first.pk).blog.name, "One")

    def test_value_pickles_and_prints(self):
        e = Entry.objects.create(blog={"name": "Pickled"}, headline="p")
        value = pickle.loads(pickle.dumps(Entry.objects.get(pk=e.pk).blog))
        self.assertEqual(value, {"name": "Pickled"})
        self.assertIn("Pickled", repr(value))

    def test_update_with_a_dict(self):
        e = Entry.objects.create(blog={"name": "Old"}, headline="u")
        Entry.objects.filter(pk=e.pk).update(blog={"name": "New", "tagline": "t"})
        self.assertEqual(stored("embedded_entry", id=e.pk)[0]["blog"], {"name": "New", "tagline": "t"})


class ArrayFieldTests(TestCase):

    def test_list_of_dicts_is_stored_as_an_array_and_read_as_instances(self):
        # "Nest a list of dict inside a model for more complex data."
        e = BlogList()
        e.blog = [{"name": "Djongo"}, {"name": "Django"}, {"name": "MongoDB"}]
        e.headline = "Djongo is the best Django and MongoDB connector"
        e.save()
        self.assertEqual(
            stored("embedded_bloglist", id=e.pk)[0]["blog"],
            [{"name": "Djongo"}, {"name": "Django"}, {"name": "MongoDB"}],
        )
        read = BlogList.objects.get(pk=e.pk)
        self.assertEqual([blog.name for blog in read.blog], ["Djongo", "Django", "MongoDB"])
        self.assertEqual(read.blog, [{"name": "Djongo"}, {"name": "Django"}, {"name": "MongoDB"}])

    def test_element_validation_names_the_item(self):
        e = BlogList(blog=[{"name": "ok"}, {"name": "x" * 101}], headline="h")
        with self.assertRaises(ValidationError) as caught:
            e.full_clean()
        self.assertIn("Item 2, name: Ensure this value has at most 100 characters (it has 101).",
                      caught.exception.message_dict["blog"])

    def test_not_a_list_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "is not a list"):
            BlogList(blog={"name": "x"})


class ValidationTests(TestCase):
    """"Security and Integrity Checks": the container fields' validators and null/blank."""

    def test_container_validators_run_in_full_clean(self):
        contact = Contact(address={"city": "Paris", "homepage": "https://example.com/<script>"})
        with self.assertRaises(ValidationError) as caught:
            contact.full_clean()
        self.assertEqual(
            caught.exception.message_dict["address"],
            ["homepage: Script injection in https://example.com/<script>"],
        )
        contact = Contact(address={"city": "Paris", "homepage": "not a url"})
        with self.assertRaises(ValidationError) as caught:
            contact.full_clean()
        self.assertEqual(caught.exception.message_dict["address"], ["homepage: Enter a valid URL."])

    def test_valid_value_passes_full_clean_and_is_stored(self):
        contact = Contact(address={"city": "Paris", "homepage": "https://example.com/"})
        contact.full_clean()
        contact.save()
        self.assertEqual(stored("embedded_contact", id=contact.pk)[0]["address"],
                         {"city": "Paris", "homepage": "https://example.com/"})

    def test_validators_also_run_on_save(self):
        contact = Contact(address={"city": "Paris", "homepage": "https://example.com/<script>"})
        with self.assertRaisesMessage(ValidationError, "homepage: Script injection"):
            contact.save()
        self.assertEqual(stored("embedded_contact"), [])

    def test_missing_value_is_a_validation_error_and_never_stored(self):
        contact = Contact()
        with self.assertRaises(ValidationError) as caught:
            contact.full_clean()
        self.assertEqual(caught.exception.message_dict["address"], ["This field cannot be null."])
        with self.assertRaisesMessage(IntegrityError, "NOT NULL constraint failed: embedded_contact.address"):
            contact.save()
        self.assertEqual(stored("embedded_contact"), [])

    def test_null_true_stores_null(self):
        contact = OptionalContact.objects.create()
        contact.full_clean()
        self.assertEqual(stored("embedded_optionalcontact", id=contact.pk)[0]["address"], None)
        self.assertIsNone(OptionalContact.objects.get(pk=contact.pk).address)


class NestingAndConversionTests(TestCase):

    def make_post(self, **kwargs):
        values = {
            "headline": "Nested",
            "author": {"name": "Ann", "stats": {
                "published": datetime.date(2020, 5, 17), "rating": decimal.Decimal("4.50"),
                "updated": datetime.datetime(2021, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
            }},
            "comments": [
                {"text": "first", "author": {"name": "Bob", "stats": None}},
                {"text": "second", "author": {"name": "Cy", "stats": {
                    "published": datetime.date(2019, 1, 1), "rating": decimal.Decimal("1.25"), "updated": None,
                }}},
            ],
        }
        values.update(kwargs)
        return Post.objects.create(**values)

    def test_values_are_converted_by_their_own_fields(self):
        post = self.make_post()
        doc = stored("embedded_post", id=post.pk)[0]
        stats = doc["author"]["stats"]
        self.assertEqual(stats["published"], datetime.datetime(2020, 5, 17))  # a BSON date
        self.assertEqual(stats["rating"], Decimal128("4.50"))
        self.assertEqual(stats["updated"], datetime.datetime(2021, 1, 2, 3, 4, 5))
        self.assertEqual(doc["comments"][1]["author"]["stats"]["rating"], Decimal128("1.25"))
        self.assertIsNone(doc["comments"][0]["author"]["stats"])
        self.assertEqual(doc["featured"], {"name": "Unnamed", "tagline": ""})

        read = Post.objects.get(pk=post.pk)
        self.assertEqual(read.author.stats.published, datetime.date(2020, 5, 17))
        self.assertEqual(read.author.stats.rating, decimal.Decimal("4.50"))
        self.assertEqual(read.author.stats.updated, datetime.datetime(2021, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
        self.assertEqual(read.comments[1].author.stats.rating, decimal.Decimal("1.25"))
        self.assertIsNone(read.comments[0].author.stats)
        self.assertEqual(read.comments[0], {"text": "first", "author": {"name": "Bob", "stats": None}})

    def test_nested_validation(self):
        post = Post(headline="x", author={"name": "A", "stats": {"published": None, "rating": "1"}})
        with self.assertRaises(ValidationError) as caught:
            post.full_clean()
        self.assertEqual(caught.exception.message_dict["author"], ["stats: published: This field cannot be null."])

    def test_fields_missing_from_a_stored_subdocument_read_as_defaults(self):
        post = self.make_post()
        connection.mongo_database["embedded_post"].update_one({"id": post.pk}, {"$unset": {"featured.tagline": ""}})
        self.assertEqual(Post.objects.get(pk=post.pk).featured.tagline, "")

    def test_keys_the_container_does_not_read_survive_a_save(self):
        post = self.make_post()
        connection.mongo_database["embedded_post"].update_one({"id": post.pk}, {"$set": {
            "author.stats.source": "import", "comments.1.likes": 3,
        }})
        post = Post.objects.get(pk=post.pk)
        self.assertFalse(hasattr(post.author.stats, "source"))
        self.assertEqual(post.author.stats, post.author.stats.__class__(**{
            "published": datetime.date(2020, 5, 17), "rating": decimal.Decimal("4.50"),
            "updated": datetime.datetime(2021, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        }))
        post.author.stats.rating = decimal.Decimal("5")
        post.comments[1].text = "edited"
        post.save()
        [document] = stored("embedded_post", id=post.pk)
        self.assertEqual(document["author"]["stats"]["source"], "import")
        self.assertEqual(document["author"]["stats"]["rating"], Decimal128("5.00"))
        self.assertEqual(document["comments"][1], {
            "text": "edited", "likes": 3,
            "author": {"name": "Cy", "stats": {
                "published": datetime.datetime(2019, 1, 1), "rating": Decimal128("1.25"), "updated": None,
            }},
        })
        # A new value replaces the subdocument, keys and all.
        post.author = {"name": "Dee", "stats": None}
        post.save()
        self.assertEqual(stored("embedded_post", id=post.pk)[0]["author"], {"name": "Dee", "stats": None})


class QueryTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.beatles = Entry.objects.create(blog={"name": "Beatles Blog", "tagline": "All the latest"}, headline="b")
        cls.bach = Entry.objects.create(blog={"name": "Bach Blog", "tagline": "Baroque"}, headline="c")
        cls.stones = Entry.objects.create(blog={"name": "Stones", "tagline": "Rock"}, headline="s")
        cls.list_one = BlogList.objects.create(blog=[{"name": "Djongo"}, {"name": "Django"}], headline="one")
        cls.list_two = BlogList.objects.create(blog=[{"name": "MongoDB"}], headline="two")

    def names(self, queryset):
        return sorted(entry.blog.name for entry in queryset)

    def test_filter_on_a_path(self):
        self.assertEqual(self.names(Entry.objects.filter(blog__name="Bach Blog")), ["Bach Blog"])
        self.assertEqual(self.names(Entry.objects.filter(blog__name__startswith="B")), ["Bach Blog", "Beatles Blog"])
        self.assertEqual(self.names(Entry.objects.filter(blog__tagline__icontains="ROCK")), ["Stones"])

    def test_dict_form(self):
        # "Querying Embedded fields"
        entries = Entry.objects.filter(blog__startswith={"name": "Beatles"})
        self.assertEqual(self.names(entries), ["Beatles Blog"])
        entries = Entry.objects.filter(blog={"name": "Bach Blog", "tagline": "Baroque"})
        self.assertEqual(self.names(entries), ["Bach Blog"])
        self.assertEqual(list(Entry.objects.filter(blog={"name": "Bach Blog", "tagline": "Rock"})), [])
        with self.assertRaisesMessage(ValueError, "needs a non-empty dict"):
            Entry.objects.filter(blog__startswith="Beatles")

    def test_exclude(self):
        self.assertEqual(self.names(Entry.objects.exclude(blog__name__startswith="B")), ["Stones"])
        self.assertEqual(self.names(Entry.objects.exclude(blog__startswith={"name": "Beatles"})),
                         ["Bach Blog", "Stones"])

    def test_order_by_and_values(self):
        self.assertEqual(
            list(Entry.objects.order_by("blog__name").values_list("blog__name", flat=True)),
            ["Bach Blog", "Beatles Blog", "Stones"],
        )
        self.assertEqual(
            list(Entry.objects.order_by("-blog__name").values("blog__name", "headline")),
            [{"blog__name": "Stones", "headline": "s"}, {"blog__name": "Beatles Blog", "headline": "b"},
             {"blog__name": "Bach Blog", "headline": "c"}],
        )

    def test_path_in_a_subquery(self):
        # The requirements' example: a path compared with a subquery's values.
        Writer.objects.create(name="Chopin Blog")
        Writer.objects.create(name="Bach Blog")
        inner_query = Writer.objects.filter(name__contains="Ch").values("name")
        self.assertEqual(self.names(Entry.objects.filter(blog__name__in=inner_query)), [])
        Writer.objects.create(name="Beatles Blog (Chris)")
        Entry.objects.create(blog={"name": "Chopin Blog", "tagline": ""}, headline="ch")
        self.assertEqual(self.names(Entry.objects.filter(blog__name__in=inner_query)), ["Chopin Blog"])
        self.assertEqual(
            self.names(Entry.objects.exclude(blog__name__in=inner_query)), ["Bach Blog", "Beatles Blog", "Stones"],
        )

    def test_array_path_matches_any_element(self):
        self.assertEqual([e.headline for e in BlogList.objects.filter(blog__name="Django")], ["one"])
        self.assertEqual(
            sorted(e.headline for e in BlogList.objects.filter(blog__name__startswith="Mongo")), ["two"],
        )
        self.assertEqual([e.headline for e in BlogList.objects.filter(blog__startswith={"name": "Dj"})], ["one"])
        self.assertEqual([e.headline for e in BlogList.objects.exclude(blog__name="Django")], ["two"])

    def test_deeper_paths_and_converted_values(self):
        NestingAndConversionTests.make_post(self, headline="deep")
        NestingAndConversionTests.make_post(self, headline="shallow", author={"name": "Zed", "stats": None})
        self.assertEqual(
            [p.headline for p in Post.objects.filter(author__stats__published__gte=datetime.date(2020, 1, 1))],
            ["deep"],
        )
        self.assertEqual(
            [p.headline for p in Post.objects.filter(author__stats__rating=decimal.Decimal("4.5"))], ["deep"],
        )
        self.assertEqual([p.headline for p in Post.objects.filter(author__stats__isnull=True)], ["shallow"])
        self.assertEqual(
            [p.headline for p in Post.objects.filter(comments__author__name="Cy").order_by("headline")],
            ["deep", "shallow"],
        )
        self.assertEqual(
            [p.headline for p in Post.objects.filter(author__stats={"published": datetime.date(2020, 5, 17)})],
            ["deep"],
        )
        self.assertEqual(
            list(Post.objects.filter(headline="deep").values_list("author__stats__rating", "author__stats__updated")),
            [(decimal.Decimal("4.50"), datetime.datetime(2021, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))],
        )

    def test_unknown_path_is_a_field_error(self):
        from django.core.exceptions import FieldError
        with self.assertRaises(FieldError):
            list(Entry.objects.filter(blog__title="x"))


class AdminTests(TestCase):
    """Nested forms in the admin: add, change, errors beside the nested field, array rows."""

    @classmethod
    def setUpTestData(cls):
        cls.admin_user = User.objects.create_superuser("embedded-boss", "boss@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.admin_user)

    def test_add_and_change_an_entry(self):
        page = self.client.get("/admin/embedded/entry/add/")
        self.assertContains(page, 'name="blog-name"')
        self.assertContains(page, 'name="blog-tagline"')

        response = self.client.post("/admin/embedded/entry/add/", {
            "headline": "Added", "blog-name": "Beatles Blog", "blog-tagline": "All the latest",
        })
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["errors"])
        entry = Entry.objects.get(headline="Added")
        self.assertEqual(stored("embedded_entry", id=entry.pk)[0]["blog"],
                         {"name": "Beatles Blog", "tagline": "All the latest"})

        url = f"/admin/embedded/entry/{entry.pk}/change/"
        page = self.client.get(url)
        self.assertContains(page, 'value="Beatles Blog"')
        response = self.client.post(url, {"headline": "Added", "blog-name": "Stones", "blog-tagline": "Rock"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored("embedded_entry", id=entry.pk)[0]["blog"], {"name": "Stones", "tagline": "Rock"})

    def test_nested_error_is_shown_beside_the_nested_field(self):
        response = self.client.post("/admin/embedded/entry/add/", {
            "headline": "Bad", "blog-name": "x" * 101, "blog-tagline": "",
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please correct the errors in Blog below.")
        html = response.content.decode()
        # The nested field's own message, rendered in the nested form next to blog-name.
        message = "Ensure this value has at most 100 characters (it has 101)."
        self.assertIn(message, html)
        self.assertLess(html.index(message), html.index('name="blog-name"'))
        self.assertGreater(html.index(message), html.index('class="djongo-embedded"'))
        self.assertEqual(stored("embedded_entry", headline="Bad"), [])

        # A required nested field left empty.
        response = self.client.post("/admin/embedded/entry/add/", {"headline": "Empty"})
        self.assertContains(response, "This field is required.")
        self.assertEqual(stored("embedded_entry", headline="Empty"), [])

    def test_container_validator_error_in_the_admin(self):
        response = self.client.post("/admin/embedded/contact/add/", {
            "address-city": "Paris", "address-homepage": "https://example.com/<script>",
        })
        self.assertContains(response, "Script injection in https://example.com/&lt;script&gt;")
        self.assertEqual(stored("embedded_contact"), [])

    def management(self, total, initial):
        return {"blog-TOTAL_FORMS": str(total), "blog-INITIAL_FORMS": str(initial),
                "blog-MIN_NUM_FORMS": "0", "blog-MAX_NUM_FORMS": "1000"}

    def test_array_rows_are_added_and_removed(self):
        page = self.client.get("/admin/embedded/bloglist/add/")
        self.assertContains(page, 'name="blog-TOTAL_FORMS"')
        self.assertContains(page, 'name="blog-0-name"')  # the empty row to add an element

        response = self.client.post("/admin/embedded/bloglist/add/", {
            "headline": "Listed", **self.management(1, 0), "blog-0-name": "Djongo",
        })
        self.assertEqual(response.status_code, 302)
        blog_list = BlogList.objects.get(headline="Listed")
        self.assertEqual(stored("embedded_bloglist", id=blog_list.pk)[0]["blog"], [{"name": "Djongo"}])

        # The change page shows the element and one more empty row: fill it in.
        url = f"/admin/embedded/bloglist/{blog_list.pk}/change/"
        page = self.client.get(url)
        self.assertContains(page, 'name="blog-0-name"')
        self.assertContains(page, 'value="Djongo"')
        self.assertContains(page, 'name="blog-1-name"')
        self.assertContains(page, 'name="blog-0-DELETE"')
        response = self.client.post(url, {
            "headline": "Listed", **self.management(2, 1), "blog-0-name": "Djongo", "blog-1-name": "Django",
        })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored("embedded_bloglist", id=blog_list.pk)[0]["blog"],
                         [{"name": "Djongo"}, {"name": "Django"}])

        # Delete the first row; leave the new empty row empty.
        response = self.client.post(url, {
            "headline": "Listed", **self.management(3, 2),
            "blog-0-name": "Djongo", "blog-0-DELETE": "on", "blog-1-name": "Django", "blog-2-name": "",
        })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored("embedded_bloglist", id=blog_list.pk)[0]["blog"], [{"name": "Django"}])
        self.assertEqual(BlogList.objects.get(pk=blog_list.pk).blog, [{"name": "Django"}])

    def test_changing_through_the_admin_keeps_keys_the_form_does_not_show(self):
        entry = Entry.objects.create(headline="Kept", blog={"name": "Beatles Blog", "tagline": ""})
        blog_list = BlogList.objects.create(headline="Kept", blog=[{"name": "Djongo"}, {"name": "Django"}])
        mongo = connection.mongo_database
        mongo["embedded_entry"].update_one({"id": entry.pk}, {"$set": {"blog.rank": 1}})
        mongo["embedded_bloglist"].update_one({"id": blog_list.pk}, {"$set": {"blog.1.stars": 5}})

        response = self.client.post(f"/admin/embedded/entry/{entry.pk}/change/", {
            "headline": "Kept", "blog-name": "Stones", "blog-tagline": "Rock",
        })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored("embedded_entry", id=entry.pk)[0]["blog"],
                         {"name": "Stones", "tagline": "Rock", "rank": 1})

        # Delete the first row and rename the second: its key goes with it.
        response = self.client.post(f"/admin/embedded/bloglist/{blog_list.pk}/change/", {
            "headline": "Kept", **self.management(3, 2),
            "blog-0-name": "Djongo", "blog-0-DELETE": "on", "blog-1-name": "Django 5", "blog-2-name": "New",
        })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(stored("embedded_bloglist", id=blog_list.pk)[0]["blog"],
                         [{"name": "Django 5", "stars": 5}, {"name": "New"}])

    def test_array_row_error(self):
        response = self.client.post("/admin/embedded/bloglist/add/", {
            "headline": "Bad rows", **self.management(2, 0), "blog-0-name": "ok", "blog-1-name": "y" * 101,
        })
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ensure this value has at most 100 characters (it has 101).")
        self.assertContains(response, 'value="ok"')
        self.assertEqual(stored("embedded_bloglist", headline="Bad rows"), [])

    def test_nested_post_with_dates_and_arrays(self):
        page = self.client.get("/admin/embedded/post/add/")
        self.assertContains(page, 'name="author-stats-published"')
        self.assertContains(page, 'name="comments-0-author-name"')
        response = self.client.post("/admin/embedded/post/add/", {
            "headline": "Via admin",
            "author-name": "Ann", "author-stats-published": "2020-05-17", "author-stats-rating": "4.5",
            "author-stats-updated": "",
            "comments-TOTAL_FORMS": "1", "comments-INITIAL_FORMS": "0",
            "comments-0-text": "hello", "comments-0-author-name": "Bob",
            "featured-name": "F", "featured-tagline": "",
        })
        self.assertEqual(response.status_code, 302)
        doc = stored("embedded_post", headline="Via admin")[0]
        self.assertEqual(doc["author"]["name"], "Ann")
        self.assertEqual(doc["author"]["stats"]["published"], datetime.datetime(2020, 5, 17))
        self.assertEqual(doc["author"]["stats"]["rating"].to_decimal(), decimal.Decimal("4.5"))
        self.assertIsNone(doc["author"]["stats"]["updated"])
        # The optional, untouched nested Stats form of the comment's author is None.
        self.assertEqual(doc["comments"], [{"text": "hello", "author": {"name": "Bob", "stats": None}}])

    def test_changelist_search_and_ordering_on_an_embedded_path(self):
        Entry.objects.create(blog={"name": "Zebra Blog"}, headline="z")
        Entry.objects.create(blog={"name": "Aardvark Blog"}, headline="a")
        Entry.objects.create(blog={"name": "Other"}, headline="o")
        response = self.client.get("/admin/embedded/entry/", {"q": "blog"})
        self.assertEqual(sorted(entry.headline for entry in response.context["cl"].result_list), ["a", "z"])
        self.assertContains(response, "Zebra Blog")
        # list_display's method column orders by blog__name (column 2).
        response = self.client.get("/admin/embedded/entry/", {"o": "2"})
        self.assertEqual([entry.headline for entry in response.context["cl"].result_list], ["a", "o", "z"])
        response = self.client.get("/admin/embedded/bloglist/", {"q": "djan"})
        self.assertEqual(response.status_code, 200)


class MigrationTests(TransactionTestCase):
    """Adding an EmbeddedField to a collection that already holds documents (migration 0002)."""

    available_apps = ["tests.integration.embedded"]

    def test_migrate_adds_the_default_subdocument_to_existing_documents(self):
        call_command("migrate", "embedded", "0001", verbosity=0)
        try:
            posts = connection.mongo_database["embedded_post"]
            self.assertEqual(posts.count_documents({"featured": {"$exists": True}}), 0)
            posts.insert_one({"id": 9001, "headline": "old", "author": {"name": "Old", "stats": None},
                              "comments": []})
        finally:
            call_command("migrate", "embedded", verbosity=0)
        self.assertEqual(stored("embedded_post", id=9001)[0]["featured"], {"name": "Unnamed", "tagline": ""})
        self.assertEqual(Post.objects.get(pk=9001).featured, {"name": "Unnamed"})

    def test_makemigrations_has_nothing_to_add(self):
        call_command("makemigrations", "embedded", check=True, dry_run=True, verbosity=0)
