"""pymongo's errors as the PEP 249 classes Django turns into its own (cursor.translate_errors)."""
import unittest

from pymongo.errors import OperationFailure

from djongo import exceptions
from djongo.cursor import translate_errors


class MissingOperatorTests(unittest.TestCase):

    def convert(self, message, code=2):
        return translate_errors(None).convert(OperationFailure(message, code, {"errmsg": message, "code": code}))

    def test_an_operator_the_server_lacks_is_named_with_where_to_read(self):
        for message, operator in [
            ("unknown operator: $bitsAllSet", "$bitsAllSet"),
            ("Invalid $project :: caused by :: Unrecognized expression '$regexMatch'", "$regexMatch"),
            ("unknown group operator '$mergeObjects'", "$mergeObjects"),
            ("Unrecognized pipeline stage name: '$unionWith'", "$unionWith"),
        ]:
            with self.subTest(message=message):
                error = self.convert(message)
                self.assertIsInstance(error, exceptions.DatabaseError)
                self.assertTrue(str(error).startswith(message))
                self.assertIn(f"(the server lacks {operator}, which MongoDB documents;", str(error))
                self.assertIn("docs/test-server.md", str(error))

    def test_other_server_errors_are_kept_as_they_are(self):
        self.assertEqual(str(self.convert("$in needs an array")), "$in needs an array")


class ClosedCursorTests(unittest.TestCase):
    """PEP 249: a closed cursor raises on every operation, before reaching the server."""

    def test_execute_and_fetch_on_a_closed_cursor(self):
        from djongo.cursor import Cursor

        cursor = Cursor(connection=None)
        with cursor:
            pass
        with self.assertRaisesRegex(exceptions.ProgrammingError, "cursor is closed"):
            cursor.execute('SELECT "t"."id" FROM "t"')
        with self.assertRaisesRegex(exceptions.ProgrammingError, "cursor is closed"):
            cursor.fetchall()
        self.assertIsNone(cursor.query)

