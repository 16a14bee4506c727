"""Transactions where the server runs them; statement-at-a-time where it does not."""
from django.db import IntegrityError, connection, transaction
from django.test import TransactionTestCase, skipIfDBFeature, skipUnlessDBFeature

from tests.integration.app.models import Author


class Rollback(Exception):
    pass


class TransactionFeatureTests(TransactionTestCase):
    # Not TestCase: on a replica set it would wrap each test in a
    # transaction, and MongoDB has no savepoints for an inner atomic().

    def test_feature_follows_the_kind_of_server(self):
        # Ask the server directly what it is: replica set members report
        # setName, mongos reports msg "isdbgrid", and transactions need
        # sessions (https://www.mongodb.com/docs/manual/reference/command/hello/).
        reply = connection.mongo_database.client.admin.command("isMaster")
        cluster = "setName" in reply or reply.get("msg") == "isdbgrid"
        runs_transactions = cluster and reply.get("ismaster", False) and "logicalSessionTimeoutMinutes" in reply
        self.assertIs(connection.features.supports_transactions, bool(runs_transactions))

    @skipIfDBFeature("supports_transactions")
    def test_without_transactions_atomic_keeps_earlier_statements(self):
        with self.assertRaises(Rollback):
            with transaction.atomic():
                Author.objects.create(name="Kept")
                raise Rollback
        self.assertEqual(connection.mongo_database["app_author"].count_documents({"name": "Kept"}), 1)

    @skipIfDBFeature("supports_transactions")
    def test_without_transactions_a_failed_nested_block_leaves_the_outer_one_usable(self):
        ann = Author.objects.create(name="Ann")
        with transaction.atomic():
            with self.assertRaises(IntegrityError):
                with transaction.atomic():
                    Author.objects.create(id=ann.id, name="Duplicate")
            self.assertEqual(Author.objects.get(pk=ann.pk).name, "Ann")
            # get_or_create() reads after the IntegrityError of its nested
            # block: it re-raises the IntegrityError, not TransactionManagementError.
            with self.assertRaises(IntegrityError):
                Author.objects.get_or_create(name="Bob", defaults={"id": ann.id})
            Author.objects.create(name="Cid")
        self.assertEqual(sorted(Author.objects.values_list("name", flat=True)), ["Ann", "Cid"])

    @skipUnlessDBFeature("supports_transactions")
    def test_atomic_rolls_back_on_a_replica_set(self):
        with self.assertRaises(Rollback):
            with transaction.atomic():
                Author.objects.create(name="Gone")
                self.assertEqual(Author.objects.filter(name="Gone").count(), 1)
                raise Rollback
        self.assertEqual(connection.mongo_database["app_author"].count_documents({"name": "Gone"}), 0)

    @skipUnlessDBFeature("supports_transactions")
    def test_select_for_update_writes_the_locked_documents_in_the_transaction(self):
        # So that a concurrent transaction that changed them conflicts.
        ann = Author.objects.create(name="Ann")
        with transaction.atomic():
            Author.objects.select_for_update().get(pk=ann.pk)
        self.assertIn("__djongo_lock", connection.mongo_database["app_author"].find_one({"id": ann.pk}))
