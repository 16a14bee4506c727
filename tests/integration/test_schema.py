"""Migrations' schema operations on collections that already hold documents."""
import os
import subprocess
import sys

from django.db import connection, models
from django.test import TransactionTestCase
from django.test.utils import isolate_apps

from tests.integration.app.models import Kitchen
from tests.integration.test_settings import wrapper


@isolate_apps("tests.integration.app")
class SchemaEditorTests(TransactionTestCase):
    available_apps = ["tests.integration.app"]

    def setUp(self):
        class Pet(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "app"
                db_table = "schema_pet"

        self.Pet = Pet
        with connection.schema_editor() as editor:
            editor.create_model(Pet)
        self.collection = connection.mongo_database["schema_pet"]

    def tearDown(self):
        for name in ("schema_pet", "schema_animal"):
            connection.mongo_database.drop_collection(name)
            connection.mongo_database["__schema__"].delete_one({"name": name})
            connection.mongo_database["__columns__"].delete_one({"table": name})

    def field(self, field, name):
        field.set_attributes_from_name(name)
        field.model = self.Pet
        return field

    def test_create_model_makes_collection_sequence_and_pk_index(self):
        self.assertIn("schema_pet", connection.mongo_database.list_collection_names())
        entry = connection.mongo_database["__schema__"].find_one({"name": "schema_pet"}, {"_id": 0})
        self.assertEqual(entry, {"name": "schema_pet", "auto": {"field_names": ["id"], "seq": 0}})
        self.assertIn("schema_pet_id_pk", {index["name"] for index in self.collection.list_indexes()})

    def indexes(self):
        """The collection's indexes on name: {index name: unique}."""
        return {
            index["name"]: bool(index.get("unique")) for index in self.collection.list_indexes()
            if list(index["key"]) == ["name"]
        }

    def constraints(self):
        """What introspection says of the constraints on name: {name: unique}."""
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "schema_pet")
        return {name: info["unique"] for name, info in found.items() if info["columns"] == ["name"]}

    def test_an_index_and_a_unique_constraint_on_the_same_column(self):
        # MongoDB keeps one index per key pattern and refuses a second under
        # another name (code 85): the second name is another name of it.
        plain = models.Index(fields=["name"], name="pet_name_idx")
        unique = models.UniqueConstraint(fields=["name"], name="pet_name_uniq")
        with connection.schema_editor() as editor:
            editor.add_index(self.Pet, plain)
            editor.add_constraint(self.Pet, unique)
        # One index, made unique, under the constraint's name.
        self.assertEqual(self.indexes(), {"pet_name_uniq": True})
        self.assertEqual(self.constraints(), {"pet_name_idx": False, "pet_name_uniq": True})
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Pet, unique)
        # The index stays, no longer unique, under the index's name.
        self.assertEqual(self.indexes(), {"pet_name_idx": False})
        self.assertEqual(self.constraints(), {"pet_name_idx": False})
        self.Pet.objects.bulk_create([self.Pet(name="Rex"), self.Pet(name="Rex")])

    def test_two_names_for_the_same_index(self):
        first = models.Index(fields=["name"], name="pet_name_a")
        second = models.Index(fields=["name"], name="pet_name_b")
        with connection.schema_editor() as editor:
            editor.add_index(self.Pet, first)
            editor.add_index(self.Pet, second)
        self.assertEqual(self.indexes(), {"pet_name_a": False})
        self.assertEqual(self.constraints(), {"pet_name_a": False, "pet_name_b": False})
        # Dropping the name the index has keeps it under the other.
        with connection.schema_editor() as editor:
            editor.remove_index(self.Pet, first)
        self.assertEqual(self.indexes(), {"pet_name_b": False})
        self.assertEqual(self.constraints(), {"pet_name_b": False})
        with connection.schema_editor() as editor:
            editor.remove_index(self.Pet, second)
        self.assertEqual(self.indexes(), {})
        self.assertEqual(self.constraints(), {})

    def test_add_column_fills_existing_documents_with_default(self):
        self.Pet.objects.create(name="Rex")
        with connection.schema_editor() as editor:
            editor.add_field(self.Pet, self.field(models.IntegerField(default=4), "legs"))
            editor.add_field(self.Pet, self.field(models.CharField(max_length=5, null=True), "tag"))
        self.assertEqual(self.collection.find_one({}, {"_id": 0}), {"id": 1, "name": "Rex", "legs": 4, "tag": None})

    def test_rename_and_drop_column(self):
        self.Pet.objects.create(name="Rex")
        old = self.Pet._meta.get_field("name")
        new = self.field(models.CharField(max_length=20), "title")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Pet, old, new)
        self.assertEqual(self.collection.find_one({}, {"_id": 0}), {"id": 1, "title": "Rex"})
        with connection.schema_editor() as editor:
            editor.remove_field(self.Pet, new)
        self.assertEqual(self.collection.find_one({}, {"_id": 0}), {"id": 1})

    def test_alter_column_type_and_null_need_no_data_change(self):
        self.Pet.objects.create(name="Rex")
        old = self.Pet._meta.get_field("name")
        new = self.field(models.TextField(null=True), "name")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Pet, old, new)
        self.assertEqual(self.collection.find_one({}, {"_id": 0}), {"id": 1, "name": "Rex"})

    def test_rename_table_moves_documents_and_sequence(self):
        self.Pet.objects.create(name="Rex")
        schema = connection.mongo_database["__schema__"]
        seq = schema.find_one({"name": "schema_pet"})["auto"]["seq"]
        self.assertGreaterEqual(seq, 1)
        with connection.schema_editor() as editor:
            editor.alter_db_table(self.Pet, "schema_pet", "schema_animal")
        self.assertEqual(connection.mongo_database["schema_animal"].count_documents({}), 1)
        self.assertEqual(schema.find_one({"name": "schema_animal"})["auto"]["seq"], seq)
        self.assertIsNone(schema.find_one({"name": "schema_pet"}))

    def test_unique_together_and_indexes(self):
        self.Pet.objects.create(name="Rex")
        owner = models.IntegerField(default=0)
        owner.contribute_to_class(self.Pet, "owner")
        with connection.schema_editor() as editor:
            editor.add_field(self.Pet, owner)
            editor.alter_unique_together(self.Pet, [], [("name", "owner")])
            editor.add_index(self.Pet, models.Index(fields=["name", "-owner"], name="pet_name_owner_idx"))
        indexes = {index["name"]: index for index in self.collection.list_indexes()}
        unique = [index for index in indexes.values() if index.get("unique") and list(index["key"]) == ["name", "owner"]]
        self.assertEqual(len(unique), 1)
        self.assertEqual(dict(indexes["pet_name_owner_idx"]["key"]), {"name": 1, "owner": -1})
        with connection.schema_editor() as editor:
            editor.alter_unique_together(self.Pet, [("name", "owner")], [])
            editor.remove_index(self.Pet, models.Index(fields=["name", "-owner"], name="pet_name_owner_idx"))
        self.assertEqual({index["name"] for index in self.collection.list_indexes()}, {"_id_", "schema_pet_id_pk"})

    def test_delete_model_drops_collection_and_sequence(self):
        with connection.schema_editor() as editor:
            editor.delete_model(self.Pet)
        self.assertNotIn("schema_pet", connection.mongo_database.list_collection_names())
        self.assertIsNone(connection.mongo_database["__schema__"].find_one({"name": "schema_pet"}))

    def test_drop_and_rename_column_take_their_indexes_along(self):
        code = models.CharField(max_length=10, unique=True, default="x")
        code.contribute_to_class(self.Pet, "code")
        with connection.schema_editor() as editor:
            editor.add_field(self.Pet, code)
        self.Pet.objects.create(name="Rex", code="a")
        self.Pet.objects.create(name="Max", code="b")
        new = models.CharField(max_length=10, unique=True, default="x")
        new.set_attributes_from_name("label")
        new.model = self.Pet
        with connection.schema_editor() as editor:
            editor.alter_field(self.Pet, code, new)
        keys = [dict(index["key"]) for index in self.collection.list_indexes() if index.get("unique")]
        self.assertIn({"label": 1}, keys)
        self.assertNotIn({"code": 1}, keys)
        self.assertEqual(sorted(doc["label"] for doc in self.collection.find()), ["a", "b"])
        # Dropping a unique column must drop its index too, or every document
        # would collide on the missing value.
        with connection.schema_editor() as editor:
            editor.remove_field(self.Pet, new)
        self.assertEqual({index["name"] for index in self.collection.list_indexes()}, {"_id_", "schema_pet_id_pk"})
        self.assertEqual(self.collection.count_documents({"label": {"$exists": True}}), 0)


class CloneTests(TransactionTestCase):
    """manage.py test --parallel N: each worker gets a copy of the test database."""

    def test_clone_copies_documents_indexes_and_counters(self):
        Kitchen.objects.create(name="k")
        connection.creation.clone_test_db(suffix="clone", verbosity=0)
        clone_settings = connection.creation.get_test_db_clone_settings("clone")
        source = connection.mongo_database
        clone = source.client[clone_settings["NAME"]]
        try:
            self.assertEqual(sorted(clone.list_collection_names()), sorted(source.list_collection_names()))
            self.assertEqual(list(clone["app_kitchen"].find({}, {"_id": 0})),
                             list(source["app_kitchen"].find({}, {"_id": 0})))
            self.assertEqual(clone["app_kitchen"].index_information(), source["app_kitchen"].index_information())
            self.assertEqual(clone["__schema__"].find_one({"name": "app_kitchen"}),
                             source["__schema__"].find_one({"name": "app_kitchen"}))
            # A worker's connection reads the clone.
            worker = wrapper(alias="worker", NAME=clone_settings["NAME"], HOST=clone_settings["HOST"],
                             CLIENT=clone_settings.get("CLIENT", {}))
            with worker.cursor() as cursor:
                cursor.execute('SELECT "app_kitchen"."name" FROM "app_kitchen"')
                self.assertEqual(cursor.fetchall(), [("k",)])
            worker.close()
        finally:
            source.client.drop_database(clone_settings["NAME"])


class ParallelTestRunTests(TransactionTestCase):

    def test_manage_py_test_parallel(self):
        environment = {**os.environ, "DJONGO_IT_DB": f"parallel_{os.getpid()}",
                       "DJANGO_SETTINGS_MODULE": "tests.integration.settings"}
        result = subprocess.run(
            [sys.executable, "-m", "django", "test", "tests.integration.parallel_probe", "--parallel", "2",
             "--noinput", "-v", "1"],
            capture_output=True, text=True, env=environment, timeout=300,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertIn("Ran 4 tests", result.stderr)
        probes = [line.split() for line in result.stdout.splitlines() if line.startswith("PARALLEL-PROBE")]
        self.assertEqual(len(probes), 4, result.stdout)
        # A clone per worker, named after the test database and the worker's
        # number; each worker process runs on one of them. (Which worker
        # runs which test class is the pool's choice: on a loaded machine
        # one worker may run both before the other has started.)
        self.assertEqual(result.stderr.count("Cloning test database for alias 'default'"), 2, result.stderr[-3000:])
        self.assertTrue(all(name.startswith(f"test_parallel_{os.getpid()}_") for _, _, name, _ in probes), probes)
        names_of = {}
        for _, pid, name, _ in probes:
            names_of.setdefault(pid, set()).add(name)
        self.assertTrue(all(len(names) == 1 for names in names_of.values()), probes)
        self.assertEqual(len({name for names in names_of.values() for name in names}), len(names_of), probes)
        # Each test sees its own row only: the flush between tests of each
        # worker (djongo/baseline.py) removed the one before.
        self.assertEqual([count for *_, count in probes], ["1"] * 4, probes)


@isolate_apps("tests.integration.app")
class RecreatedDatabaseTests(TransactionTestCase):
    """
    A database dropped and made again by one process, as a second test
    runner does (django-simple-history's runtests.py runs two).
    """
    available_apps = ["tests.integration.app"]

    def models(self):
        class Tag(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "app"
                db_table = "recreated_tag"

        class Post(models.Model):
            tags = models.ManyToManyField(Tag)  # create_model() makes the through table inside

            class Meta:
                app_label = "app"
                db_table = "recreated_post"

        return Tag, Post

    def test_the_tables_of_a_dropped_database_are_made_anew(self):
        Tag, Post = self.models()
        name = f"{connection.settings_dict['NAME']}_recreated"
        other = wrapper(alias="recreated", NAME=name, HOST=connection.settings_dict["HOST"],
                        CLIENT=connection.settings_dict.get("CLIENT", {}))
        try:
            for _ in range(2):
                with other.schema_editor() as editor:
                    editor.create_model(Tag)
                    editor.create_model(Post)
                database = other.connection.client[name]
                self.assertEqual(sorted(n for n in database.list_collection_names() if n.startswith("recreated_")),
                                 ["recreated_post", "recreated_post_tags", "recreated_tag"])
                self.assertEqual([column["name"] for column in other.connection.catalog.columns("recreated_post_tags")],
                                 ["id", "post_id", "tag_id"])
                # What the test runner's teardown does; the next round is
                # the next runner's setup.
                other.creation._destroy_test_db(name, verbosity=0)
                self.assertNotIn(name, other.connection.client.list_database_names())
        finally:
            other.close()
            connection.mongo_database.client.drop_database(name)

    def test_a_table_and_its_many_to_many_table_left_by_a_crash_are_completed(self):
        # A migrate killed after it created the collections and before it
        # recorded their columns: both are completed, the through table
        # inside the model's own create_model().
        Tag, Post = self.models()
        database = connection.mongo_database
        try:
            for table in ("recreated_tag", "recreated_post", "recreated_post_tags"):
                database.create_collection(table)
            connection.connection.catalog.forget()
            with connection.schema_editor() as editor:
                editor.create_model(Tag)
                editor.create_model(Post)
            self.assertEqual([column["name"] for column in connection.connection.catalog.columns("recreated_post_tags")],
                             ["id", "post_id", "tag_id"])
            unique = [index["key"] for index in database["recreated_post_tags"].index_information().values()
                      if index.get("unique")]
            self.assertIn([("post_id", 1), ("tag_id", 1)], unique)
        finally:
            for table in ("recreated_tag", "recreated_post", "recreated_post_tags"):
                database.drop_collection(table)
                database["__schema__"].delete_one({"name": table})
                database["__columns__"].delete_one({"table": table})
