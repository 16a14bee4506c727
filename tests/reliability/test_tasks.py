"""
Django's Tasks framework on djongo: django-tasks-db's database backend, two
``db_worker`` processes, and every task run exactly once.

The project (tests/reliability/tasks_project/) is migrated from an older
release's data, so the app's migrations that move values with updates to
computed values (0008's ``update(return_value=F("result"))``, 0013's
``Coalesce`` of JSON keys) run on rows; then 500 tasks are enqueued and two
workers started with ``--batch``. Each task inserts a row keyed by its
number into a table with a unique index, so a task run twice would fail on
its second run. Every process is bounded in time and killed if it runs
past it; the database is dropped at the end.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import pymongo


ROOT = pathlib.Path(__file__).resolve().parents[2]
TASKS = 500
WORKERS = 2
COMMAND_SECONDS = 120  # one migrate or enqueue
WORKERS_SECONDS = 120  # all workers, together
RESULTS = "django_tasks_database_dbtaskresult"


class TaskWorkersTests(unittest.TestCase):

    def setUp(self):
        self.name = f"djongo_tasks_{uuid.uuid4().hex[:8]}"
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.reliability.tasks_project.settings",
            DJONGO_TASKS_DB=self.name,
        )
        self.client = pymongo.MongoClient(os.environ["DJONGO_TEST_URI"])
        self.database = self.client[self.name]
        self.addCleanup(self.client.close)
        self.addCleanup(self.client.drop_database, self.name)

    def manage(self, *arguments):
        """Run ``python -m django ARGUMENTS`` (or a module's main) in the project; fail on an error."""
        result = subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=COMMAND_SECONDS,
        )
        self.assertEqual(result.returncode, 0, f"{' '.join(arguments)}:\n{result.stdout}\n{result.stderr}")

    def test_two_workers_run_each_task_once(self):
        timings = {}
        started = time.monotonic()
        self.manage("-m", "django", "migrate", "django_tasks_database", "0007", "--verbosity", "0")
        self.manage("-m", "tests.reliability.tasks_project.commands", "legacy")
        self.manage("-m", "django", "migrate", "--verbosity", "0")
        timings["migrate"] = time.monotonic() - started
        self.assert_legacy_rows_moved()

        started = time.monotonic()
        self.manage("-m", "tests.reliability.tasks_project.commands", "enqueue", str(TASKS))
        timings["enqueue"] = time.monotonic() - started
        self.assertEqual(self.database[RESULTS].count_documents({"status": "READY"}), TASKS)

        started = time.monotonic()
        outputs = self.run_workers()
        timings["workers"] = time.monotonic() - started

        runs = list(self.database["tasks_project_run"].find({}, {"_id": 0}))
        numbers = [run["number"] for run in runs]
        self.assertEqual(len(numbers), TASKS, outputs)
        self.assertEqual(set(numbers), set(range(TASKS)))
        # The enqueued tasks, not the two older rows, which have no arguments.
        results = list(self.database[RESULTS].find({"args_kwargs.args.0": {"$exists": True}}))
        self.assertEqual(len(results), TASKS)
        self.assertEqual({result["status"] for result in results}, {"SUCCESSFUL"}, outputs)
        # Claimed once: one worker id per result, the one that recorded the run.
        self.assertTrue(all(len(result["worker_ids"]) == 1 for result in results))
        by_worker = {}
        for run in runs:
            by_worker[run["worker"]] = by_worker.get(run["worker"], 0) + 1
        self.assertEqual(sorted(by_worker), [f"worker-{number}" for number in range(WORKERS)], by_worker)
        print(
            f"\n{TASKS} tasks, {WORKERS} workers: each ran once; tasks per worker {by_worker}; "
            + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
        )

    def assert_legacy_rows_moved(self):
        succeeded = self.database[RESULTS].find_one({"status": "SUCCESSFUL"})
        failed = self.database[RESULTS].find_one({"status": "FAILED"})
        self.assertEqual(succeeded["return_value"], {"answer": 42})
        self.assertEqual(
            (failed["return_value"], failed["exception_class_path"], failed["traceback"]),
            (None, "builtins.ValueError", "Traceback: ValueError"),
        )
        self.assertNotIn("result", succeeded)  # 0009 removed the column

    def run_workers(self):
        """Start the workers together; wait for them all; return their output."""
        logs = [tempfile.TemporaryFile("w+") for _ in range(WORKERS)]
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--batch", "--no-startup-delay", "--interval", "0",
                 "--worker-id", f"worker-{number}", "--verbosity", "1"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True,
            )
            for number, log in enumerate(logs)
        ]
        deadline = time.monotonic() + WORKERS_SECONDS
        try:
            for worker in workers:
                worker.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            self.fail(f"the workers ran past {WORKERS_SECONDS} s")
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait(10)
            outputs = []
            for log in logs:
                log.seek(0)
                outputs.append(log.read()[-3000:])
                log.close()
        self.assertEqual([worker.returncode for worker in workers], [0] * WORKERS, outputs)
        return outputs
