"""
Migrations that survive a crash (issue 22): ``migrate`` killed at every
point of a three-migration sequence (create two models, add a field with a
default over existing rows, add an index and a unique constraint), then run
again, completes with no row lost and the schema the migrations promise;
a table that an interrupted migration did not leave is refused, naming the
conflict.

Each run is a process of its own (tests/reliability/crash_project/run.py),
killed with os._exit just before its Nth command to the server, as SIGKILL
would kill it: nothing flushed, nothing cleaned up.
"""
import json
import os
import subprocess
import sys
import unittest
import uuid

import pymongo

from tests.reliability.crash_project.run import KILLED

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECONDS = 120
# No crash point beyond this many commands: the sequence sends about 60.
MOST_COMMANDS = 300


class InterruptedMigrationTests(unittest.TestCase):

    def setUp(self):
        self.name = f"djongo_crash_{uuid.uuid4().hex[:8]}"
        self.env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="tests.reliability.crash_project.settings", DJONGO_CRASH_DB=self.name,
        )
        self.client = pymongo.MongoClient(os.environ["DJONGO_TEST_URI"])
        self.addCleanup(self.client.close)
        self.addCleanup(self.client.drop_database, self.name)

    def run_step(self, *arguments):
        return subprocess.run(
            [sys.executable, "-m", "tests.reliability.crash_project.run", *arguments],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=SECONDS,
        )

    def crash_and_finish(self, limit):
        """Return whether ``crash limit`` was killed, and what ``finish`` found after it."""
        self.client.drop_database(self.name)
        crashed = self.run_step("crash", str(limit))
        self.assertIn(crashed.returncode, (0, KILLED), crashed.stderr)
        finished = self.run_step("finish")
        self.assertEqual(finished.returncode, 0, f"killed before command {limit}:\n{finished.stderr}")
        return crashed.returncode == KILLED, json.loads(finished.stdout.splitlines()[-1])

    def test_killed_at_every_command_the_migration_runs_again(self):
        killed, whole = self.crash_and_finish(MOST_COMMANDS)
        self.assertFalse(killed, "the sequence sent more commands than MOST_COMMANDS")
        self.assertEqual(whole["books"], [["far", "a", 100], ["near", "a", 100], ["near", "b", 100]])
        self.assertTrue(whole["unique"])
        self.assertIn("crash_book_title", whole["indexes"])
        self.assertIn("crash_book_shelf_title", whole["indexes"])
        self.assertEqual(whole["applied"], ["0001_initial", "0002_book_pages", "0003_book_indexes"])
        self.assertIn("django_migrations_id_pk", whole["recorder_indexes"])
        points = 0
        for limit in range(1, MOST_COMMANDS):
            killed, found = self.crash_and_finish(limit)
            if not killed:
                break
            points += 1
            with self.subTest(killed_before_command=limit):
                self.assertEqual(found, whole)
        self.assertGreater(points, 30)

    def test_a_table_with_other_columns_is_refused(self):
        # Another program's collection of the model's name, with documents.
        self.client[self.name]["crash_project_shelf"].insert_one({"label": "x"})
        refused = self.run_step("finish")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn(
            "ProgrammingError: table 'crash_project_shelf' already exists, holds documents and has no recorded "
            "columns: it was not left by an interrupted migration", refused.stderr,
        )
        self.assertEqual(self.client[self.name]["crash_project_shelf"].count_documents({}), 1)

    def test_a_table_of_a_recorded_migration_is_no_crash_left_behind(self):
        # migrate, then migrate zero --fake: CREATE TABLE fails, as Django's
        # --fake-initial expects, rather than complete the table.
        self.assertEqual(self.run_step("finish").returncode, 0)
        for arguments in (["zero", "--fake"], []):
            again = subprocess.run(
                [sys.executable, "-m", "django", "migrate", "crash_project", *arguments, "--verbosity", "0"],
                cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=SECONDS,
            )
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("table 'crash_project_shelf' already exists", again.stderr)

    def test_recorded_columns_that_differ_are_named(self):
        database = self.client[self.name]
        database.create_collection("crash_project_shelf")
        # Made by a migration not recorded yet, with columns this one does not make.
        database["__columns__"].insert_one({"table": "crash_project_shelf", "unrecorded_migration": True, "columns": [
            {"name": "id", "type": "AutoField", "null": False, "max_length": None, "precision": None,
             "scale": None, "collation": None, "default": None},
            {"name": "title", "type": "CharField", "null": True, "max_length": 10, "precision": None,
             "scale": None, "collation": None, "default": None},
        ]})
        refused = self.run_step("finish")
        self.assertIn(
            "table 'crash_project_shelf' already exists with other columns than this migration creates "
            "(columns that differ: title, name)", refused.stderr,
        )
