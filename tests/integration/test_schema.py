"""Migrations' schema operations on collections that already hold documents."""
from django.db import connection, models
from django.test import TransactionTestCase
from django.test.utils import isolate_apps


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

    def field(self, field, name):
        field.set_attributes_from_name(name)
        field.model = self.Pet
        return field

    def test_create_model_makes_collection_sequence_and_pk_index(self):
        self.assertIn("schema_pet", connection.mongo_database.list_collection_names())
        entry = connection.mongo_database["__schema__"].find_one({"name": "schema_pet"}, {"_id": 0})
        self.assertEqual(entry, {"name": "schema_pet", "auto": {"field_names": ["id"], "seq": 0}})
        self.assertIn("schema_pet_id_pk", {index["name"] for index in self.collection.list_indexes()})

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
