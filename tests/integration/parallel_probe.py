"""
Tests that ``manage.py test --parallel 2`` runs in two worker processes, each
on its own clone of the test database (test_schema.ParallelTestRunTests).
Not collected by pytest: it runs them through Django's test runner.
"""
import os

from django.db import connection
from django.test import TestCase

from tests.integration.app.models import Kitchen


class WorkerDatabaseTests(TestCase):

    def check(self, name):
        Kitchen.objects.create(name=name)
        # Each worker runs on a clone of the test database, named after it.
        line = f"PARALLEL-PROBE {os.getpid()} {connection.settings_dict['NAME']} {Kitchen.objects.count()}\n"
        # One write to the pipe the workers share, so that lines never
        # interleave (print() writes the text and the newline apart).
        os.write(1, line.encode())
        self.assertEqual(Kitchen.objects.filter(name=name).count(), 1)


class FirstTests(WorkerDatabaseTests):

    def test_one(self):
        self.check("one")

    def test_two(self):
        self.check("two")


class SecondTests(WorkerDatabaseTests):

    def test_three(self):
        self.check("three")

    def test_four(self):
        self.check("four")
