"""
README's path to a new project, taken as a user would (issue 25): a wheel
of this checkout, a fresh virtualenv, ``pip install`` of the wheel,
``django-admin startproject``, the settings README shows, ``migrate``,
``createsuperuser``, ``runserver``, and the admin answering.

The virtualenv installs Django, pymongo, sqlparse and dnspython from the
package index, as the user's would. Every process has a deadline.
"""
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

import pymongo

ROOT = pathlib.Path(__file__).resolve().parents[2]
STEP_SECONDS = 300  # one pip install or manage.py command
SERVE_SECONDS = 60  # runserver to answer


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NewProjectTests(unittest.TestCase):

    def setUp(self):
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="djongo-new-project-"))
        self.name = f"djongo_newproject_{uuid.uuid4().hex[:8]}"
        # A user's environment: none of this run's Django settings or
        # Python paths (a PYTHONPATH holding this checkout would make pip
        # think djongo installed already).
        self.env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTHON"))}
        client = pymongo.MongoClient(os.environ["DJONGO_TEST_URI"])
        self.addCleanup(client.close)
        self.addCleanup(client.drop_database, self.name)

    def step(self, *command, cwd=None, env=None):
        result = subprocess.run(
            [str(part) for part in command], cwd=cwd or self.work, env=env or self.env, capture_output=True,
            text=True, timeout=STEP_SECONDS,
        )
        self.assertEqual(result.returncode, 0, f"{' '.join(map(str, command))}:\n{result.stdout}\n{result.stderr}")
        return result

    def test_readme_path_from_a_wheel_to_the_admin(self):
        # README: "pip wheel --no-deps ./djongo -w dist/", then a virtualenv.
        self.step(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", ROOT, "-w", self.work / "dist")
        (wheel,) = (self.work / "dist").glob("djongo-*.whl")
        self.step(sys.executable, "-m", "venv", self.work / "venv")
        python = self.work / "venv" / "bin" / "python"
        self.step(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
        self.step(self.work / "venv" / "bin" / "django-admin", "startproject", "mysite")
        project = self.work / "mysite"

        # README's settings: DATABASES replaced, "djongo" in INSTALLED_APPS.
        settings = project / "mysite" / "settings.py"
        text = settings.read_text()
        text = re.sub(r"DATABASES = \{.*?\n\}\n", (
            "DATABASES = {\n"
            '    "default": {\n'
            '        "ENGINE": "djongo",\n'
            f'        "NAME": "{self.name}",\n'
            f'        "HOST": "{os.environ["DJONGO_TEST_URI"]}",\n'
            "    }\n"
            "}\n"
        ), text, flags=re.S)
        text = text.replace('"django.contrib.staticfiles",', '"django.contrib.staticfiles",\n    "djongo",')
        self.assertIn('"ENGINE": "djongo"', text)
        self.assertIn('"djongo",', text)
        settings.write_text(text)

        env = dict(self.env)
        env.update(DJANGO_SUPERUSER_PASSWORD="a-long-new-password", DJANGO_SUPERUSER_EMAIL="admin@example.com")
        self.step(python, "manage.py", "migrate", "--noinput", cwd=project, env=env)
        self.step(python, "manage.py", "createsuperuser", "--noinput", "--username", "admin", cwd=project, env=env)
        stored = pymongo.MongoClient(os.environ["DJONGO_TEST_URI"])[self.name]
        self.assertEqual(stored["auth_user"].find_one({"username": "admin"}, {"_id": 0, "is_superuser": 1}),
                         {"is_superuser": True})

        port = free_port()
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=project, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            status = self.answer(f"http://127.0.0.1:{port}/admin/login/")
            self.assertEqual(status, 200)
        finally:
            server.terminate()
            server.wait(10)

    def answer(self, url):
        """Return the HTTP status of ``url`` once the server answers, within SERVE_SECONDS."""
        deadline = time.monotonic() + SERVE_SECONDS
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
