"""
Server faults: a server keeping its data on disk is stopped while writes
are in flight and started again. No write djongo acknowledged is lost, the
same Python process carries on once the server is back, and a read cut off
by the stop raises OperationalError rather than ending as if complete.

The server is a local one of its own (scripts/mongodb-local with --dbpath),
also when $MONGODB_URI names another: that one cannot be stopped here.
"""
import subprocess
import tempfile
import threading
import time
import unittest

from django.db import OperationalError, connections

from tests.integration.app.models import Counter
from tests.integration.test_settings import wrapper
from tests.server import SCRIPT

ALIAS = "faults"
DOWN_SECONDS = 1.0
DEADLINE_SECONDS = 120


class DiskServer:
    """A local server on a fixed port keeping its data in ``dbpath``, started and stopped on demand."""

    def __init__(self, dbpath):
        self.dbpath = dbpath
        self.port = None

    def start(self):
        port = str(self.port or 0)
        result = subprocess.run([str(SCRIPT), "start", "--port", port, "--dbpath", self.dbpath],
                                capture_output=True, text=True, timeout=180)
        if result.returncode:
            raise RuntimeError(f"cannot start a local server: {result.stderr.strip()[-300:]}")
        uri = result.stdout.strip().splitlines()[-1]
        self.port = int(uri.rsplit(":", 1)[1])
        return uri

    def stop(self):
        if self.port is not None:
            subprocess.run([str(SCRIPT), "stop", "--port", str(self.port)], capture_output=True, timeout=60)


class ServerStopTests(unittest.TestCase):
    """The connection ``faults`` lives only here: Django's test case would insist it were in DATABASES."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.server = DiskServer(cls.directory.name)
        try:
            uri = cls.server.start()
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            cls.directory.cleanup()
            raise cls.failureException(str(exc)) from exc
        connections[ALIAS] = wrapper(alias=ALIAS, NAME="faults", HOST=uri,
                                     CLIENT={"serverSelectionTimeoutMS": 500, "retryWrites": True})
        with connections[ALIAS].schema_editor() as editor:
            editor.create_model(Counter)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        connections[ALIAS].close()
        cls.server.stop()
        cls.directory.cleanup()

    def restart_after(self, delay):
        """Stop the server after ``delay`` seconds, start it again after DOWN_SECONDS, in a thread."""
        def bounce():
            time.sleep(delay)
            self.server.stop()
            time.sleep(DOWN_SECONDS)
            self.server.start()
        thread = threading.Thread(target=bounce)
        thread.start()
        return thread

    def test_no_acknowledged_write_is_lost_across_a_stop_and_restart(self):
        acknowledged, refused, after_restart = [], 0, 0
        bounce = self.restart_after(0.5)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline and (bounce.is_alive() or after_restart < 50):
            try:
                acknowledged.append(Counter.objects.using(ALIAS).create(label="w").pk)
            except OperationalError:
                refused += 1
                continue
            if not bounce.is_alive():
                after_restart += 1
        bounce.join()
        self.assertGreater(refused, 0, "the writes never met the stopped server")
        self.assertEqual(after_restart, 50, "the process did not carry on after the restart")
        stored = set(Counter.objects.using(ALIAS).values_list("pk", flat=True))
        lost = [pk for pk in acknowledged if pk not in stored]
        print(f"acknowledged writes: {len(acknowledged)}, refused while down: {refused}, lost: {len(lost)}")
        self.assertEqual(lost, [])
        self.assertEqual(len(set(acknowledged)), len(acknowledged))

    def test_a_read_cut_off_by_a_stop_raises_operational_error(self):
        Counter.objects.using(ALIAS).bulk_create([Counter(label="r") for _ in range(500)])
        rows = Counter.objects.using(ALIAS).order_by("pk").iterator(chunk_size=10)
        first = [next(rows) for _ in range(10)]
        self.server.stop()
        try:
            with self.assertRaises(OperationalError):
                read = first + list(rows)
                raise AssertionError(f"a cut-off read ended as if complete with {len(read)} rows")
        finally:
            self.server.start()
        self.assertGreaterEqual(self.count_once_reachable(), 500)

    def count_once_reachable(self, seconds=10):
        """
        Count the rows once the restarted server is found again: pymongo
        looks for it every half second at most, as long as the client's
        selection timeout (500 ms), so the first attempt may miss it.
        """
        deadline = time.monotonic() + seconds
        while True:
            try:
                return Counter.objects.using(ALIAS).count()
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
