"""db_default: Django writes a constant database default into each INSERT."""
from django.db import connection
from django.test import TestCase

from tests.integration.app.models import Ticket


class DbDefaultTests(TestCase):

    def test_create_stores_the_default(self):
        ticket = Ticket.objects.create(title="a")
        ticket.refresh_from_db()
        self.assertEqual(ticket.priority, 3)
        stored = connection.mongo_database["app_ticket"].find_one({"id": ticket.pk})
        self.assertEqual(stored["priority"], 3)

    def test_bulk_create_stores_the_default_and_given_values(self):
        Ticket.objects.bulk_create([Ticket(title="b"), Ticket(title="c", priority=9)])
        stored = {doc["title"]: doc["priority"] for doc in connection.mongo_database["app_ticket"].find()}
        self.assertEqual(stored, {"b": 3, "c": 9})
