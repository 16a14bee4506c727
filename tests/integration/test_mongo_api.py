"""
MongoDB beyond SQL: DjongoManager's pymongo pass-through, GridFSStorage and
its serving view, ENFORCE_SCHEMA, and adopting an existing database
(djongo_sequences, inspectdb on collections djongo never created).

Each test checks what MongoDB stores as well as what Django returns.
"""
import datetime
import io
import uuid
from contextlib import contextmanager

from bson import Decimal128, Int64, ObjectId
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import NotSupportedError, connection, connections
from django.test import TestCase, override_settings
from django.test.utils import isolate_apps
from django.utils.http import http_date
from django.views.generic import DetailView
from PIL import Image

from djongo.exceptions import MigrationError
from djongo.management.commands import djongo_sequences, inspectdb
from djongo.storage import GridFSStorage
from tests.integration.mongo_api.models import Blog, Document, Entry, Profile, gridfs_storage

PASSWORD = "s3cret-Passw0rd"


def mongo(name):
    return connection.mongo_database[name]


def sequence(table):
    return mongo("__schema__").find_one({"name": table})["auto"]["seq"]


def png_bytes(width=3, height=2):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# DjongoManager -------------------------------------------------------------

class EntryView(DetailView):
    """Seed 000's view: an aggregation straight through the manager."""

    def get_object(self, queryset=None):
        index = [i for i in Entry.objects.mongo_aggregate([
            {
                '$match': {
                    'headline': self.kwargs['path']
                }
            },
        ])]

        return index


class DjongoManagerTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.first = Entry.objects.create(blog_name="Beatles Blog", headline="Help")
        cls.second = Entry.objects.create(blog_name="Beatles Blog", headline="Yesterday")

    def test_it_is_a_normal_manager(self):
        self.assertEqual(Entry.objects.get(pk=self.first.pk).headline, "Help")
        self.assertEqual(list(Entry.objects.filter(headline="Yesterday")), [self.second])

    def test_seed_entry_view_get_object(self):
        view = EntryView(kwargs={"path": "Yesterday"})
        documents = view.get_object()
        self.assertEqual(len(documents), 1)
        self.assertEqual(documents[0]["id"], self.second.pk)
        self.assertEqual(documents[0]["headline"], "Yesterday")
        self.assertIsInstance(documents[0]["_id"], ObjectId)

    def test_mongo_find_and_count_documents(self):
        found = list(Entry.objects.mongo_find({"blog_name": "Beatles Blog"}, {"_id": 0}).sort("id", 1))
        self.assertEqual(found, [
            {"id": self.first.pk, "blog_name": "Beatles Blog", "headline": "Help"},
            {"id": self.second.pk, "blog_name": "Beatles Blog", "headline": "Yesterday"},
        ])
        self.assertEqual(Entry.objects.mongo_count_documents({"headline": "Help"}), 1)
        self.assertEqual(sorted(Entry.objects.mongo_distinct("headline")), ["Help", "Yesterday"])

    def test_mongo_insert_one_is_visible_to_the_orm(self):
        # An id from outside djongo's counter: see docs/manager.md.
        new_id = sequence("mongo_api_entry") + 1000
        result = Entry.objects.mongo_insert_one({"id": new_id, "blog_name": "Raw", "headline": "Direct"})
        self.assertIsInstance(result.inserted_id, ObjectId)
        self.assertEqual(Entry.objects.get(pk=new_id).headline, "Direct")
        self.assertLess(sequence("mongo_api_entry"), new_id)  # the counter did not move

    def test_mongo_update_and_delete(self):
        Entry.objects.mongo_update_one({"id": self.first.pk}, {"$set": {"headline": "Help!"}})
        self.first.refresh_from_db()
        self.assertEqual(self.first.headline, "Help!")
        self.assertEqual(Entry.objects.mongo_delete_many({"blog_name": "Beatles Blog"}).deleted_count, 2)
        self.assertFalse(Entry.objects.exists())

    def test_unknown_names_raise_attribute_error(self):
        with self.assertRaisesMessage(AttributeError, "mongo_fnd"):
            Entry.objects.mongo_fnd
        with self.assertRaises(AttributeError):
            Entry.objects.mongo___init__
        with self.assertRaises(AttributeError):
            Entry.objects.not_a_method
        self.assertFalse(hasattr(Entry.objects, "mongo_"))

    def test_collection_is_the_model_table(self):
        collection = Entry.objects.mongo_collection()
        self.assertEqual(collection.name, "mongo_api_entry")
        self.assertEqual(collection.database.name, connection.settings_dict["NAME"])
        self.assertIn("mongo_aggregate", dir(Entry.objects))

    def test_non_djongo_alias_is_refused(self):
        class FakeConnection:
            vendor = "sqlite"
        with mock_connection("fake", FakeConnection()):
            with self.assertRaisesMessage(NotSupportedError, "needs a djongo database"):
                Entry.objects.db_manager("fake").mongo_find


@contextmanager
def mock_connection(alias, wrapper):
    connections[alias] = wrapper
    try:
        yield
    finally:
        del connections[alias]


# GridFSStorage --------------------------------------------------------------

class GridFSTestCase(TestCase):

    def setUp(self):
        # GridFS collections are not Django tables: TestCase's flush leaves them.
        self.addCleanup(mongo("mongo_api_files.files").drop)
        self.addCleanup(mongo("mongo_api_files.chunks").drop)

    def stored(self, name):
        return mongo("mongo_api_files.files").find_one({"filename": name})


class GridFSStorageTests(GridFSTestCase):

    def test_save_open_size_exists(self):
        name = gridfs_storage.save("notes/hello.txt", ContentFile(b"hello, gridfs"))
        self.assertEqual(name, "notes/hello.txt")
        document = self.stored(name)
        self.assertEqual(document["length"], 13)
        self.assertEqual(document["metadata"], {"contentType": "text/plain"})
        self.assertEqual(mongo("mongo_api_files.chunks").count_documents({"files_id": document["_id"]}), 1)
        self.assertTrue(gridfs_storage.exists(name))
        self.assertFalse(gridfs_storage.exists("notes/other.txt"))
        self.assertEqual(gridfs_storage.size(name), 13)
        with gridfs_storage.open(name) as stored:
            self.assertEqual(stored.read(), b"hello, gridfs")
            self.assertEqual(stored.size, 13)
            self.assertEqual(stored.content_type, "text/plain")

    def test_large_files_span_chunks(self):
        data = bytes(range(256)) * 3000  # 768,000 bytes: three chunks of GridFS's 255 KiB
        name = gridfs_storage.save("big.bin", ContentFile(data))
        self.assertEqual(mongo("mongo_api_files.chunks").count_documents({"files_id": self.stored(name)["_id"]}), 3)
        with gridfs_storage.open(name) as stored:
            self.assertEqual(stored.read(), data)

    def test_a_taken_name_gets_a_new_one(self):
        first = gridfs_storage.save("same.txt", ContentFile(b"one"))
        second = gridfs_storage.save("same.txt", ContentFile(b"two"))
        self.assertEqual(first, "same.txt")
        self.assertNotEqual(second, first)
        self.assertRegex(second, r"^same_\w{7}\.txt$")
        self.assertEqual(gridfs_storage.open(first).read(), b"one")
        self.assertEqual(gridfs_storage.open(second).read(), b"two")
        self.assertEqual(mongo("mongo_api_files.files").count_documents({}), 2)

    def test_delete(self):
        name = gridfs_storage.save("gone.txt", ContentFile(b"bye"))
        gridfs_storage.delete(name)
        self.assertFalse(gridfs_storage.exists(name))
        self.assertEqual(mongo("mongo_api_files.files").count_documents({}), 0)
        self.assertEqual(mongo("mongo_api_files.chunks").count_documents({}), 0)
        gridfs_storage.delete(name)  # deleting a missing file does nothing

    def test_missing_files(self):
        with self.assertRaises(FileNotFoundError):
            gridfs_storage.open("missing.txt")
        with self.assertRaises(FileNotFoundError):
            gridfs_storage.size("missing.txt")
        with self.assertRaises(FileNotFoundError):
            gridfs_storage.get_modified_time("missing.txt")

    def test_open_is_read_only(self):
        name = gridfs_storage.save("ro.txt", ContentFile(b"x"))
        with self.assertRaisesMessage(ValueError, "read-only"):
            gridfs_storage.open(name, "wb")

    def test_url(self):
        self.assertEqual(gridfs_storage.url("documents/a b.txt"), "/files/documents/a%20b.txt")
        self.assertEqual(GridFSStorage(base_url="https://cdn.example.com/media").url("x.png"),
                         "https://cdn.example.com/media/x.png")
        with override_settings(MEDIA_URL="/media/"):
            self.assertEqual(GridFSStorage().url("x.png"), "/media/x.png")

    def test_listdir(self):
        for name in ("top.txt", "docs/a.txt", "docs/b.txt", "docs/old/c.txt", "images/d.png"):
            gridfs_storage.save(name, ContentFile(b"."))
        self.assertEqual(gridfs_storage.listdir(""), (["docs", "images"], ["top.txt"]))
        self.assertEqual(gridfs_storage.listdir("docs"), (["old"], ["a.txt", "b.txt"]))
        self.assertEqual(gridfs_storage.listdir("docs/old/"), ([], ["c.txt"]))
        self.assertEqual(gridfs_storage.listdir("nothing"), ([], []))

    def test_times_are_the_upload_date(self):
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        name = gridfs_storage.save("when.txt", ContentFile(b"now"))
        modified = gridfs_storage.get_modified_time(name)
        stored = self.stored(name)["uploadDate"].replace(tzinfo=datetime.timezone.utc)
        self.assertEqual(modified, stored)
        self.assertLessEqual(before, modified + datetime.timedelta(seconds=1))
        self.assertEqual(gridfs_storage.get_created_time(name), modified)
        with self.assertRaises(NotImplementedError):
            gridfs_storage.get_accessed_time(name)
        with override_settings(USE_TZ=False):
            self.assertIsNone(gridfs_storage.get_modified_time(name).tzinfo)

    def test_another_database_alias_and_bucket(self):
        storage = GridFSStorage(collection="other_bucket", database="default")
        self.addCleanup(mongo("other_bucket.files").drop)
        self.addCleanup(mongo("other_bucket.chunks").drop)
        storage.save("x.txt", ContentFile(b"x"))
        self.assertEqual(mongo("other_bucket.files").count_documents({"filename": "x.txt"}), 1)
        self.assertFalse(gridfs_storage.exists("x.txt"))

    def test_deconstruct(self):
        path, args, kwargs = gridfs_storage.deconstruct()
        self.assertEqual(path, "djongo.storage.GridFSStorage")
        self.assertEqual(kwargs, {"collection": "mongo_api_files", "base_url": "/files/"})


class GridFSModelFieldTests(GridFSTestCase):

    def test_file_field(self):
        document = Document.objects.create(title="Report", attachment=ContentFile(b"%PDF-1.4", name="report.pdf"))
        self.assertEqual(document.attachment.name, "documents/report.pdf")
        self.assertEqual(mongo("mongo_api_document").find_one({"id": document.pk})["attachment"],
                         "documents/report.pdf")
        self.assertEqual(self.stored("documents/report.pdf")["metadata"]["contentType"], "application/pdf")
        loaded = Document.objects.get(pk=document.pk)
        self.assertEqual(loaded.attachment.size, 8)
        self.assertEqual(loaded.attachment.url, "/files/documents/report.pdf")
        with loaded.attachment.open() as stored:
            self.assertEqual(stored.read(), b"%PDF-1.4")
        loaded.attachment.delete(save=False)
        self.assertIsNone(self.stored("documents/report.pdf"))

    def test_image_field_reads_dimensions_from_gridfs(self):
        profile = Profile.objects.create(name="Ann", avatar=ContentFile(png_bytes(3, 2), name="ann.png"))
        self.assertEqual((profile.avatar_width, profile.avatar_height), (3, 2))
        loaded = Profile.objects.get(pk=profile.pk)
        self.assertEqual((loaded.avatar.width, loaded.avatar.height), (3, 2))
        self.assertEqual(self.stored("ann.png")["metadata"]["contentType"], "image/png")
        with Image.open(loaded.avatar.open()) as image:
            self.assertEqual(image.size, (3, 2))


class GridFSAdminTests(GridFSTestCase):

    @classmethod
    def setUpTestData(cls):
        User.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    def setUp(self):
        super().setUp()
        self.assertTrue(self.client.login(username="boss", password=PASSWORD))

    def test_upload_through_the_admin_and_fetch_it(self):
        upload = SimpleUploadedFile("minutes.txt", b"we met", content_type="text/plain")
        response = self.client.post("/admin/mongo_api/document/add/", {"title": "Minutes", "attachment": upload})
        self.assertEqual(response.status_code, 302, getattr(response, "context", None)
                         and response.context["adminform"].form.errors)
        document = Document.objects.get(title="Minutes")
        self.assertEqual(document.attachment.name, "documents/minutes.txt")
        stored = self.stored("documents/minutes.txt")
        self.assertEqual((stored["length"], stored["metadata"]["contentType"]), (6, "text/plain"))

        change = self.client.get(f"/admin/mongo_api/document/{document.pk}/change/")
        self.assertContains(change, 'href="/files/documents/minutes.txt"')

        response = self.client.get(document.attachment.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertEqual(response["Content-Length"], "6")
        self.assertEqual(b"".join(response.streaming_content), b"we met")

        modified = http_date(stored["uploadDate"].replace(tzinfo=datetime.timezone.utc).timestamp())
        self.assertEqual(response["Last-Modified"], modified)
        cached = self.client.get(document.attachment.url, headers={"if-modified-since": modified})
        self.assertEqual(cached.status_code, 304)

    def test_image_upload_through_the_admin(self):
        upload = SimpleUploadedFile("face.png", png_bytes(4, 5), content_type="image/png")
        response = self.client.post("/admin/mongo_api/profile/add/", {"name": "Bo", "avatar": upload})
        self.assertEqual(response.status_code, 302)
        profile = Profile.objects.get(name="Bo")
        self.assertEqual((profile.avatar_width, profile.avatar_height), (4, 5))
        served = self.client.get("/files/face.png")
        self.assertEqual(served["Content-Type"], "image/png")
        self.assertEqual(b"".join(served.streaming_content), png_bytes(4, 5))

    def test_serving_a_missing_file_is_404(self):
        self.assertEqual(self.client.get("/files/no/such.txt").status_code, 404)


# ENFORCE_SCHEMA -------------------------------------------------------------

def add_database_alias(alias, **settings):
    """Make ``alias`` a second connection to the test database, with ``settings`` changed."""
    # Added at run time, not in settings.DATABASES: the test runner would
    # create (and migrate) a test database of its own for a configured alias.
    connections.settings[alias] = {**connections["default"].settings_dict, **settings}


def remove_database_alias(alias):
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


class EnforceSchemaTests(TestCase):
    """Seed 000's Blog, which gained ``description`` after documents were stored."""
    databases = {"default", "enforced"}

    @classmethod
    def setUpClass(cls):
        add_database_alias("enforced", ENFORCE_SCHEMA=True)
        cls.addClassCleanup(remove_database_alias, "enforced")
        super().setUpClass()

    def setUp(self):
        self.blog_id = sequence("mongo_api_blog") + 500
        # Written as the model was before ``description``.
        self.object_id = mongo("mongo_api_blog").insert_one(
            {"id": self.blog_id, "name": "Beatles Blog", "tagline": "All the latest Beatles news."},
        ).inserted_id
        self.addCleanup(mongo("mongo_api_blog").delete_one, {"_id": self.object_id})

    def test_off_by_default_a_missing_field_reads_as_none(self):
        self.assertFalse(connection.enforce_schema)
        blog = Blog.objects.get(pk=self.blog_id)
        self.assertEqual(blog.tagline, "All the latest Beatles news.")
        self.assertIsNone(blog.description)

    def test_on_a_missing_field_raises_migration_error(self):
        self.assertTrue(connections["enforced"].enforce_schema)
        with self.assertRaises(MigrationError) as caught:
            Blog.objects.using("enforced").get(pk=self.blog_id)
        error = caught.exception
        self.assertEqual(
            (error.collection, error.document_id, error.field),
            ("mongo_api_blog", self.object_id, "description"),
        )
        self.assertIn("'mongo_api_blog'", str(error))
        self.assertIn(repr(self.object_id), str(error))
        self.assertIn("'description'", str(error))
        # Documents that have every field read as usual.
        Blog.objects.create(name="Complete", tagline="t", description="d")
        self.assertEqual(Blog.objects.using("enforced").get(name="Complete").description, "d")
        # So does a missing field that the query does not read.
        self.assertEqual(Blog.objects.using("enforced").filter(pk=self.blog_id).values_list("name").get(),
                         ("Beatles Blog",))
        # The fix docs/settings.md suggests: IS NULL matches the missing field.
        self.assertEqual(Blog.objects.filter(description=None).update(description=""), 1)
        self.assertEqual(Blog.objects.using("enforced").get(pk=self.blog_id).description, "")


# djongo_sequences -----------------------------------------------------------

def run_sequences(*args):
    out = io.StringIO()
    call_command(djongo_sequences.Command(), *args, stdout=out)
    return out.getvalue()


class DjongoSequencesTests(TestCase):

    def test_report_and_fix_a_sequence_behind_inserted_documents(self):
        Entry.objects.create(blog_name="b", headline="made by Django")
        seq = sequence("mongo_api_entry")
        # Documents copied in behind djongo's back, as from another database.
        Entry.objects.mongo_insert_many([
            {"id": seq + 1, "blog_name": "b", "headline": "copied 1"},
            {"id": seq + 7, "blog_name": "b", "headline": "copied 7"},
        ])
        report = run_sequences()
        self.assertIn(f"mongo_api_entry.id: sequence {seq} is behind the largest id {seq + 7}", report)
        self.assertIn("run with --fix", report)
        self.assertEqual(sequence("mongo_api_entry"), seq)  # a report changes nothing

        fixed = run_sequences("--fix")
        self.assertIn(f"mongo_api_entry.id: sequence moved from {seq} to {seq + 7}", fixed)
        self.assertEqual(sequence("mongo_api_entry"), seq + 7)
        self.assertNotIn("mongo_api_entry", run_sequences())

        created = Entry.objects.create(blog_name="b", headline="after the fix")
        self.assertEqual(created.pk, seq + 8)
        self.assertEqual(
            sorted(doc["headline"] for doc in Entry.objects.mongo_find({"id": {"$gt": seq}})),
            ["after the fix", "copied 1", "copied 7"],
        )

    def test_fix_never_moves_a_sequence_backwards(self):
        Entry.objects.create(blog_name="b", headline="x")
        mongo("__schema__").update_one({"name": "mongo_api_entry"}, {"$inc": {"auto.seq": 50}})
        seq = sequence("mongo_api_entry")
        output = run_sequences("--fix", "--database", "default", "--verbosity", "2")
        self.assertIn(f"mongo_api_entry.id: sequence {seq}, largest id", output)
        self.assertEqual(sequence("mongo_api_entry"), seq)

    def test_ids_that_are_not_numbers_are_ignored(self):
        seq = sequence("mongo_api_entry")
        Entry.objects.mongo_insert_one({"id": "legacy-key", "blog_name": "b", "headline": "x"})
        self.assertNotIn("mongo_api_entry", run_sequences())
        self.assertEqual(sequence("mongo_api_entry"), seq)


# inspectdb ------------------------------------------------------------------

def run_inspectdb(*tables):
    out = io.StringIO()
    call_command(inspectdb.Command(), *tables, stdout=out)
    return out.getvalue()


class InspectdbTests(TestCase):
    """inspectdb on collections created with pymongo only."""

    def collection(self, name, documents):
        mongo(name).insert_many(documents)
        self.addCleanup(mongo(name).drop)

    def test_propose_a_model_from_sampled_documents(self):
        joined = datetime.datetime(2024, 5, 1, 12, 30)
        self.collection("legacy_people", [
            {"name": "Ann", "age": 31, "joined": joined, "active": True,
             "address": {"city": "Oslo", "zip": "0150"}, "tags": ["a", "b"],
             "balance": Decimal128("12.50"), "visits": Int64(2**40), "key": uuid.uuid4(), "score": 1,
             "owner": ObjectId()},
            {"name": "Bob", "joined": joined, "active": False, "address": None, "tags": [],
             "balance": Decimal128("1234.5"), "visits": Int64(3), "key": uuid.uuid4(), "score": 2.5,
             "photo": b"\x89PNG", "misc": 1, "owner": ObjectId()},
            {"name": "Cy", "age": 40, "joined": joined, "active": True, "address": {"city": "Rome"},
             "tags": ["c"], "balance": Decimal128("0.125"), "visits": Int64(4), "key": uuid.uuid4(),
             "score": 3, "misc": "one", "owner": ObjectId()},
        ])
        output = run_inspectdb("legacy_people")
        self.assertIn("from djongo import models", output)
        self.assertIn("class LegacyPeople(models.Model):", output)
        for line in [
            "field_id = models.ObjectIdField(db_column='_id', primary_key=True)",
            "name = models.TextField()",
            "age = models.IntegerField(blank=True, null=True)",
            "joined = models.DateTimeField()",
            "active = models.BooleanField()",
            "address = models.EmbeddedField(model_container=LegacyPeopleAddress, blank=True, null=True)",
            "tags = models.JSONField()  # Kept as JSON: the sampled arrays hold values other than subdocuments.",
            "balance = models.DecimalField(max_digits=7, decimal_places=3)",
            "visits = models.BigIntegerField()",
            "key = models.UUIDField()",
            "score = models.FloatField()",
            "photo = models.BinaryField(blank=True, null=True)",
            "misc = models.TextField(blank=True, null=True)  # This field type is a guess.",
            "owner = models.GenericObjectIdField()",
            "db_table = 'legacy_people'",
        ]:
            self.assertIn(f"    {line}", output)
        # The primary key comes first.
        self.assertLess(output.index("field_id = "), output.index("name = "))
        # The container comes before the model that uses it.
        self.assertIn(
            "class LegacyPeopleAddress(models.Model):\n"
            "    city = models.TextField()\n"
            "    zip = models.TextField(blank=True, null=True)\n"
            "\n"
            "    class Meta:\n"
            "        abstract = True\n"
            "\n"
            "\n"
            "class LegacyPeople(models.Model):\n",
            output,
        )
        compile(output, "models.py", "exec")

    def test_the_proposed_model_reads_the_documents(self):
        self.collection("legacy_cities", [{"name": "Oslo", "size": 700000}, {"name": "Rome"}])
        output = run_inspectdb("legacy_cities")
        namespace = {"__name__": "tests.integration.mongo_api.proposed"}
        with isolate_apps("tests.integration.mongo_api"):
            exec(compile(output, "models.py", "exec"), namespace)
            LegacyCities = namespace["LegacyCities"]
            cities = {city.name: city for city in LegacyCities.objects.all()}
        self.assertEqual(cities["Oslo"].size, 700000)
        self.assertIsNone(cities["Rome"].size)
        self.assertEqual(cities["Rome"].pk, mongo("legacy_cities").find_one({"name": "Rome"})["_id"])

    def proposed_models(self, output):
        """Execute inspectdb's ``output`` as a models module and return its namespace."""
        namespace = {"__name__": "tests.integration.mongo_api.proposed"}
        with isolate_apps("tests.integration.mongo_api"):
            exec(compile(output, "models.py", "exec"), namespace)
        return namespace

    def test_the_proposed_models_read_embedded_documents(self):
        self.collection("legacy_shops", [
            {"name": "Corner", "owner": {"name": "Ann", "class": "gold", "clean": True},
             "address": {"city": "Oslo", "geo": {"lat": 59.9, "lng": 10.7}},
             "orders": [{"sku": "A-1", "qty": 2, "first-item": {"size": "M"}}, {"sku": "B-7", "qty": 1}]},
            {"name": "Kiosk", "owner": {"name": "Bob", "class": "silver"}, "orders": []},
        ])
        output = run_inspectdb("legacy_shops")
        for line in [
            "class LegacyShopsOwner(models.Model):",
            "    class_field = models.TextField(db_column='class')  # Field renamed because it was a Python "
            "reserved word.",
            "    clean_field = models.BooleanField(db_column='clean', blank=True, null=True)  # Field renamed "
            "because models.Model has an attribute of this name.",
            "class LegacyShopsAddressGeo(models.Model):",
            "    geo = models.EmbeddedField(model_container=LegacyShopsAddressGeo)",
            "class LegacyShopsOrdersFirstItem(models.Model):",
            "    first_item = models.EmbeddedField(db_column='first-item', model_container=LegacyShopsOrdersFirstItem,"
            " blank=True, null=True)  # Field renamed to remove unsuitable characters.",
            "    owner = models.EmbeddedField(model_container=LegacyShopsOwner)",
            "    address = models.EmbeddedField(model_container=LegacyShopsAddress, blank=True, null=True)",
            "    orders = models.ArrayField(model_container=LegacyShopsOrders)",
        ]:
            self.assertIn(f"{line}\n", output)
        # Each container precedes the class that uses it. The fields come in
        # the order of the sampled documents, the newest (Kiosk) first.
        order = ["LegacyShopsOwner(", "LegacyShopsOrdersFirstItem(", "LegacyShopsOrders(", "LegacyShopsAddressGeo(",
                 "LegacyShopsAddress(", "LegacyShops("]
        positions = [output.index(f"class {name}") for name in order]
        self.assertEqual(positions, sorted(positions))

        LegacyShops = self.proposed_models(output)["LegacyShops"]
        corner = LegacyShops.objects.get(name="Corner")
        self.assertEqual(corner.address.city, "Oslo")
        self.assertEqual(corner.address.geo.lat, 59.9)
        self.assertEqual(corner.owner.class_field, "gold")
        self.assertIs(corner.owner.clean_field, True)
        self.assertEqual([(order.sku, order.qty) for order in corner.orders], [("A-1", 2), ("B-7", 1)])
        self.assertEqual(corner.orders[0].first_item.size, "M")
        self.assertIsNone(corner.orders[1].first_item)
        kiosk = LegacyShops.objects.get(name="Kiosk")
        self.assertIsNone(kiosk.address)
        self.assertEqual(kiosk.orders, [])
        self.assertIsNone(kiosk.owner.clean_field)
        # Validating calls Model.clean(), which the renamed key left in place.
        corner.owner.full_clean()
        # Queries reach into the subdocuments through the stored keys.
        for lookup, names in [
            ({"address__geo__lat__gt": 50}, ["Corner"]),
            ({"owner__class_field": "silver"}, ["Kiosk"]),
            ({"orders__sku": "B-7"}, ["Corner"]),
            ({"orders__first_item__size": "M"}, ["Corner"]),
        ]:
            with self.subTest(lookup=lookup):
                self.assertEqual(list(LegacyShops.objects.filter(**lookup).values_list("name", flat=True)), names)

    def test_container_names_avoid_other_class_names(self):
        # The model of legacy_shops_address takes the name LegacyShopsAddress.
        self.collection("legacy_shops", [{"address": {"city": "Oslo"}}])
        self.collection("legacy_shops_address", [{"city": "Oslo"}])
        output = run_inspectdb("legacy_shops", "legacy_shops_address")
        self.assertIn("    address = models.EmbeddedField(model_container=LegacyShopsAddress2)\n", output)
        self.assertEqual(output.count("class LegacyShopsAddress(models.Model):"), 1)
        namespace = self.proposed_models(output)
        self.assertTrue(namespace["LegacyShopsAddress2"]._meta.abstract)
        self.assertFalse(namespace["LegacyShopsAddress"]._meta.abstract)
        self.assertEqual(namespace["LegacyShops"].objects.get().address.city, "Oslo")

    def test_djangos_own_inspectdb_proposes_json_for_subdocuments(self):
        # Without "djongo" in INSTALLED_APPS there are no containers, and
        # django.db.models has no EmbeddedField.
        from django.core.management.commands import inspectdb as django_inspectdb

        self.collection("legacy_shops", [{"address": {"city": "Oslo"}, "orders": [{"sku": "A-1"}]}])
        out = io.StringIO()
        call_command(django_inspectdb.Command(), "legacy_shops", stdout=out)
        self.assertIn("    address = models.JSONField()\n", out.getvalue())
        self.assertIn("    orders = models.JSONField()\n", out.getvalue())
        self.assertNotIn("abstract", out.getvalue())

    def test_the_example_of_the_documentation(self):
        from pathlib import Path

        text = (Path(__file__).parents[2] / "docs" / "existing-databases.md").read_text()

        def block(marker):
            start = text.index("```python\n", text.index(f"<!-- inspectdb example: {marker}")) + len("```python\n")
            return text[start:text.index("```", start)]

        namespace = {"db": connection.mongo_database, "datetime": datetime, "uuid": uuid,
                     "Decimal128": Decimal128, "Int64": Int64, "ObjectId": ObjectId}
        exec(block("documents"), namespace)
        self.addCleanup(mongo("legacy_people").drop)
        output = run_inspectdb("legacy_people")
        self.assertEqual(output[output.index("from djongo import models"):], block("output"))
        LegacyPeople = self.proposed_models(output)["LegacyPeople"]
        ann = LegacyPeople.objects.get(name="Ann")
        self.assertEqual((ann.address.city, ann.address.geo.lat, ann.orders[1].gift_wrap), ("Oslo", 59.9, True))
        self.assertEqual(list(LegacyPeople.objects.filter(address__geo__lat__gt=50)), [ann])

    def test_an_empty_field_name_is_left_out_with_a_warning(self):
        self.collection("legacy_blank", [{"": 1, "name": "Ann"}, {"name": "Bob"}])
        with self.assertLogs("djongo", "WARNING") as logs:
            output = run_inspectdb("legacy_blank")
        self.assertIn("legacy_blank has documents with a field named ''", logs.output[0])
        self.assertIn("    name = models.TextField()", output)
        compile(output, "models.py", "exec")

    def test_a_collection_of_an_older_djongo_keeps_its_auto_id(self):
        # __schema__ has the table's counter, __columns__ has nothing.
        self.collection("legacy_posts", [
            {"id": 1, "title": "First"}, {"id": 2, "title": "Second"},
        ])
        mongo("__schema__").insert_one({"name": "legacy_posts", "auto": {"field_names": ["id"], "seq": 2}})
        self.addCleanup(mongo("__schema__").delete_one, {"name": "legacy_posts"})
        output = run_inspectdb("legacy_posts")
        self.assertIn("    title = models.TextField()", output)
        self.assertNotIn("field_id", output)
        self.assertNotIn("    id = ", output)  # Django's implicit AutoField

    def test_migrated_tables_are_described_from_recorded_columns(self):
        output = run_inspectdb("mongo_api_entry")
        self.assertIn("    blog_name = models.CharField(max_length=100)", output)
        self.assertIn("    headline = models.CharField(max_length=255)", output)
        self.assertNotIn("field_id", output)
