"""manage.py dbshell's command line (djongo/client.py)."""
import unittest
from unittest import mock

from django.core.management.base import CommandError

from djongo.client import DatabaseClient


def command(**settings):
    return DatabaseClient.settings_to_cmd_args_env({"NAME": "shop", **settings}, [])[0]


class DbshellTests(unittest.TestCase):

    def test_host_and_port(self):
        self.assertEqual(command(HOST="db.example.com", PORT="27018"),
                         ["mongosh", "--host", "db.example.com", "--port", "27018", "shop"])

    def test_uri_host_carries_the_database_in_its_path(self):
        # Not "mongosh <uri> shop": mongosh would read "shop" as a script file.
        self.assertEqual(command(HOST="mongodb+srv://cluster.example.net/?retryWrites=true"),
                         ["mongosh", "mongodb+srv://cluster.example.net/shop?retryWrites=true"])
        self.assertEqual(command(HOST="mongodb://a:1,b:2/admin?replicaSet=rs", USER="u", AUTH_SOURCE="admin"),
                         ["mongosh", "mongodb://a:1,b:2/shop?replicaSet=rs", "--username", "u",
                          "--authenticationDatabase", "admin"])

    def test_a_password_in_the_uri_stays_off_the_command_line(self):
        # mongosh asks for the password of the user the string names (issue 22).
        self.assertEqual(command(HOST="mongodb://alice:s%40cret@a:1,b:2/admin?authSource=admin"),
                         ["mongosh", "mongodb://alice@a:1,b:2/shop?authSource=admin"])
        self.assertEqual(command(HOST="mongodb+srv://alice@cluster.example.net/"),
                         ["mongosh", "mongodb+srv://alice@cluster.example.net/shop"])

    def test_missing_mongosh_says_where_to_get_it(self):
        with mock.patch("djongo.client.shutil.which", return_value=None), \
                self.assertRaisesRegex(CommandError, "https://www.mongodb.com/try/download/shell") as raised:
            DatabaseClient(connection=None).runshell([])
        # Django's own sentence comes first (its dbshell test looks for it).
        self.assertTrue(str(raised.exception).startswith(
            "You appear not to have the 'mongosh' program installed or on your path."))
