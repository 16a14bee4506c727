"""
Django 6.1's database-level on_delete options (DB_CASCADE, DB_SET_NULL,
DB_SET_DEFAULT): Django deletes only the parent rows and leaves the rest
to the database, which djongo does itself (catalog.py, executor.run_delete_many).
Each test checks what MongoDB stored after the parents were deleted.
"""
import django
import pytest

if django.VERSION < (6, 1):
    pytest.skip("on_delete=DB_CASCADE, DB_SET_NULL and DB_SET_DEFAULT are new in Django 6.1", allow_module_level=True)

from django.db import NotSupportedError, connection, models, transaction  # noqa: E402
from django.db.models import signals  # noqa: E402
from django.test import TestCase, TransactionTestCase, skipUnlessDBFeature  # noqa: E402
from django.test.utils import isolate_apps  # noqa: E402

from djongo.models import ArrayReferenceField  # noqa: E402

from tests.integration.ondelete.models import (  # noqa: E402
    FALLBACK_TAG, Box, Card, Loan, Move, Node, Shelf, Sticker, Tag,
)


def stored(table, field="id", **query):
    """Return the values of ``field`` that MongoDB holds in ``table``'s documents matching ``query``, sorted."""
    return sorted(document.get(field) for document in connection.mongo_database[table].find(query))


def shelf_with_boxes(name, boxes=2, cards=2):
    shelf = Shelf.objects.create(name=name)
    for number in range(boxes):
        box = Box.objects.create(shelf=shelf, label=f"{name}{number}")
        Card.objects.bulk_create(Card(box=box, text=f"{name}{number}-{card}") for card in range(cards))
    return shelf


class CascadeTests(TestCase):

    def test_deleting_a_parent_deletes_its_children_and_theirs(self):
        gone = shelf_with_boxes("gone")
        kept = shelf_with_boxes("kept")
        self.assertEqual(gone.delete(), (1, {"ondelete.Shelf": 1}))
        self.assertEqual(stored("ondelete_shelf"), [kept.pk])
        self.assertEqual(stored("ondelete_box", "label"), ["kept0", "kept1"])
        self.assertEqual(stored("ondelete_card", "text"), ["kept0-0", "kept0-1", "kept1-0", "kept1-1"])

    def test_one_statement_deletes_the_parents_and_the_database_the_rest(self):
        shelf = shelf_with_boxes("one", boxes=3, cards=150)
        with self.assertNumQueries(1):
            Shelf.objects.filter(name="one").delete()
        self.assertFalse(Box.objects.filter(shelf_id=shelf.pk).exists())
        self.assertEqual(connection.mongo_database["ondelete_card"].count_documents({}), 0)

    def test_a_queryset_delete_of_many_parents(self):
        for name in ("a", "b", "c"):
            shelf_with_boxes(name, boxes=1, cards=1)
        Shelf.objects.filter(name__in=["a", "c"]).delete()
        self.assertEqual(stored("ondelete_box", "label"), ["b0"])
        self.assertEqual(stored("ondelete_card", "text"), ["b0-0"])

    def test_deleting_a_middle_row_leaves_its_parent(self):
        shelf = shelf_with_boxes("mid")
        Box.objects.filter(label="mid0").delete()
        self.assertEqual(stored("ondelete_shelf"), [shelf.pk])
        self.assertEqual(stored("ondelete_card", "text"), ["mid1-0", "mid1-1"])

    def test_a_delete_matching_nothing_changes_nothing(self):
        shelf_with_boxes("kept", boxes=1, cards=1)
        self.assertEqual(Shelf.objects.filter(name="none").delete(), (0, {}))
        self.assertEqual(stored("ondelete_card", "text"), ["kept0-0"])

    def test_sql_sent_through_a_cursor_cascades_too(self):
        shelf = shelf_with_boxes("raw", boxes=1, cards=1)
        with connection.cursor() as cursor:
            cursor.execute('DELETE FROM "ondelete_shelf" WHERE "id" = %s', [shelf.pk])
            self.assertEqual(cursor.rowcount, 1)
        self.assertEqual(stored("ondelete_box"), [])
        self.assertEqual(stored("ondelete_card"), [])

    def test_signals_are_not_sent_for_the_rows_the_database_deletes(self):
        # As Django documents for DB_CASCADE: no pre_delete or post_delete
        # for the children, since Django never loads them.
        sent = []

        def receiver(sender, instance, **kwargs):
            sent.append((sender.__name__, instance.pk))

        shelf = shelf_with_boxes("quiet", boxes=1, cards=1)
        for model in (Box, Card):
            signals.pre_delete.connect(receiver, sender=model)
            signals.post_delete.connect(receiver, sender=model)
        try:
            shelf.delete()
        finally:
            for model in (Box, Card):
                signals.pre_delete.disconnect(receiver, sender=model)
                signals.post_delete.disconnect(receiver, sender=model)
        self.assertEqual(sent, [])
        self.assertEqual(stored("ondelete_box"), [])
        self.assertEqual(stored("ondelete_card"), [])

    def test_a_tree_of_rows_referencing_their_own_table(self):
        root = Node.objects.create(name="root")
        child = Node.objects.create(name="child", parent=root)
        Node.objects.create(name="grandchild", parent=child)
        other = Node.objects.create(name="other")
        root.delete()
        self.assertEqual(stored("ondelete_node", "name"), ["other"])
        self.assertEqual(stored("ondelete_node"), [other.pk])

    def test_a_cycle_of_references_ends(self):
        first = Node.objects.create(name="first")
        second = Node.objects.create(name="second", parent=first)
        Node.objects.filter(pk=first.pk).update(parent=second)
        Node.objects.create(name="outside")
        Node.objects.filter(pk=first.pk).delete()
        self.assertEqual(stored("ondelete_node", "name"), ["outside"])

    def test_a_null_reference_references_nothing(self):
        Node.objects.create(name="orphan")
        Node.objects.create(name="root")
        Node.objects.filter(name="root").delete()
        self.assertEqual(stored("ondelete_node", "name"), ["orphan"])

    def test_a_uuid_key(self):
        tag, other = Tag.objects.create(), Tag.objects.create()
        Sticker.objects.create(tag=other, mark=tag)
        Sticker.objects.create(tag=other, mark=other)
        tag.delete()
        self.assertEqual(stored("ondelete_sticker", "mark_id"), [other.pk])


class SetNullAndDefaultTests(TestCase):

    def test_set_null(self):
        gone, kept = Shelf.objects.create(name="gone"), Shelf.objects.create(name="kept")
        Loan.objects.create(shelf=gone, who="ann")
        Loan.objects.create(shelf=kept, who="bob")
        gone.delete()
        documents = {doc["who"]: doc for doc in connection.mongo_database["ondelete_loan"].find()}
        self.assertIsNone(documents["ann"]["shelf_id"])
        self.assertIn("shelf_id", documents["ann"])  # NULL, as SQL stores it
        self.assertEqual(documents["bob"]["shelf_id"], kept.pk)
        self.assertIsNone(Loan.objects.get(who="ann").shelf)

    def test_set_default(self):
        fallback = Shelf.objects.create(pk=1, name="fallback")
        gone, kept = Shelf.objects.create(name="gone"), Shelf.objects.create(name="kept")
        Move.objects.create(shelf=gone, spare=gone, what="both")
        Move.objects.create(shelf=kept, spare=gone, what="spare")
        Move.objects.create(shelf=gone, spare=kept, what="shelf")
        gone.delete()
        documents = {doc["what"]: doc for doc in connection.mongo_database["ondelete_move"].find()}
        self.assertEqual((documents["both"]["shelf_id"], documents["both"]["spare_id"]), (1, None))
        self.assertEqual((documents["spare"]["shelf_id"], documents["spare"]["spare_id"]), (kept.pk, None))
        self.assertEqual((documents["shelf"]["shelf_id"], documents["shelf"]["spare_id"]), (1, kept.pk))
        self.assertEqual(Move.objects.get(what="shelf").shelf, fallback)

    def test_set_default_to_a_uuid(self):
        gone = Tag.objects.create()
        Sticker.objects.create(tag=gone)
        gone.delete()
        self.assertEqual(stored("ondelete_sticker", "tag_id"), [FALLBACK_TAG])

    def test_every_action_of_one_delete(self):
        shelf = shelf_with_boxes("all", boxes=1, cards=1)
        Loan.objects.create(shelf=shelf, who="ann")
        Move.objects.create(shelf=shelf, what="move")
        shelf.delete()
        self.assertEqual(stored("ondelete_card"), [])
        self.assertEqual(stored("ondelete_loan", "shelf_id"), [None])
        self.assertEqual(stored("ondelete_move", "shelf_id"), [1])


class CatalogTests(TestCase):

    def test_the_catalog_records_each_reference(self):
        record = connection.mongo_database["__columns__"].find_one({"table": "ondelete_move"})
        references = {column["name"]: column.get("references") for column in record["columns"]}
        self.assertEqual(references, {
            "id": None, "what": None,
            "shelf_id": {"table": "ondelete_shelf", "column": "id", "on_delete": "SET DEFAULT", "default": 1},
            "spare_id": {"table": "ondelete_shelf", "column": "id", "on_delete": "SET DEFAULT", "default": None},
        })

    def test_get_relations_returns_the_database_on_delete(self):
        with connection.cursor() as cursor:
            self.assertEqual(connection.introspection.get_relations(cursor, "ondelete_sticker"), {
                "tag_id": ("code", "ondelete_tag", models.DB_SET_DEFAULT),
                "mark_id": ("code", "ondelete_tag", models.DB_CASCADE),
            })
            self.assertEqual(connection.introspection.get_relations(cursor, "ondelete_loan"), {
                "shelf_id": ("id", "ondelete_shelf", models.DB_SET_NULL),
            })
            # A Python-level on_delete is no action of the database's.
            self.assertEqual(connection.introspection.get_relations(cursor, "app_book")["author_id"],
                             ("id", "app_author", models.DO_NOTHING))


class MigrationTests(TransactionTestCase):
    available_apps = ["tests.integration.ondelete"]

    def test_a_changed_on_delete_applies_to_the_next_delete(self):
        # The actions are read once per process, and again after the
        # schema editor changes a table's columns.
        shelf = Shelf.objects.create(name="s")
        Loan.objects.create(shelf=shelf, who="ann")
        Shelf.objects.create(name="warm-up").delete()  # the actions are read now
        old = Loan._meta.get_field("shelf")
        new = models.ForeignKey(Shelf, models.DB_CASCADE, null=True, related_name="loans")
        new.set_attributes_from_name("shelf")
        new.model = Loan
        with connection.schema_editor() as editor:
            editor.alter_field(Loan, old, new)
        try:
            shelf.delete()
            self.assertEqual(stored("ondelete_loan"), [])
        finally:
            with connection.schema_editor() as editor:
                editor.alter_field(Loan, new, old)
        self.assertEqual(
            connection.mongo_database["__columns__"].find_one(
                {"table": "ondelete_loan"}, {"columns": {"$elemMatch": {"name": "shelf_id"}}},
            )["columns"][0]["references"]["on_delete"],
            "SET NULL",
        )

    def test_a_renamed_parent_table_keeps_its_references(self):
        shelf = shelf_with_boxes("renamed", boxes=1, cards=1)
        with connection.schema_editor() as editor:
            editor.alter_db_table(Shelf, "ondelete_shelf", "ondelete_shelf2")
        try:
            with connection.cursor() as cursor:
                cursor.execute('DELETE FROM "ondelete_shelf2" WHERE "id" = %s', [shelf.pk])
            self.assertEqual(stored("ondelete_box"), [])
            self.assertEqual(stored("ondelete_card"), [])
        finally:
            with connection.schema_editor() as editor:
                editor.alter_db_table(Shelf, "ondelete_shelf2", "ondelete_shelf")


class RefusedTests(TestCase):

    @isolate_apps("tests.integration.ondelete")
    def test_an_array_of_references_with_a_database_on_delete(self):
        # Its column holds many keys; its own on_delete (PULL) removes one.
        class Shelves(models.Model):
            shelves = ArrayReferenceField(Shelf, on_delete=models.DB_CASCADE)

            class Meta:
                app_label = "ondelete"

        with self.assertRaisesMessage(NotSupportedError, "DB_CASCADE on an ArrayReferenceField"):
            with connection.schema_editor() as editor:
                editor.create_model(Shelves)
        self.assertNotIn("ondelete_shelves", connection.introspection.table_names())


class TransactionTests(TransactionTestCase):
    available_apps = ["tests.integration.ondelete"]

    @skipUnlessDBFeature("supports_transactions")
    def test_a_rolled_back_delete_keeps_the_children(self):
        shelf = shelf_with_boxes("kept", boxes=1, cards=1)
        Loan.objects.create(shelf=shelf, who="ann")
        with self.assertRaises(ZeroDivisionError):
            with transaction.atomic():
                shelf.delete()
                self.assertFalse(Card.objects.exists())  # the transaction reads its own writes
                1 / 0
        self.assertEqual(stored("ondelete_card", "text"), ["kept0-0"])
        self.assertEqual(stored("ondelete_loan", "shelf_id"), [shelf.pk])

    def test_in_atomic_the_children_go_with_the_parent(self):
        shelf = shelf_with_boxes("atomic", boxes=1, cards=1)
        with transaction.atomic():
            shelf.delete()
        self.assertEqual(stored("ondelete_box"), [])
        self.assertEqual(stored("ondelete_card"), [])
