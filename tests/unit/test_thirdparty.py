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
