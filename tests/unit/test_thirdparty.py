"""How scripts/thirdparty files the failures of third-party suites: by cause, and whose the cause is."""
import importlib.machinery
import importlib.util
import pathlib
import sys
from unittest import TestCase

SCRIPTS = pathlib.Path(__file__).resolve().parents[2] / "scripts"


def load_script():
    sys.path.insert(0, str(SCRIPTS))
    try:
        loader = importlib.machinery.SourceFileLoader("thirdparty_script", str(SCRIPTS / "thirdparty"))
        spec = importlib.util.spec_from_loader(loader.name, loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


class OwnerTests(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.script = load_script()

    def test_causes_are_filed_under_their_owner(self):
        owner = lambda cause: self.script.owner(cause)[0]  # noqa: E731
        self.assertEqual(owner("TransactionManagementError: ..."), "MongoDB")
        self.assertEqual(owner("datetimes within one millisecond compare equal: BSON dates hold milliseconds"), "MongoDB")
        self.assertEqual(owner("OperationFailure: Unrecognized expression '$trim'"), "server")
        self.assertEqual(owner("IntegrityError: duplicate key null in a unique index"), "server")
        # Anything no pattern explains is djongo's own.
        self.assertEqual(owner("SQLDecodeError: JOIN to a subquery"), "djongo")
        self.assertEqual(owner("IntegrityError: duplicate key 'x' in a unique index"), "djongo")

    def test_a_failed_assertion_takes_its_diagnosed_cause_only_where_diagnosed(self):
        test_id = "tests/test_relations_pk.py::PKForeignKeyTests::test_foreign_key_retrieve"
        self.assertIn("row order", self.script.cause_of("djangorestframework", test_id, "AssertionError: different rows"))
        # The same test failing otherwise, or another app's test, keeps its own cause.
        self.assertEqual(self.script.cause_of("djangorestframework", test_id, "KeyError: '…'"), "KeyError: '…'")
        self.assertEqual(
            self.script.cause_of("django-filter", test_id, "AssertionError: different rows"), "AssertionError: different rows",
        )


class ShimTests(TestCase):
    """What thirdparty_shim.install() loads into a suite's test process and into the processes it starts."""

    def install(self, helper, settings=None, test_database=None):
        import json
        import os
        import subprocess
        import tempfile

        code = (
            "import json, sys\n"
            "import thirdparty_shim\n"
            "thirdparty_shim.install()\n"
            "from django.conf import settings\n"
            "settings.configure(DATABASES={'default': {}})\n"
            "print(json.dumps(['django.test.runner' in sys.modules, settings.DATABASES['default']['NAME'],\n"
            "                  getattr(settings, 'APP_SWITCH', None),\n"
            "                  settings.DATABASES['default'].get('TEST', {}).get('MIGRATE')]))\n"
        )
        with tempfile.TemporaryDirectory() as work:
            env = {key: value for key, value in os.environ.items() if not key.startswith("THIRDPARTY_")}
            env.update(
                PYTHONPATH=str(SCRIPTS.parent / "tests" / "thirdparty"),
                THIRDPARTY_APP="some-app", THIRDPARTY_BACKEND="djongo", THIRDPARTY_URI="mongodb://127.0.0.1:1",
                THIRDPARTY_RESULTS=str(pathlib.Path(work) / "results.jsonl"),
            )
            if helper:
                env["THIRDPARTY_TEST_DATABASES"] = "1"
            if settings:
                env["THIRDPARTY_SETTINGS"] = json.dumps(settings)
            if test_database:
                env["THIRDPARTY_TEST_DATABASE"] = json.dumps(test_database)
            out = subprocess.run([sys.executable, "-c", code], env=env, cwd=work, check=True,
                                 capture_output=True, text=True).stdout
        return json.loads(out)

    def test_the_test_process_records_outcomes_through_djangos_runner(self):
        self.assertEqual(self.install(helper=False), [True, "tp_some_app_default", None, None])

    def test_an_entrys_settings_are_set(self):
        # django-import-export's IMPORT_EXPORT_USE_TRANSACTIONS, on every backend.
        self.assertEqual(self.install(helper=False, settings={"APP_SWITCH": False}),
                         [True, "tp_some_app_default", False, None])
        # Wagtail's test databases made from the models.
        self.assertEqual(self.install(helper=False, test_database={"MIGRATE": False}),
                         [True, "tp_some_app_default", None, False])

    def test_a_process_the_suite_starts_reaches_the_test_database_without_the_test_runner(self):
        # A db_worker runs no tests; django.test.runner would add about
        # 0.3 s to its start, which tests give one second.
        self.assertEqual(self.install(helper=True), [False, "test_tp_some_app_default", None, None])


class VirtualenvTests(TestCase):
    """Which virtualenv holds which app: the shared one, or one of its own for an entry with ``venv``."""

    @classmethod
    def setUpClass(cls):
        cls.script = load_script()

    def test_an_app_with_a_virtualenv_of_its_own_is_left_out_of_the_shared_one(self):
        shared = self.script.requirements()
        own = self.script.requirements(own="wagtail")
        self.assertIn("djangorestframework==3.16.0", shared)
        self.assertNotIn("wagtail==" + self.script.APPS["wagtail"]["version"], shared)
        self.assertIn("wagtail==" + self.script.APPS["wagtail"]["version"], own)
        # Only the app, its needs, Django and what every suite needs.
        self.assertNotIn("djangorestframework==3.16.0", own)
        self.assertTrue(any(package.startswith("Django") for package in own))
        self.assertEqual(self.script.venv_dir(sys.executable, None, "wagtail").name, "venv-wagtail")
        self.assertEqual(self.script.venv_dir(sys.executable, None).name, "venv")
